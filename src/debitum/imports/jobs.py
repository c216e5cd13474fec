"""The preview and the import of a file asked for in the browser are background jobs (the file
waits in uploads.py between the two). The preview is the import as a dry run: once it has
finished, the imports page shows it (`?preview=<job>`), with every error by line and column or
the first rows and what importing would do. The import's own page shows the counts, or the
errors when the ledger changed since the preview and the file no longer imports."""

from __future__ import annotations

from dataclasses import asdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from debitum.jobs.registry import JobFailed, JobKind, job_kind_register, shown_on

from .errors import ImportFailed
from .readers import read_table
from .uploads import upload_discard, upload_get

IMPORT_JOB = "imports.file"
PREVIEW_JOB = "imports.preview"
PREVIEW_ROWS = 10


def _cell(value):
    return None if value is None else str(value)


def _failure(upload, failed: ImportFailed) -> JobFailed:
    return JobFailed(
        _("The file cannot be imported. Nothing was written."),
        {
            "file_name": upload.file_name,
            "kind": upload.kind,
            "errors": [asdict(error) for error in failed.errors],
            "more_errors": failed.more,
        },
    )


def _upload(administration, params: dict, actor):
    from .services import IMPORTERS

    upload = upload_get(token=params["token"], administration=administration, user=actor)
    if upload is None or upload.kind not in IMPORTERS:
        raise JobFailed(_("The uploaded file is no longer there; upload it again."))
    return upload, IMPORTERS[upload.kind]


def _preview(*, administration, params: dict, actor, progress) -> dict:
    """The import as a dry run: every check, then rolled back. A file with errors is
    discarded (it is corrected and uploaded again); a good one waits for the import."""
    upload, importer = _upload(administration, params, actor)
    try:
        table = read_table(upload.path)
        result = importer(
            administration=administration, table=table, actor=actor, progress=progress, dry_run=True
        )
    except ImportFailed as failed:
        upload_discard(upload)
        raise _failure(upload, failed) from None
    return {
        "token": upload.token,
        "kind": upload.kind,
        "file_name": upload.file_name,
        "header": list(table.header),
        "rows": [
            [line, [_cell(value) for value in record]]
            for line, record in zip(
                table.lines[:PREVIEW_ROWS], table.records[:PREVIEW_ROWS], strict=True
            )
        ],
        "row_count": table.row_count,
        "result": asdict(result),
    }


def _run(*, administration, params: dict, actor, progress) -> dict:
    upload, importer = _upload(administration, params, actor)
    try:
        result = importer(
            administration=administration,
            table=read_table(upload.path),
            actor=actor,
            progress=progress,
        )
    except ImportFailed as failed:
        raise _failure(upload, failed) from None
    finally:
        upload_discard(upload)
    return asdict(result)


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


def _preview_summary(result: dict) -> str:
    return _("%(file)s checked: %(rows)s rows.") % {
        "file": result["file_name"],
        "rows": result["row_count"],
    }


job_kind_register(
    JobKind(
        name=PREVIEW_JOB,
        label=gettext_lazy("Import preview"),
        run=_preview,
        summary=_preview_summary,
        page="imports:page",
        done_url=shown_on("imports:page", preview="pk"),
    )
)
