"""Notes and call logs on a customer's file: list per customer, add one."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from debitum.customers.models import Customer
from debitum.ledger.models import Invoice
from debitum.notes.selectors import note_list
from debitum.notes.services import note_add

from .auth import administration_for, administration_for_write
from .errors import READ_ERRORS, WRITE_ERRORS, ApiError
from .pagination import Page, page
from .schemas import BodyIn, IsoDate

router = Router(tags=["notes"])


class NoteOut(Schema):
    id: int
    customer_number: str
    invoice_number: str | None
    kind: str
    outcome: str
    text: str
    note_date: dt.date
    created_by: str | None


class NotePage(Page):
    items: list[NoteOut]


class NoteIn(BodyIn):
    kind: Literal["call", "note"]
    text: str = ""
    outcome: str = Field("", description="a call's outcome: reached, promise, dispute, paid, "
                         "no_answer, voicemail, wrong_number, refused, call_back")  # fmt: skip
    note_date: IsoDate | None = Field(None, description="default today")
    invoice_number: str | None = None

    model_config = {"json_schema_extra": {"examples": [
        {"kind": "call", "outcome": "reached", "text": "Pays Friday, invoice was mislaid"}
    ]}}  # fmt: skip


def _out(note) -> dict:
    return {
        "id": note.pk,
        "customer_number": note.customer.number,
        "invoice_number": note.invoice.number if note.invoice_id else None,
        "kind": note.kind,
        "outcome": note.outcome,
        "text": note.text,
        "note_date": note.note_date,
        "created_by": note.created_by.get_username() if note.created_by_id else None,
    }


@router.get("/{code}/customers/{customer_number}/notes", response={200: NotePage, **READ_ERRORS})
def notes_of_customer(request, code: str, customer_number: str, after: str | None = None,
                      limit: int | None = None):  # fmt: skip
    """A customer's notes and calls, in the order they were written."""
    administration = administration_for(request, code)
    customer = get_object_or_404(Customer, administration=administration, number=customer_number)
    notes = note_list(administration=administration, customer=customer).select_related("customer")
    return page(notes, after=after, limit=limit, serialize=_out)


@router.post("/{code}/customers/{customer_number}/notes",
             response={201: NoteOut, **WRITE_ERRORS})  # fmt: skip
def note_create(request, code: str, customer_number: str, body: NoteIn):
    """Log a call with its outcome or write a note (on an invoice of the customer, if named).
    Role controller or higher."""
    administration = administration_for_write(request, code)
    customer = get_object_or_404(Customer, administration=administration, number=customer_number)
    invoice = None
    if body.invoice_number:
        invoice = Invoice.objects.filter(
            administration=administration, number=body.invoice_number
        ).first()
        if invoice is None:
            raise ApiError(422, "validation_error", "the input is not valid",
                           {"invoice_number": [f"no invoice {body.invoice_number}"]})  # fmt: skip
    note = note_add(
        customer=customer, kind=body.kind, text=body.text, outcome=body.outcome,
        note_date=body.note_date or timezone.localdate(), invoice=invoice, actor=request.auth,
    )  # fmt: skip
    return Status(201, _out(note))
