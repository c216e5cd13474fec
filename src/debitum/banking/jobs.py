"""The preview and the import of a bank file from the statements page are background jobs:
parsing and matching a large statement takes longer than a web request may (DESIGN: long work
is a job with progress). A finished preview is shown on the statements page
(`?preview=<job>`); the import's own page shows the counts per outcome and links to the queue."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from debitum.imports.uploads import upload_discard, upload_get
from debitum.jobs.registry import JobFailed, JobKind, job_kind_register, shown_on

from .choices import OPEN_OUTCOMES, MatchOutcome

STATEMENT_JOB = "banking.statement"
PREVIEW_JOB = "banking.statement_preview"
UPLOAD_KIND = "statements"
PREVIEW_ENTRIES = 200  # the entries a preview keeps and shows; it counts all


def _upload(administration, params, actor):
    upload = upload_get(token=params["token"], administration=administration, user=actor)
    kind, _sep, preset = (upload.kind if upload else "").partition(":")
    if upload is None or kind != UPLOAD_KIND:
        raise JobFailed(_("The uploaded file is no longer there; upload it again."))
    return upload, preset


def _import(administration, upload, preset: str, actor, progress, *, dry_run: bool):
    from .services import statement_import  # the parsers load only when a file comes in

    return statement_import(
        administration=administration,
        data=upload.path.read_bytes(),
        file_name=upload.file_name,
        csv_mapping={"preset": preset} if preset else None,
        actor=actor,
        progress=progress,
        dry_run=dry_run,
    )


def _unreadable(error) -> JobFailed:
    return JobFailed(
        _("The bank file cannot be read. Nothing was written."),
        {"error": {"file_name": error.file_name, "where": error.where, "message": error.message}},
    )


def _preview(*, administration, params: dict, actor, progress) -> dict:
    """The import as a dry run: everything decided, then rolled back. A file that cannot be
    read, or was imported before, is discarded; a good one waits for the import."""
    from .formats.statement import StatementFormatError
    from .statement_results import result_data

    upload, preset = _upload(administration, params, actor)
    try:
        result = _import(administration, upload, preset, actor, progress, dry_run=True)
    except StatementFormatError as error:
        upload_discard(upload)
        raise _unreadable(error) from None
    if result.already_imported:
        upload_discard(upload)
    return {
        "token": upload.token,
        "file_name": upload.file_name,
        "mapping": preset,
        "result": result_data(result, entries_limit=PREVIEW_ENTRIES),
    }


def _run(*, administration, params: dict, actor, progress) -> dict:
    from .formats.statement import StatementFormatError

    upload, preset = _upload(administration, params, actor)
    try:
        result = _import(administration, upload, preset, actor, progress, dry_run=False)
    except StatementFormatError as error:
        raise _unreadable(error) from None
    finally:
        upload_discard(upload)
    outcomes = result.outcomes
    return {
        "file_name": result.file_name,
        "already_imported": result.already_imported,
        "statements": len(result.statements),
        "outcomes": {value: outcomes[value] for value in MatchOutcome.values if outcomes[value]},
        "waiting": sum(outcomes[value] for value in OPEN_OUTCOMES),
        "batch_id": result.batch_id,
    }


def statement_summary(result: dict) -> str:
    if result.get("already_imported"):
        return _("%(file)s: this file was imported before; nothing changed.") % {
            "file": result["file_name"]
        }
    outcomes = result.get("outcomes") or {}
    parts = ", ".join(
        f"{outcomes[value]} {str(label).lower()}"
        for value, label in MatchOutcome.choices
        if outcomes.get(value)
    )
    return _(
        "%(file)s imported. Statements: %(statements)s; entries: %(entries)s (%(outcomes)s)."
    ) % {
        "file": result["file_name"],
        "statements": result["statements"],
        "entries": sum(outcomes.values()),
        "outcomes": parts or "0",
    }


job_kind_register(
    JobKind(
        name=STATEMENT_JOB,
        label=gettext_lazy("Bank statement import"),
        run=_run,
        summary=statement_summary,
        page="banking:statements",
        template="banking/_job_result.html",
    )
)


def _preview_summary(result: dict) -> str:
    return _("%(file)s checked.") % {"file": result["file_name"]}


job_kind_register(
    JobKind(
        name=PREVIEW_JOB,
        label=gettext_lazy("Bank statement preview"),
        run=_preview,
        summary=_preview_summary,
        page="banking:statements",
        done_url=shown_on("banking:statements", preview="pk"),
    )
)
