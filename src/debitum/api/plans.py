"""Payment plans: list, one with its schedule, create."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from debitum.plans.models import PaymentPlan, PlanInvoice
from debitum.plans.selectors import plan_list, plan_schedule
from debitum.plans.services import plan_create

from .auth import administration_for, administration_for_write
from .errors import READ_ERRORS, WRITE_ERRORS
from .lookups import body_customer, body_invoice
from .pagination import Page, page
from .schemas import BodyBool, BodyIn, BodyInt, IsoDate

router = Router(tags=["plans"])


class InstalmentOut(Schema):
    number: int
    due_date: dt.date
    amount: Decimal


class PlanOut(Schema):
    id: int
    customer_number: str
    currency: str
    total: Decimal
    start_date: dt.date
    every: str
    grace_days: int
    status: str
    closed_date: dt.date | None
    note: str


class PlanDetailOut(PlanOut):
    invoices: list[str]
    schedule: list[InstalmentOut]


class PlanPage(Page):
    items: list[PlanOut]


class PlanIn(BodyIn):
    customer_number: str
    instalments: BodyInt = Field(ge=1, le=120)
    first_date: IsoDate
    start_date: IsoDate | None = Field(None, description="default today")
    every: Literal["month", "week", "2weeks"] = "month"
    invoice_numbers: list[str] | None = Field(None, description="default: all open invoices of "
                                              "the customer not under another plan")  # fmt: skip
    grace_days: BodyInt = Field(7, ge=0, le=60)
    note: str = ""
    send_confirmation: BodyBool = Field(True, description="store and queue the confirmation letter")

    model_config = {"json_schema_extra": {"examples": [
        {"customer_number": "C1001", "instalments": 3, "first_date": "2025-04-01",
         "invoice_numbers": ["F2025-0001"]}
    ]}}  # fmt: skip


def _out(plan: PaymentPlan) -> dict:
    fields = ("currency", "total", "start_date", "every", "grace_days", "status", "closed_date",
              "note")  # fmt: skip
    return {"id": plan.pk, "customer_number": plan.customer.number,
            **{field: getattr(plan, field) for field in fields}}  # fmt: skip


def _detail(plan: PaymentPlan) -> dict:
    invoices = PlanInvoice.objects.filter(administration_id=plan.administration_id, plan=plan)
    return {
        **_out(plan),
        "invoices": list(
            invoices.order_by("invoice__number").values_list("invoice__number", flat=True)
        ),  # fmt: skip
        "schedule": [
            {"number": row.number, "due_date": row.due_date, "amount": row.amount}
            for row in plan_schedule(plan)
        ],
    }


@router.get("/{code}/plans", response={200: PlanPage, **READ_ERRORS})
def plans_list(request, code: str,
               status: Literal["active", "completed", "broken", "cancelled"] | None = None,
               after: str | None = None, limit: int | None = None):  # fmt: skip
    """Payment plans in the order they were made; filter by status."""
    administration = administration_for(request, code)
    plans = plan_list(administration=administration, status=status)
    return page(plans, after=after, limit=limit, serialize=_out)


@router.get("/{code}/plans/{plan_id}", response={200: PlanDetailOut, **READ_ERRORS})
def plan_get(request, code: str, plan_id: int):
    """One plan with its invoices and its schedule of instalments."""
    administration = administration_for(request, code)
    plan = get_object_or_404(PaymentPlan.objects.select_related("customer"),
                             administration=administration, pk=plan_id)  # fmt: skip
    return _detail(plan)


@router.post("/{code}/plans", response={201: PlanDetailOut, **WRITE_ERRORS})
def plan_make(request, code: str, body: PlanIn):
    """A payment plan over chosen invoices in equal instalments (the remainder on the last);
    its invoices leave dunning while it runs. Role controller or higher."""
    administration = administration_for_write(request, code)
    customer = body_customer(administration, body.customer_number)
    invoices = None
    if body.invoice_numbers is not None:
        invoices = [body_invoice(administration, number, field="invoice_numbers")
                    for number in body.invoice_numbers]  # fmt: skip
    plan = plan_create(
        customer=customer, instalments=body.instalments, first_date=body.first_date,
        start_date=body.start_date or timezone.localdate(), every=body.every, invoices=invoices,
        grace_days=body.grace_days, note=body.note, actor=request.auth,
        send_confirmation=body.send_confirmation,
    )  # fmt: skip
    return Status(201, _detail(plan))
