"""The dunning run as a controller works it in the browser: preview, exclude, execute.

The run itself is `services.dunning_run`; this module adds what the page needs around it:
exclusions for one day (read by the run as a hold, so they survive into the real run), the
preview of a day (a dry run, or the run of that day when it has happened). Execution from the
page is a background job (jobs.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from debitum.audit.services import audit_record
from debitum.jobs.choices import JobState
from debitum.jobs.models import Job
from debitum.ledger.models import Invoice

from .choices import ActionStatus
from .models import DunningAction, DunningRun, Exclusion
from .services import RunResult, _action_dict, dunning_run


def exclusion_add(
    *, administration, as_of: dt.date, customer, invoice=None, reason: str = "", actor=None
) -> Exclusion:
    """Keep `customer` (or only `invoice`) out of the run of `as_of`. Idempotent: excluding
    what is excluded already returns the first exclusion."""
    if invoice is not None and invoice.customer_id != customer.pk:
        raise ValueError(f"invoice {invoice.number} is not of customer {customer.number}")
    if DunningRun.objects.filter(administration=administration, as_of=as_of).exists():
        raise ValueError(f"the run of {as_of} has happened: nothing can be excluded from it")
    with transaction.atomic():
        exclusion, created = Exclusion.objects.get_or_create(
            administration=administration,
            as_of=as_of,
            customer=customer,
            invoice=invoice,
            defaults={
                "reason": reason.strip(),
                "created_by": actor if actor is not None and actor.pk else None,
            },
        )
        if created:
            audit_record(
                administration=administration,
                actor=actor,
                action="dunning.exclude",
                obj=exclusion,
                summary=f"{customer.number}"
                + (f" invoice {invoice.number}" if invoice is not None else "")
                + f" excluded from the dunning run of {as_of}",
                reason=reason.strip(),
            )
    return exclusion


def exclusion_remove(*, administration, exclusion_id: int, actor=None) -> bool:
    """Undo an exclusion (only for a day whose run has not happened yet: a run decided
    without the customer keeps that decision). Returns whether one was removed."""
    with transaction.atomic():
        exclusion = (
            Exclusion.objects.select_related("customer")
            .filter(administration=administration, pk=exclusion_id)
            .first()
        )
        if exclusion is None:
            return False
        if DunningRun.objects.filter(administration=administration, as_of=exclusion.as_of).exists():
            raise ValueError(f"the run of {exclusion.as_of} has happened; the exclusion stays")
        audit_record(
            administration=administration,
            actor=actor,
            action="dunning.exclude_undo",
            obj=exclusion,
            summary=f"{exclusion.customer.number} back in the dunning run of {exclusion.as_of}",
        )
        exclusion.delete()
    return True


# The page lists the first PREVIEW_ACTIONS communications of a day; its counts are of all.
PREVIEW_ACTIONS = 500
PREVIEW_JOB = "dunning.preview"
PREVIEW_KEY = "dunning-preview"  # + ":<day>:<request id>": the previews of a day


def preview_in_background(*, administration, as_of: dt.date) -> bool:
    """Whether the preview of a day is computed by a background job: when the administration
    has more invoices by `as_of` than DEBITUM_PREVIEW_INLINE_INVOICES (a dry run over them takes
    longer than a page may). One count over an index."""
    limit = settings.DEBITUM_PREVIEW_INLINE_INVOICES
    return (
        Invoice.objects.filter(administration=administration, invoice_date__lte=as_of)[
            : limit + 1
        ].count()
        > limit
    )


@dataclass
class Preview:
    """What the page shows for a day: the decisions (dry run or the run of the day), the first
    PREVIEW_ACTIONS of them in `result.actions`, the counts of all."""

    result: RunResult
    run: DunningRun | None  # the run of the day when it has happened
    action_count: int = 0
    to_execute: int = 0
    # A large administration's preview comes from a background job (preview_in_background):
    in_background: bool = False
    job: Job | None = None  # the finished preview shown, if any
    computing: Job | None = None  # a preview being computed
    stale: bool = False  # the day's exclusions changed since the preview was computed

    @property
    def has_run(self) -> bool:
        return self.run is not None

    @property
    def has_decisions(self) -> bool:
        return self.run is not None or not self.in_background or self.job is not None


def _ready(actions) -> int:
    return sum(
        1 for action in actions if action["status"] in (ActionStatus.PENDING, ActionStatus.APPROVED)
    )


def preview_data(result: RunResult, *, exclusions: int) -> dict:
    """A dry run as a preview job keeps it: the first PREVIEW_ACTIONS and the counts."""
    return {
        "as_of": result.as_of.isoformat(),
        "actions": result.actions[:PREVIEW_ACTIONS],
        "action_count": len(result.actions),
        "to_execute": _ready(result.actions),
        "skipped": result.skipped,
        "exclusions": exclusions,
    }


def exclusion_count(*, administration, as_of: dt.date) -> int:
    return Exclusion.objects.filter(administration=administration, as_of=as_of).count()


def _background_preview(*, administration, as_of: dt.date) -> Preview:
    jobs = Job.objects.filter(
        administration=administration,
        kind=PREVIEW_JOB,
        key__startswith=f"{PREVIEW_KEY}:{as_of.isoformat()}:",
    ).order_by("-pk")
    job = jobs.filter(state=JobState.DONE).first()
    computing = jobs.filter(state__in=[JobState.QUEUED, JobState.RUNNING]).first()
    result = RunResult(as_of=as_of, administration=administration.code, dry_run=True)
    if job is None:
        return Preview(result=result, run=None, in_background=True, computing=computing)
    data = job.result
    result.actions, result.skipped = data["actions"], data["skipped"]
    return Preview(
        result=result,
        run=None,
        action_count=data["action_count"],
        to_execute=data["to_execute"],
        in_background=True,
        job=job,
        computing=computing,
        stale=data["exclusions"] != exclusion_count(administration=administration, as_of=as_of),
    )


def run_preview(*, administration, as_of: dt.date) -> Preview:
    """A dry run of `as_of` (nothing is kept), or the decisions of the run of that day. For a
    large administration the dry run is a background job's (`preview_in_background`): the
    latest one finished for the day, with whether it is still computing a newer one."""
    run = DunningRun.objects.filter(administration=administration, as_of=as_of).first()
    if run is None:
        if preview_in_background(administration=administration, as_of=as_of):
            return _background_preview(administration=administration, as_of=as_of)
        result = dunning_run(administration=administration, as_of=as_of, dry_run=True)
        data = preview_data(result, exclusions=0)
        result.actions = data["actions"]
        return Preview(
            result=result,
            run=None,
            action_count=data["action_count"],
            to_execute=data["to_execute"],
        )
    result = RunResult(as_of=as_of, administration=administration.code, already_run=True)
    result.skipped = dict(run.counts.get("skipped", {}))
    all_actions = DunningAction.objects.filter(administration=administration, run=run)
    actions = (
        all_actions.select_related("customer", "step")
        .prefetch_related("lines__invoice")
        .order_by("customer__number", "position", "pk")[:PREVIEW_ACTIONS]
    )
    result.actions = [
        _action_dict(
            action,
            [
                line.invoice.number
                for line in sorted(
                    action.lines.all(),
                    key=lambda line: (line.invoice.due_date, line.invoice.number),
                )
            ],
            customer=action.customer,
        )
        for action in actions
    ]
    return Preview(
        result=result,
        run=run,
        action_count=all_actions.count(),
        to_execute=all_actions.filter(
            status__in=[ActionStatus.PENDING, ActionStatus.APPROVED]
        ).count(),
    )
