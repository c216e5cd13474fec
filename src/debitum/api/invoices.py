"""Invoices and credit notes: list with filters (keyset pages), one by number with its open
amount at a date, open items at a date, and PUT by number so an ERP can push them: idempotent
on the number, and creating a new customer from `customer_name`, as the invoice import is."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from debitum.customers.models import Customer
from debitum.customers.services import customer_save
from debitum.domain.money import from_minor_units
from debitum.ledger.selectors import invoice_list
from debitum.ledger.services import invoice_push

from .auth import administration_for, administration_for_write
from .errors import READ_ERRORS, WRITE_ERRORS, ApiError
from .pagination import Page, row_page
from .schemas import BodyIn, IsoDate

router = Router(tags=["invoices"])


class InvoiceOut(Schema):
    number: str
    kind: str = Field(description="invoice or credit_note")
    customer_number: str
    invoice_date: dt.date
    due_date: dt.date
    currency: str
    amount: Decimal = Field(description="incl. VAT; negative for a credit note")
    vat_amount: Decimal
    description: str
    reference: str = Field(description="the payment reference")
    open_amount: Decimal = Field(description="open at `as_of` (default today)")
    as_of: dt.date


class InvoicePage(Page):
    items: list[InvoiceOut]


class InvoiceFilters(Schema):
    customer: str | None = Field(None, description="a customer number")
    kind: Literal["invoice", "credit_note"] | None = None
    status: Literal["open", "paid"] | None = Field(None, description="at `as_of`")
    due_before: IsoDate | None = None
    due_after: IsoDate | None = None
    as_of: IsoDate | None = Field(None, description="the date of the open amounts; default today")


class InvoiceIn(BodyIn):
    """An invoice (positive amount) or credit note (negative amount, or kind credit_note)."""

    customer_number: str = Field(min_length=1, max_length=50, description="the customer; a "
                                 "number that is new needs `customer_name`")  # fmt: skip
    customer_name: str | None = Field(None, max_length=200, description="creates the customer "
                                      "when `customer_number` is new, as the invoice import does; "
                                      "an existing customer keeps its name")  # fmt: skip
    invoice_date: IsoDate
    due_date: IsoDate
    amount: Decimal = Field(max_digits=15, decimal_places=2, description="incl. VAT")
    kind: Literal["invoice", "credit_note"] | None = Field(
        None, description="default: invoice when the amount is positive"
    )
    currency: str | None = Field(None, min_length=3, max_length=3,
                                 description="default: the administration's")  # fmt: skip
    vat_amount: Decimal = Field(Decimal("0.00"), max_digits=15, decimal_places=2)
    description: str = Field("", max_length=500)
    reference: str = Field("", max_length=50, description="payment reference; "
                           "default: a new one of the administration's kind (OGM, betalingskenmerk)")  # fmt: skip
    credit_for: str = Field("", max_length=50, description="a credit note: the invoice it "
                            "corrects (it is allocated to it)")  # fmt: skip

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "customer_number": "C1001",
                    "customer_name": "Bakkerij De Korenschoof B.V.",
                    "invoice_date": "2025-03-01",
                    "due_date": "2025-03-31",
                    "amount": "1210.00",
                    "vat_amount": "210.00",
                    "description": "March deliveries",
                }
            ]
        }
    }


def _today() -> dt.date:
    return timezone.localdate()


# The columns of an invoice's answer (after its primary key), read as one row: the lists
# (`row_page`), the single invoice and the answer to a push all read it so.
_ROW_FIELDS = ("number", "kind", "customer__number", "invoice_date", "due_date", "currency",
               "amount", "vat_amount", "description", "reference", "open_cents")  # fmt: skip


def _row_serializer(as_of: dt.date):
    """An invoice's row as its answer (`InvoiceOut`), in the JSON values the schema's encoder
    writes: strings for the amounts and dates."""
    as_of_text = as_of.isoformat()

    def serialize(row) -> dict:
        (_, number, kind, customer_number, invoice_date, due_date, currency, amount, vat_amount,
         description, reference, open_cents) = row  # fmt: skip
        return {
            "number": number,
            "kind": kind,
            "customer_number": customer_number,
            "invoice_date": invoice_date.isoformat(),
            "due_date": due_date.isoformat(),
            "currency": currency,
            "amount": str(amount),
            "vat_amount": str(vat_amount),
            "description": description,
            "reference": reference,
            "open_amount": str(from_minor_units(int(open_cents or 0))),
            "as_of": as_of_text,
        }

    return serialize


def _invoice_answer(administration, *, as_of: dt.date, **lookup) -> dict:
    """The answer for the one invoice of `lookup`, with its open amount at `as_of`; 404 when
    there is none."""
    row = (
        invoice_list(administration=administration, as_of=as_of)
        .filter(**lookup)
        .values_list("pk", *_ROW_FIELDS)
        .first()
    )
    if row is None:
        raise Http404("No such invoice")
    return _row_serializer(as_of)(row)


def _customer(administration, body: InvoiceIn, actor) -> Customer:
    """The invoice's customer. A number that is new with a `customer_name` creates the customer
    (customer_save: audited, the administration's defaults), as a row of the invoice import
    does; without a name it is a validation error naming `customer_number`."""
    number = body.customer_number.strip()
    customer = Customer.objects.filter(administration=administration, number=number).first()
    if customer is not None:
        return customer
    if not (body.customer_name or "").strip():
        raise ApiError(422, "validation_error", "the input is not valid", {"customer_number": [
            f"no customer {number}; send customer_name to create it, or create it first "
            "(PUT …/customers/{number})"
        ]})  # fmt: skip
    try:
        customer, _ = customer_save(administration=administration, number=number,
                                    values={"name": body.customer_name}, actor=actor)  # fmt: skip
    except ValidationError as error:
        body_field = {"name": "customer_name", "number": "customer_number"}
        raise ApiError(422, "validation_error", "the input is not valid", {
            body_field.get(field, field): messages
            for field, messages in error.message_dict.items()
        }) from None  # fmt: skip
    return customer


def _list(administration, filters: InvoiceFilters, *, status=None) -> tuple:
    as_of = filters.as_of or _today()
    customer = None
    if filters.customer:
        customer = get_object_or_404(Customer, administration=administration,
                                     number=filters.customer)  # fmt: skip
    invoices = invoice_list(
        administration=administration, as_of=as_of, customer=customer, kind=filters.kind,
        status=status or filters.status, due_before=filters.due_before,
        due_after=filters.due_after,
    )  # fmt: skip
    return invoices, as_of


@router.get("/{code}/invoices", response={200: InvoicePage, **READ_ERRORS})
def invoices_list(request, code: str, filters: Query[InvoiceFilters],
                  after: str | None = None, limit: int | None = None):  # fmt: skip
    """Invoices and credit notes in the order they were recorded, each with its open amount
    at `as_of`; filter by customer, kind, status (open / paid at `as_of`) and due date."""
    administration = administration_for(request, code)
    invoices, as_of = _list(administration, filters)
    return row_page(invoices, after=after, limit=limit, fields=_ROW_FIELDS,
                    serialize=_row_serializer(as_of))  # fmt: skip


@router.get("/{code}/open-items", response={200: InvoicePage, **READ_ERRORS}, tags=["reports"])
def open_items(request, code: str, filters: Query[InvoiceFilters],
               after: str | None = None, limit: int | None = None):  # fmt: skip
    """What is open at `as_of` (default today): invoices with something to pay and credit
    notes with something left, dated on or before `as_of`. The filters of the invoice list."""
    administration = administration_for(request, code)
    invoices, as_of = _list(administration, filters, status="open")
    return row_page(invoices, after=after, limit=limit, fields=_ROW_FIELDS,
                    serialize=_row_serializer(as_of))  # fmt: skip


@router.get("/{code}/invoices/{invoice_number}", response={200: InvoiceOut, **READ_ERRORS})
def invoice_get(request, code: str, invoice_number: str, as_of: IsoDate | None = None):
    """One invoice or credit note with what is open on it at `as_of` (default today)."""
    administration = administration_for(request, code)
    return _invoice_answer(administration, as_of=as_of or _today(), number=invoice_number)


@router.put(
    "/{code}/invoices/{invoice_number}",
    response={200: InvoiceOut, 201: InvoiceOut, **WRITE_ERRORS},
)
def invoice_put(request, code: str, invoice_number: str, body: InvoiceIn):
    """Push an invoice or credit note: created (201) when the number is new; the same invoice
    again is answered with the stored one (200) and changes nothing; another customer, amount,
    currency or date is refused (409 `conflict`, naming the fields): correct a sent invoice
    with a credit note. A customer number that is new needs `customer_name`: the customer is
    created with it, in the same transaction as the invoice. Role controller or higher."""
    administration = administration_for_write(request, code)
    if not invoice_number.strip() or len(invoice_number) > 50:
        raise ApiError(422, "validation_error", "the input is not valid",
                       {"invoice_number": ["an invoice number has 1 to 50 characters"]})  # fmt: skip
    amount, vat_amount = body.amount, body.vat_amount
    if body.kind == "credit_note":
        amount, vat_amount = -abs(amount), -abs(vat_amount)
    elif body.kind == "invoice" and amount < 0:
        raise ApiError(422, "validation_error", "the input is not valid",
                       {"amount": ["an invoice cannot be negative; use kind credit_note"]})  # fmt: skip
    elif amount < 0 and vat_amount > 0:
        vat_amount = -vat_amount
    arguments = dict(
        number=invoice_number, invoice_date=body.invoice_date,
        due_date=body.due_date, amount=amount, vat_amount=vat_amount,
        currency=(body.currency or administration.currency).upper(),
        description=body.description.strip(), reference=body.reference.strip(),
        credit_for=body.credit_for.strip(), actor=request.auth,
    )  # fmt: skip
    # One transaction: an invoice refused (a conflict, a due date before the invoice date)
    # leaves no customer made for it behind.
    with transaction.atomic():
        customer = _customer(administration, body, request.auth)
        try:
            invoice, created = invoice_push(customer=customer, **arguments)
        except IntegrityError:
            # The same number pushed at the same moment by another request: now it is there.
            # (invoice_push's own atomic block rolled back to its savepoint: this one goes on.)
            invoice, created = invoice_push(customer=customer, **arguments)
    return Status(201 if created else 200,
                  _invoice_answer(administration, as_of=_today(), pk=invoice.pk))  # fmt: skip
