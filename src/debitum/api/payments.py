"""Payments: list (keyset pages) and push, idempotent by the sender's `external_id`. A payment
naming an invoice is allocated to it up to what is open; the rest stays unapplied."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError
from django.db.models import Sum
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from debitum.customers.models import Customer
from debitum.ledger.models import Invoice, Payment
from debitum.ledger.services import payment_push

from .auth import administration_for, administration_for_write
from .errors import READ_ERRORS, WRITE_ERRORS, ApiError
from .pagination import Page, page
from .schemas import BodyIn, IsoDate

router = Router(tags=["payments"])

API_PREFIX = "api:"


class PaymentOut(Schema):
    id: int
    external_id: str | None = Field(description="as pushed through the API; null for imports")
    customer_number: str
    payment_date: dt.date
    currency: str
    amount: Decimal = Field(description="negative for a refund")
    reference: str
    invoice_number: str
    unapplied: Decimal = Field(description="what no invoice absorbed (yet)")


class PaymentPage(Page):
    items: list[PaymentOut]


class PaymentIn(BodyIn):
    external_id: str = Field(min_length=1, max_length=60,
                             description="the sender's identity of the payment: pushing it "
                             "again changes nothing")  # fmt: skip
    payment_date: IsoDate
    amount: Decimal = Field(max_digits=15, decimal_places=2, description="negative: a refund")
    customer_number: str | None = Field(None, max_length=50,
                                        description="default: the invoice's customer")  # fmt: skip
    invoice_number: str | None = Field(None, max_length=50,
                                       description="allocate to this invoice")  # fmt: skip
    currency: str | None = Field(None, min_length=3, max_length=3,
                                 description="default: the invoice's or the administration's")  # fmt: skip
    reference: str = Field("", max_length=140)

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "external_id": "BANK-2025-03-15-0042",
                    "payment_date": "2025-03-15",
                    "amount": "1210.00",
                    "invoice_number": "F2025-0001",
                }
            ]
        }
    }


def _out(payment: Payment) -> dict:
    allocated = getattr(payment, "allocated", None)
    if allocated is None:
        allocated = payment.allocations.aggregate(total=Sum("amount"))["total"]
    fingerprint = payment.fingerprint
    return {
        "id": payment.pk,
        "external_id": fingerprint[len(API_PREFIX) :]
        if fingerprint.startswith(API_PREFIX)
        else None,
        "customer_number": payment.customer.number,
        "payment_date": payment.payment_date,
        "currency": payment.currency,
        "amount": payment.amount,
        "reference": payment.reference,
        "invoice_number": payment.invoice_number,
        "unapplied": payment.amount - (allocated or Decimal("0.00")),
    }


@router.get("/{code}/payments", response={200: PaymentPage, **READ_ERRORS})
def payment_list(request, code: str, customer: str | None = None, after: str | None = None,
                 limit: int | None = None):  # fmt: skip
    """Payments in the order they were recorded; filter by customer number."""
    administration = administration_for(request, code)
    payments = Payment.objects.filter(administration=administration).select_related("customer")
    if customer:
        payments = payments.filter(
            customer=get_object_or_404(Customer, administration=administration, number=customer)
        )
    return page(payments, after=after, limit=limit, serialize=_out)


@router.post("/{code}/payments", response={200: PaymentOut, 201: PaymentOut, **WRITE_ERRORS})
def payment_create(request, code: str, body: PaymentIn):
    """Record a payment (201); the same `external_id` again answers the stored payment (200)
    and changes nothing, with other values it is refused (409 `conflict`). Role controller or
    higher."""
    administration = administration_for_write(request, code)
    invalid = "the input is not valid"
    customer = invoice = None
    if body.customer_number:
        customer = Customer.objects.filter(
            administration=administration, number=body.customer_number
        ).first()
        if customer is None:
            raise ApiError(422, "validation_error", invalid,
                           {"customer_number": [f"no customer {body.customer_number}"]})  # fmt: skip
    if body.invoice_number:
        invoice = (
            Invoice.objects.select_related("customer")
            .filter(administration=administration, number=body.invoice_number)
            .first()
        )
        if invoice is None:
            raise ApiError(422, "validation_error", invalid,
                           {"invoice_number": [f"no invoice {body.invoice_number}"]})  # fmt: skip
    currency = (body.currency or (invoice.currency if invoice else administration.currency)).upper()
    arguments = dict(
        administration=administration, external_id=body.external_id, customer=customer,
        invoice=invoice, payment_date=body.payment_date, amount=body.amount, currency=currency,
        reference=body.reference.strip(), actor=request.auth,
    )  # fmt: skip
    try:
        payment, created = payment_push(**arguments)
    except IntegrityError:
        payment, created = payment_push(**arguments)
    return Status(201 if created else 200, _out(payment))
