"""A dunning run carried out from the run page is a background job: deciding a day and
rendering its letters takes minutes for a large administration (docs/benchmarks.md), so it
never runs inside the web request. `debitum dunning run` does the same work on the command
line; both are the same `dunning_run`, so a run asked for twice does the work once."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from debitum.jobs.registry import JobKind, job_kind_register, shown_on

from .choices import ActionStatus
from .run_services import PREVIEW_JOB, exclusion_count, preview_data
from .services import dunning_run

RUN_JOB = "dunning.execute"


def _run(*, administration, params: dict, actor, progress) -> dict:
    as_of = dt.date.fromisoformat(params["as_of"])
    result = dunning_run(
        administration=administration, as_of=as_of, execute=True, actor=actor, progress=progress
    )
    statuses = [action["status"] for action in result.actions]
    return {
        "as_of": as_of.isoformat(),
        "already_run": result.already_run,
        "actions": len(statuses),
        "executed": statuses.count(ActionStatus.EXECUTED.value),
        "awaiting_approval": statuses.count(ActionStatus.AWAITING_APPROVAL.value),
        "skipped": result.skipped,
    }


def run_summary(result: dict) -> str:
    return _(
        "Run of %(date)s carried out: %(executed)s executed, %(waiting)s awaiting approval."
    ) % {
        "date": date_format(dt.date.fromisoformat(result["as_of"]), "DATE_FORMAT"),
        "executed": result["executed"],
        "waiting": result["awaiting_approval"],
    }


job_kind_register(
    JobKind(
        name=RUN_JOB,
        label=gettext_lazy("Dunning run"),
        run=_run,
        summary=run_summary,
        page="dunning:run",
        template="dunning/_job_result.html",
    )
)


def _preview(*, administration, params: dict, actor, progress) -> dict:
    """The dry run of a day for a large administration's run page (run_services.run_preview)."""
    as_of = dt.date.fromisoformat(params["as_of"])
    exclusions = exclusion_count(administration=administration, as_of=as_of)
    result = dunning_run(
        administration=administration, as_of=as_of, dry_run=True, progress=progress
    )
    return preview_data(result, exclusions=exclusions)


def preview_summary(result: dict) -> str:
    return _("Preview of %(date)s: %(count)s communications.") % {
        "date": date_format(dt.date.fromisoformat(result["as_of"]), "DATE_FORMAT"),
        "count": result["action_count"],
    }


job_kind_register(
    JobKind(
        name=PREVIEW_JOB,
        label=gettext_lazy("Dunning run preview"),
        run=_preview,
        summary=preview_summary,
        page="dunning:run",
        done_url=shown_on("dunning:run", as_of="params.as_of"),
    )
)
