"""Reads of payment plans. Every function takes the administration (or a plan of it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet, Sum

from debitum.domain.plans import PlanStanding, ScheduledInstalment, plan_standing
from debitum.ledger.models import Allocation

from .models import PaymentPlan, PlanInvoice, PlanStatus


def plan_list(*, administration, status: str | None = None) -> QuerySet[PaymentPlan]:
    """The administration's plans, latest start first."""
    plans = PaymentPlan.objects.filter(administration=administration).select_related("customer")
    if status:
        plans = plans.filter(status=status)
    return plans.order_by("-start_date", "-id")


def plan_get(*, administration, plan_id: int) -> PaymentPlan:
    """One plan of the administration; LookupError when it has none with that id."""
    try:
        return PaymentPlan.objects.select_related("customer").get(
            administration=administration, pk=plan_id
        )
    except PaymentPlan.DoesNotExist:
        raise LookupError(f"no payment plan {plan_id} in {administration.code}") from None


def invoice_ids_in_active_plans(*, administration) -> set[int]:
    """Invoices under an active plan: they stay out of dunning."""
    return set(
        PlanInvoice.objects.filter(
            administration=administration, plan__status=PlanStatus.ACTIVE
        ).values_list("invoice_id", flat=True)
    )


def plan_schedule(plan: PaymentPlan) -> list[ScheduledInstalment]:
    return [
        ScheduledInstalment(number, due_date, amount)
        for number, due_date, amount in plan.instalments.filter(
            administration_id=plan.administration_id
        ).values_list("number", "due_date", "amount")
    ]


def plan_paid(plan: PaymentPlan, *, as_of: dt.date) -> Decimal:
    """What was allocated to the plan's invoices from its start through `as_of`: payments and
    credit notes alike, since both reduce what the customer still has to pay."""
    return Allocation.objects.filter(
        administration_id=plan.administration_id,
        invoice_id__in=PlanInvoice.objects.filter(
            administration_id=plan.administration_id, plan=plan
        ).values("invoice_id"),
        allocation_date__gte=plan.start_date,
        allocation_date__lte=as_of,
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def plan_standing_at(plan: PaymentPlan, *, as_of: dt.date) -> PlanStanding:
    """Which instalments are paid at `as_of`, and the first missed one past its grace days."""
    return plan_standing(
        schedule=plan_schedule(plan),
        paid=plan_paid(plan, as_of=as_of),
        as_of=as_of,
        grace_days=plan.grace_days,
    )


def plan_confirmation_context(plan: PaymentPlan) -> dict:
    """What a confirmation letter of the plan needs: who writes to whom, the invoices the plan
    covers and the schedule. Dates are `date`s and amounts `Decimal`s, for the template to
    format in the customer's language."""
    administration = plan.administration
    customer = plan.customer
    lines = (
        PlanInvoice.objects.filter(administration_id=plan.administration_id, plan=plan)
        .select_related("invoice")
        .order_by("invoice__invoice_date", "invoice__number")
    )
    return {
        "administration": {
            field: getattr(administration, field, "")
            for field in (
                "code",
                "name",
                "legal_name",
                "street",
                "postal_code",
                "city",
                "country",
                "iban",
                "bic",
                "email",
                "phone",
                "vat_number",
            )
        },
        "customer": {
            "number": customer.number,
            "name": customer.name,
            "street": customer.street,
            "postal_code": customer.postal_code,
            "city": customer.city,
            "country": customer.country,
            "language": customer.language,
            "email": customer.email,
        },
        "plan": {
            "id": plan.pk,
            "status": plan.status,
            "start_date": plan.start_date,
            "currency": plan.currency,
            "total": plan.total,
            "every": plan.every,
            "grace_days": plan.grace_days,
            "note": plan.note,
        },
        "invoices": [
            {
                "number": line.invoice.number,
                "invoice_date": line.invoice.invoice_date,
                "due_date": line.invoice.due_date,
                "amount": line.amount,
                "reference": line.invoice.reference,
            }
            for line in lines
        ],
        "instalments": [
            {"number": item.number, "due_date": item.due_date, "amount": item.amount}
            for item in plan_schedule(plan)
        ],
    }


EVERY_TEXT = {"month": "monthly", "week": "weekly", "2weeks": "every two weeks"}


def plan_confirmation_text(plan: PaymentPlan) -> str:
    """The confirmation as plain text (English): what the command line prints. The letter in
    the customer's language is rendered from `plan_confirmation_context`."""
    context = plan_confirmation_context(plan)
    sender, customer, details = context["administration"], context["customer"], context["plan"]
    currency = details["currency"]
    lines = [
        sender["legal_name"] or sender["name"],
        "",
        f"{customer['name']} ({customer['number']})",
        *[
            part
            for part in (
                customer["street"],
                f"{customer['postal_code']} {customer['city']}".strip(),
            )
            if part
        ],
        "",
        f"Payment plan {details['id']}, agreed on {details['start_date']:%Y-%m-%d}",
        "",
        f"You will pay {currency} {details['total']:.2f} for these invoices:",
        *[
            f"  {item['number']:<20} {item['invoice_date']:%Y-%m-%d}  {currency} {item['amount']:>12.2f}"
            for item in context["invoices"]
        ],
        "",
        f"in {len(context['instalments'])} instalments, {EVERY_TEXT[details['every']]}:",
        *[
            f"  {item['number']:>3}  {item['due_date']:%Y-%m-%d}  {currency} {item['amount']:>12.2f}"
            for item in context["instalments"]
        ],
        "",
        f"An instalment more than {details['grace_days']} days late ends the plan, and the "
        "invoices are then due in full.",
    ]
    return "\n".join(lines) + "\n"
