"""Promises to pay: list, register, cancel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from debitum.promises.models import Promise
from debitum.promises.selectors import promise_list
from debitum.promises.services import promise_cancel, promise_register

from .auth import administration_for, administration_for_write
from .errors import READ_ERRORS, WRITE_ERRORS
from .lookups import body_customer
from .pagination import Page, page
from .schemas import BodyIn, BodyInt, IsoDate

router = Router(tags=["promises"])


class PromiseOut(Schema):
    id: int
    customer_number: str
    promise_date: dt.date
    promised_date: dt.date
    currency: str
    amount: Decimal
    grace_days: int
    status: str
    closed_date: dt.date | None
    note: str


class PromisePage(Page):
    items: list[PromiseOut]


class PromiseIn(BodyIn):
    customer_number: str
    amount: Decimal = Field(gt=0, max_digits=15, decimal_places=2)
    promised_date: IsoDate
    promise_date: IsoDate | None = Field(None, description="the day it was made; default today")
    grace_days: BodyInt | None = Field(None, ge=0, le=60, description="default: the policy's")
    note: str = ""

    model_config = {"json_schema_extra": {"examples": [
        {"customer_number": "C1001", "amount": "500.00", "promised_date": "2025-04-04"}
    ]}}  # fmt: skip


class CancelIn(BodyIn):
    reason: str = ""
    cancelled_date: IsoDate | None = Field(None, description="default today")

    model_config = {"json_schema_extra": {"examples": [{"reason": "replaced by a payment plan"}]}}


def _out(promise: Promise) -> dict:
    fields = ("promise_date", "promised_date", "currency", "amount", "grace_days", "status",
              "closed_date", "note")  # fmt: skip
    return {"id": promise.pk, "customer_number": promise.customer.number,
            **{field: getattr(promise, field) for field in fields}}  # fmt: skip


@router.get("/{code}/promises", response={200: PromisePage, **READ_ERRORS})
def promises_list(request, code: str,
                  status: Literal["open", "kept", "broken", "cancelled"] | None = None,
                  customer: str | None = None, after: str | None = None,
                  limit: int | None = None):  # fmt: skip
    """Promises in the order they were registered; filter by status and customer number."""
    administration = administration_for(request, code)
    promises = promise_list(administration=administration, status=status)
    if customer:
        promises = promises.filter(customer__number=customer)
    return page(promises, after=after, limit=limit, serialize=_out)


@router.post("/{code}/promises", response={201: PromiseOut, **WRITE_ERRORS})
def promise_create(request, code: str, body: PromiseIn):
    """Register a promise: the customer's dunning waits until the promised date plus the grace
    days. Role controller or higher."""
    administration = administration_for_write(request, code)
    customer = body_customer(administration, body.customer_number)
    promise = promise_register(
        customer=customer, amount=body.amount, promised_date=body.promised_date,
        promise_date=body.promise_date or timezone.localdate(), grace_days=body.grace_days,
        note=body.note, actor=request.auth,
    )  # fmt: skip
    return Status(201, _out(promise))


@router.post("/{code}/promises/{promise_id}/cancel", response={200: PromiseOut, **WRITE_ERRORS})
def promise_withdraw(request, code: str, promise_id: int, body: CancelIn):
    """Cancel an open promise (422 when it is no longer open). Role controller or higher."""
    administration = administration_for_write(request, code)
    promise = get_object_or_404(Promise.objects.select_related("customer"),
                                administration=administration, pk=promise_id)  # fmt: skip
    promise = promise_cancel(promise=promise, reason=body.reason, actor=request.auth,
                             cancelled_date=body.cancelled_date or timezone.localdate())  # fmt: skip
    return _out(promise)
