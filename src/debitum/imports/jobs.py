"""An import asked for in the browser runs as a background job (the file waits in uploads.py
between the preview and the job). The job's page shows the counts, or every error by line and
column when the ledger changed since the preview and the file no longer imports."""

from __future__ import annotations

from dataclasses import asdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from debitum.jobs.registry import JobFailed, JobKind, job_kind_register

from .errors import ImportFailed
from .readers import read_table
from .uploads import upload_discard, upload_get

IMPORT_JOB = "imports.file"


def _run(*, administration, params: dict, actor, progress) -> dict:
    from .services import IMPORTERS

    upload = upload_get(token=params["token"], administration=administration, user=actor)
    if upload is None or upload.kind not in IMPORTERS:
        raise JobFailed(_("The uploaded file is no longer there; upload it again."))
    try:
        result = IMPORTERS[upload.kind](
            administration=administration,
            table=read_table(upload.path),
            actor=actor,
            progress=progress,
        )
    except ImportFailed as failed:
        raise JobFailed(
            _("The file cannot be imported. Nothing was written."),
            {
                "file_name": upload.file_name,
                "kind": upload.kind,
                "errors": [asdict(error) for error in failed.errors],
                "more_errors": failed.more,
            },
        ) from None
    finally:
        upload_discard(upload)
    return {
        "kind": result.kind,
        "file_name": result.file_name,
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "already_imported": result.already_imported,
        "batch_id": result.batch_id,
    }


def import_summary(result: dict) -> str:
    if result.get("already_imported"):
        return _("%(file)s: this file was imported before; nothing changed.") % {
            "file": result["file_name"]
        }
    created = ", ".join(
        f"{count} {what}" for what, count in (result.get("created") or {}).items() if count
    )
    return _(
        "%(file)s imported: %(rows)s rows; created: %(created)s; updated: %(updated)s; "
        "unchanged: %(unchanged)s."
    ) % {
        "file": result["file_name"],
        "rows": result["rows"],
        "created": created or "0",
        "updated": result["updated"],
        "unchanged": result["unchanged"],
    }


job_kind_register(
    JobKind(
        name=IMPORT_JOB,
        label=gettext_lazy("Import"),
        run=_run,
        summary=import_summary,
        page="imports:page",
        template="imports/_job_result.html",
    )
)
