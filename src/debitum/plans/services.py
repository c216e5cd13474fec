"""Writes of payment plans: creating one over chosen invoices, cancelling it, and the daily
review that completes or breaks plans.

While a plan is active its invoices leave dunning (the dunning run reads the active plans'
invoices); a broken plan's invoices return to it. Each move writes an audit event in the same
transaction (STYLE rule 4).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum

from debitum.audit.services import audit_record
from debitum.common.fields import MoneyField
from debitum.domain.plans import (
    PlanError,
    ScheduledInstalment,
    plan_schedule_preview,
    plan_standing,
)
from debitum.ledger.choices import InvoiceKind
from debitum.ledger.models import Allocation, Invoice
from debitum.ledger.selectors import open_amounts
from debitum.outbox.services import plan_confirmation_communicate
from debitum.tasks.services import task_ensure

from .models import Instalment, PaymentPlan, PlanInvoice, PlanStatus

TRANSITIONS = {
    PlanStatus.ACTIVE: {PlanStatus.COMPLETED, PlanStatus.BROKEN, PlanStatus.CANCELLED},
    PlanStatus.COMPLETED: set(),
    PlanStatus.BROKEN: set(),
    PlanStatus.CANCELLED: set(),
}


def plan_create(
    *,
    customer,
    instalments: int,
    first_date: dt.date,
    start_date: dt.date,
    every: str = "month",
    invoices: list[Invoice] | None = None,
    grace_days: int = 7,
    note: str = "",
    actor=None,
    send_confirmation: bool = True,
) -> PaymentPlan:
    """A plan for `customer` to pay `invoices` (None: all its open invoices not under another
    active plan) in `instalments` from `first_date`, one every `every` (month, week, 2weeks).

    The total is what is open on the invoices at `start_date`; the instalments are equal in
    cents with the remainder on the last one. Refused: invoices of another customer, not open,
    in another currency than the others, or under another active plan.

    With `send_confirmation` (the default) the confirmation letter is stored and queued in the
    outbox (`outbox.services.plan_confirmation_communicate`: an e-mail with the PDF, else a
    letter to print) in the same transaction: a plan whose letter cannot be made is not made.
    """
    administration = customer.administration
    if first_date < start_date:
        raise ValidationError({"first_date": f"the first instalment is before {start_date}"})
    if invoices is not None and not invoices:
        raise ValidationError({"invoices": "a plan covers at least one invoice"})
    with transaction.atomic():
        # Locking the invoices makes "not under another active plan" hold until commit.
        if invoices is None:
            chosen = list(
                Invoice.objects.select_for_update()
                .filter(
                    administration=administration,
                    customer=customer,
                    kind=InvoiceKind.INVOICE,
                    invoice_date__lte=start_date,
                )
                .exclude(
                    pk__in=PlanInvoice.objects.filter(
                        administration=administration, plan__status=PlanStatus.ACTIVE
                    ).values("invoice_id")
                )
                .order_by("id")
            )
        else:
            chosen = list(
                Invoice.objects.select_for_update()
                .filter(administration=administration, pk__in=[invoice.pk for invoice in invoices])
                .order_by("id")
            )
            if len(chosen) != len({invoice.pk for invoice in invoices}):
                raise ValidationError({"invoices": "an invoice is not of this administration"})
        opened = open_amounts(
            administration=administration,
            as_of=start_date,
            invoice_ids=[invoice.pk for invoice in chosen],
        )
        if invoices is None:
            chosen = [invoice for invoice in chosen if opened.get(invoice.pk, 0) > 0]
            if not chosen:
                raise ValidationError(
                    {"invoices": f"{customer.number} has no open invoices outside an active plan"}
                )
        _check_invoices(customer=customer, invoices=chosen, opened=opened)
        currency = chosen[0].currency
        total = sum((opened[invoice.pk] for invoice in chosen), Decimal("0.00"))
        try:
            schedule = plan_schedule_preview(
                total=total, instalments=instalments, first=first_date, every=every
            )
        except PlanError as error:
            raise ValidationError({"instalments": str(error)}) from None
        plan = PaymentPlan.objects.create(
            administration=administration,
            customer=customer,
            currency=currency,
            total=total,
            start_date=start_date,
            grace_days=grace_days,
            every=every,
            note=note.strip(),
            created_by=actor if actor is not None and actor.pk else None,
        )
        PlanInvoice.objects.bulk_create(
            PlanInvoice(
                administration=administration, plan=plan, invoice=invoice, amount=opened[invoice.pk]
            )
            for invoice in chosen
        )
        Instalment.objects.bulk_create(
            Instalment(
                administration=administration,
                plan=plan,
                number=item.number,
                due_date=item.due_date,
                amount=item.amount,
            )
            for item in schedule
        )
        audit_record(
            administration=administration,
            actor=actor,
            action="plan.create",
            obj=plan,
            summary=f"payment plan for {customer.number}: {currency} {total:.2f} in {instalments} instalments from {first_date}",
            changes={
                "customer": customer.number,
                "invoices": [invoice.number for invoice in chosen],
                "total": f"{total:.2f}",
                "instalments": [
                    [item.number, item.due_date.isoformat(), f"{item.amount:.2f}"]
                    for item in schedule
                ],
                "grace_days": grace_days,
            },
        )
        if send_confirmation:
            plan_confirmation_communicate(plan=plan)
    return plan


def _check_invoices(*, customer, invoices: list[Invoice], opened: dict[int, Decimal]) -> None:
    if not invoices:
        raise ValidationError({"invoices": "a plan covers at least one invoice"})
    for invoice in invoices:
        if invoice.customer_id != customer.pk:
            raise ValidationError(
                {"invoices": f"invoice {invoice.number} is not of customer {customer.number}"}
            )
        if invoice.kind != InvoiceKind.INVOICE:
            raise ValidationError({"invoices": f"{invoice.number} is a credit note"})
        if opened.get(invoice.pk, Decimal("0")) <= 0:
            raise ValidationError({"invoices": f"nothing is open on invoice {invoice.number}"})
    currencies = sorted({invoice.currency for invoice in invoices})
    if len(currencies) > 1:
        raise ValidationError(
            {"invoices": f"the invoices are in {' and '.join(currencies)}; a plan has one currency"}
        )
    in_plan = (
        PlanInvoice.objects.filter(
            administration_id=customer.administration_id,
            plan__status=PlanStatus.ACTIVE,
            invoice_id__in=[invoice.pk for invoice in invoices],
        )
        .select_related("invoice")
        .order_by("invoice__number")
        .first()
    )
    if in_plan is not None:
        raise ValidationError(
            {
                "invoices": f"invoice {in_plan.invoice.number} is in active payment plan {in_plan.plan_id}"
            }
        )


def _check_transition(plan: PaymentPlan, target: str) -> None:
    if target not in TRANSITIONS[PlanStatus(plan.status)]:
        raise ValidationError(
            {"status": f"plan {plan.pk} is {plan.status}; it cannot become {target}"}
        )


def plan_cancel(
    *, plan: PaymentPlan, cancelled_date: dt.date, reason: str = "", actor=None
) -> PaymentPlan:
    """End an active plan by agreement (replaced, entered by mistake): its invoices return to
    dunning, without a broken-plan task."""
    with transaction.atomic():
        plan = PaymentPlan.objects.select_for_update().get(
            pk=plan.pk, administration_id=plan.administration_id
        )
        _check_transition(plan, PlanStatus.CANCELLED)
        plan.status, plan.closed_date = PlanStatus.CANCELLED, cancelled_date
        plan.save(update_fields=["status", "closed_date"])
        audit_record(
            administration=plan.administration,
            actor=actor,
            action="plan.cancel",
            obj=plan,
            summary=f"payment plan {plan.pk} cancelled",
            changes={"status": ["active", "cancelled"]},
            reason=reason.strip(),
        )
    return plan


def plans_review(*, administration, as_of: dt.date, actor=None) -> dict[str, int]:
    """Complete or break the administration's active plans at `as_of`.

    Paid: what was allocated to a plan's invoices (payments and credit notes) from its start
    through `as_of`; it covers the instalments in order. Completed: nothing is open on any of
    the plan's invoices (closed on `as_of`). Broken: an instalment not covered past its due date
    plus the plan's grace days (closed the day after the grace ended), with a task for the
    collector; its invoices return to dunning. Running it twice changes nothing.

    Counts: {"completed", "broken", "active"} (active: still running).
    """
    counts = {"completed": 0, "broken": 0, "active": 0}
    with transaction.atomic():
        # Only the plans are locked (`of`): the joined customers stay free for imports.
        plans = list(
            PaymentPlan.objects.select_for_update(of=("self",))
            .filter(administration=administration, status=PlanStatus.ACTIVE, start_date__lte=as_of)
            .select_related("customer")
            .order_by("id")
        )
        if not plans:
            return counts
        reviewed = PaymentPlan.objects.filter(
            administration=administration, status=PlanStatus.ACTIVE, start_date__lte=as_of
        ).values("pk")
        # Three queries for all plans: their invoices with what was allocated to each since
        # the plan's start, their instalments, and what is still open on the invoices.
        allocated = (
            Allocation.objects.filter(
                administration=administration,
                invoice_id=OuterRef("invoice_id"),
                allocation_date__gte=OuterRef("plan__start_date"),
                allocation_date__lte=as_of,
            )
            .values("invoice_id")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        invoice_ids = defaultdict(list)
        paid = defaultdict(lambda: Decimal("0.00"))
        for plan_id, invoice_id, amount in (
            PlanInvoice.objects.filter(administration=administration, plan_id__in=reviewed)
            .annotate(allocated=Subquery(allocated, output_field=MoneyField()))
            .values_list("plan_id", "invoice_id", "allocated")
        ):
            invoice_ids[plan_id].append(invoice_id)
            paid[plan_id] += amount or Decimal("0.00")
        schedules = defaultdict(list)
        for plan_id, number, due_date, amount in Instalment.objects.filter(
            administration=administration, plan_id__in=reviewed
        ).values_list("plan_id", "number", "due_date", "amount"):
            schedules[plan_id].append(ScheduledInstalment(number, due_date, amount))
        still_open = open_amounts(
            administration=administration,
            as_of=as_of,
            invoice_ids=[invoice_id for ids in invoice_ids.values() for invoice_id in ids],
        )

        completed, broken = [], []
        for plan in plans:
            standing = plan_standing(
                schedule=schedules[plan.pk],
                paid=paid[plan.pk],
                as_of=as_of,
                grace_days=plan.grace_days,
            )
            if all(still_open.get(invoice_id, 0) <= 0 for invoice_id in invoice_ids[plan.pk]):
                plan.status, plan.closed_date = PlanStatus.COMPLETED, as_of
                completed.append((plan, standing))
            elif standing.missed is not None:
                plan.status = PlanStatus.BROKEN
                plan.closed_date = standing.missed.due_date + dt.timedelta(days=plan.grace_days + 1)
                broken.append((plan, standing))
            else:
                counts["active"] += 1
        PaymentPlan.objects.bulk_update(
            [plan for plan, _ in completed + broken], ["status", "closed_date"], batch_size=500
        )
        for plan, _standing in completed:
            audit_record(
                administration=administration,
                actor=actor,
                action="plan.completed",
                obj=plan,
                summary=f"payment plan {plan.pk} of {plan.customer.number} completed: its invoices are paid",
                changes={"status": ["active", "completed"], "paid": f"{paid[plan.pk]:.2f}"},
            )
        for plan, standing in broken:
            missed = standing.missed
            audit_record(
                administration=administration,
                actor=actor,
                action="plan.broken",
                obj=plan,
                summary=f"payment plan {plan.pk} of {plan.customer.number} broken: instalment {missed.number} of {missed.due_date} not paid",
                changes={
                    "status": ["active", "broken"],
                    "missed_instalment": missed.number,
                    "paid": f"{paid[plan.pk]:.2f}",
                },
            )
            task_ensure(
                administration=administration,
                customer=plan.customer,
                kind="plan_broken",
                title=f"Payment plan {plan.pk} broken: instalment {missed.number} of {missed.due_date} unpaid",
                detail=(
                    f"{plan.customer.number} {plan.customer.name}: {plan.currency} "
                    f"{paid[plan.pk]:.2f} paid of {plan.total:.2f}; instalment {missed.number} "
                    f"({missed.amount:.2f}, due {missed.due_date}, grace {plan.grace_days} days) "
                    "was not covered. The invoices return to dunning."
                ),
                due_date=as_of,
                key=f"plan-broken-{plan.pk}",
            )
        counts["completed"], counts["broken"] = len(completed), len(broken)
    return counts
