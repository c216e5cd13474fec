"""The dunning run as a controller works it in the browser: preview, exclude, execute.

The run itself is `services.dunning_run`; this module adds what the page needs around it:
exclusions for one day (read by the run as a hold, so they survive into the real run), the
preview of a day (a dry run, or the run of that day when it has happened). Execution from the
page is a background job (jobs.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from debitum.audit.services import audit_record

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


@dataclass
class Preview:
    """What the page shows for a day: the decisions (dry run or the run of the day)."""

    result: RunResult
    run: DunningRun | None  # the run of the day when it has happened

    @property
    def has_run(self) -> bool:
        return self.run is not None

    @property
    def to_execute(self) -> int:
        return sum(
            1
            for action in self.result.actions
            if action["status"] in (ActionStatus.PENDING, ActionStatus.APPROVED)
        )


def run_preview(*, administration, as_of: dt.date) -> Preview:
    """A dry run of `as_of` (nothing is kept), or the decisions of the run of that day."""
    run = DunningRun.objects.filter(administration=administration, as_of=as_of).first()
    if run is None:
        return Preview(
            result=dunning_run(administration=administration, as_of=as_of, dry_run=True),
            run=None,
        )
    result = RunResult(as_of=as_of, administration=administration.code, already_run=True)
    result.skipped = dict(run.counts.get("skipped", {}))
    actions = (
        DunningAction.objects.filter(administration=administration, run=run)
        .select_related("customer", "step")
        .prefetch_related("lines__invoice")
        .order_by("customer__number", "position", "pk")
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
    return Preview(result=result, run=run)
