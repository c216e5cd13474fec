"""Writing notes and call logs."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from debitum.audit.services import audit_record

from .models import CallOutcome, Note, NoteKind


def note_add(
    *,
    customer,
    kind: str,
    text: str,
    note_date: dt.date,
    outcome: str = "",
    invoice=None,
    actor=None,
) -> Note:
    """A call with its outcome, or a note, on `customer`'s file (and an invoice of it)."""
    if kind not in NoteKind.values:
        raise ValidationError({"kind": f"{kind!r} is not one of {', '.join(NoteKind.values)}"})
    if kind == NoteKind.CALL and outcome not in CallOutcome.values:
        raise ValidationError(
            {"outcome": f"a call needs its outcome: one of {', '.join(CallOutcome.values)}"}
        )
    if kind == NoteKind.NOTE and outcome:
        raise ValidationError({"outcome": "only a call has an outcome"})
    if kind == NoteKind.NOTE and not text.strip():
        raise ValidationError({"text": "a note needs its text"})
    if invoice is not None and invoice.customer_id != customer.pk:
        raise ValidationError({"invoice": f"invoice {invoice.number} is not this customer's"})
    with transaction.atomic():
        note = Note.objects.create(
            administration_id=customer.administration_id,
            customer=customer,
            invoice=invoice,
            kind=kind,
            outcome=outcome,
            text=text.strip(),
            note_date=note_date,
            created_by=actor if actor is not None and actor.pk else None,
        )
        audit_record(
            administration=customer.administration,
            actor=actor,
            action=f"note.{kind}",
            obj=note,
            summary=f"{kind} on {customer.number}" + (f": {outcome}" if outcome else ""),
        )
    return note
