"""Disputes over invoices: list, open, resolve."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from debitum.disputes.models import Dispute
from debitum.disputes.selectors import dispute_list
from debitum.disputes.services import dispute_open, dispute_resolve

from .auth import administration_for, administration_for_write
from .errors import READ_ERRORS, WRITE_ERRORS
from .lookups import body_invoice
from .pagination import Page, page
from .schemas import BodyIn, IsoDate

router = Router(tags=["disputes"])

REASONS = Literal["wrong_amount", "not_delivered", "quality", "already_paid", "wrong_addressee",
                  "other"]  # fmt: skip


class DisputeOut(Schema):
    id: int
    invoice_number: str
    customer_number: str
    reason: str
    amount: Decimal | None = Field(description="the disputed part; null: all that is open")
    note: str
    opened_date: dt.date
    status: str
    resolution: str
    resolved_date: dt.date | None
    resolution_note: str
    credit_note_number: str | None


class DisputePage(Page):
    items: list[DisputeOut]


class DisputeIn(BodyIn):
    invoice_number: str
    reason: REASONS
    amount: Decimal | None = Field(None, gt=0, max_digits=15, decimal_places=2,
                                   description="the disputed part; default all that is open")  # fmt: skip
    note: str = ""
    opened_date: IsoDate | None = Field(None, description="default today")

    model_config = {"json_schema_extra": {"examples": [
        {"invoice_number": "F2025-0001", "reason": "quality", "amount": "200.00",
         "note": "Two pallets damaged"}
    ]}}  # fmt: skip


class ResolveIn(BodyIn):
    resolution: Literal["upheld", "rejected", "withdrawn"]
    credit_amount: Decimal | None = Field(None, gt=0, max_digits=15, decimal_places=2,
                                          description="upheld: a credit note of this amount")  # fmt: skip
    note: str = ""
    resolved_date: IsoDate | None = Field(None, description="default today")

    model_config = {"json_schema_extra": {"examples": [
        {"resolution": "upheld", "credit_amount": "200.00", "note": "Damage confirmed"}
    ]}}  # fmt: skip


def _out(dispute: Dispute) -> dict:
    fields = ("reason", "amount", "note", "opened_date", "status", "resolution", "resolved_date",
              "resolution_note")  # fmt: skip
    return {
        "id": dispute.pk,
        "invoice_number": dispute.invoice.number,
        "customer_number": dispute.customer.number,
        "credit_note_number": dispute.credit_note.number if dispute.credit_note_id else None,
        **{field: getattr(dispute, field) for field in fields},
    }


@router.get("/{code}/disputes", response={200: DisputePage, **READ_ERRORS})
def disputes_list(request, code: str, status: Literal["open", "resolved"] | None = None,
                  after: str | None = None, limit: int | None = None):  # fmt: skip
    """Disputes in the order they were opened; filter by status."""
    administration = administration_for(request, code)
    disputes = dispute_list(administration=administration, status=status)
    return page(disputes, after=after, limit=limit, serialize=_out)


@router.post("/{code}/disputes", response={201: DisputeOut, **WRITE_ERRORS})
def dispute_create(request, code: str, body: DisputeIn):
    """Open a dispute over an invoice (or part of it): the disputed part leaves dunning. One
    open dispute per invoice. Role controller or higher."""
    administration = administration_for_write(request, code)
    invoice = body_invoice(administration, body.invoice_number)
    dispute = dispute_open(
        invoice=invoice, reason=body.reason, amount=body.amount, note=body.note,
        opened_date=body.opened_date or timezone.localdate(), actor=request.auth,
    )  # fmt: skip
    return Status(201, _out(dispute))


@router.post("/{code}/disputes/{dispute_id}/resolve", response={200: DisputeOut, **WRITE_ERRORS})
def dispute_close(request, code: str, dispute_id: int, body: ResolveIn):
    """Resolve an open dispute; upheld with `credit_amount` makes and allocates a credit note.
    Role controller or higher."""
    administration = administration_for_write(request, code)
    dispute = get_object_or_404(Dispute, administration=administration, pk=dispute_id)
    dispute = dispute_resolve(
        dispute=dispute, resolution=body.resolution, credit_amount=body.credit_amount,
        note=body.note, resolved_date=body.resolved_date or timezone.localdate(),
        actor=request.auth,
    )  # fmt: skip
    dispute = Dispute.objects.select_related("invoice", "customer", "credit_note").get(
        pk=dispute.pk
    )
    return _out(dispute)
