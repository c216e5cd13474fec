"""Writes of disputes: opening one over (part of) an invoice, and resolving it, possibly with a
credit note.

While a dispute is open, the disputed part of the invoice leaves dunning (the dunning run reads
the open disputes). Each move writes an audit event in the same transaction (STYLE rule 4).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from debitum.audit.services import audit_record
from debitum.domain.money import quantize
from debitum.ledger.choices import InvoiceKind
from debitum.ledger.models import Invoice
from debitum.ledger.selectors import invoice_open_amount
from debitum.ledger.services import credit_note_allocate

from .models import Dispute, DisputeReason, DisputeResolution, DisputeStatus

TRANSITIONS = {DisputeStatus.OPEN: {DisputeStatus.RESOLVED}, DisputeStatus.RESOLVED: set()}


def dispute_open(
    *,
    invoice: Invoice,
    reason: str,
    opened_date: dt.date,
    amount: Decimal | None = None,
    note: str = "",
    actor=None,
) -> Dispute:
    """Open a dispute over `invoice` for a root cause `reason`, over `amount` of it or (None)
    all that is open. One open dispute per invoice; the amount may not exceed what is open."""
    if reason not in DisputeReason.values:
        raise ValidationError(
            {"reason": f"{reason!r} is not a reason; use one of {', '.join(DisputeReason.values)}"}
        )
    if amount is not None and amount <= 0:
        raise ValidationError({"amount": "a disputed amount must be positive"})
    with transaction.atomic():
        # The lock on the invoice makes the check for an open dispute and the insert one step.
        invoice = Invoice.objects.select_for_update().get(
            pk=invoice.pk, administration_id=invoice.administration_id
        )
        if invoice.kind != InvoiceKind.INVOICE:
            raise ValidationError({"invoice": f"{invoice.number} is a credit note, not an invoice"})
        if Dispute.objects.filter(
            administration_id=invoice.administration_id,
            invoice=invoice,
            status=DisputeStatus.OPEN,
        ).exists():
            raise ValidationError(
                {"invoice": f"invoice {invoice.number} already has an open dispute"}
            )
        still_open = invoice_open_amount(invoice=invoice, as_of=opened_date)
        if still_open <= 0:
            raise ValidationError(
                {"invoice": f"nothing is open on invoice {invoice.number} on {opened_date}"}
            )
        if amount is not None and amount > still_open:
            raise ValidationError(
                {
                    "amount": f"only {still_open:.2f} of invoice {invoice.number} is open; cannot dispute {amount:.2f}"
                }
            )
        try:
            with transaction.atomic():
                dispute = Dispute.objects.create(
                    administration_id=invoice.administration_id,
                    invoice=invoice,
                    customer_id=invoice.customer_id,
                    reason=reason,
                    amount=amount,
                    note=note.strip(),
                    opened_date=opened_date,
                    owner=actor if actor is not None and actor.pk else None,
                )
        except IntegrityError:
            # The database's one-open-dispute-per-invoice constraint, should two collectors
            # race past the check above.
            raise ValidationError(
                {"invoice": f"invoice {invoice.number} already has an open dispute"}
            ) from None
        disputed = "all that is open" if amount is None else f"{invoice.currency} {amount:.2f}"
        audit_record(
            administration=invoice.administration,
            actor=actor,
            action="dispute.open",
            obj=dispute,
            summary=f"invoice {invoice.number} disputed ({reason}): {disputed}",
            changes={
                "invoice": invoice.number,
                "reason": reason,
                "amount": None if amount is None else f"{amount:.2f}",
            },
            reason=dispute.note,
        )
    return dispute


def _credit_note_number(invoice: Invoice) -> str:
    taken = set(
        Invoice.objects.filter(
            administration_id=invoice.administration_id, number__startswith=f"{invoice.number}-CN"
        ).values_list("number", flat=True)
    )
    n = 1
    while f"{invoice.number}-CN{n}" in taken:
        n += 1
    return f"{invoice.number}-CN{n}"


def dispute_resolve(
    *,
    dispute: Dispute,
    resolution: str,
    resolved_date: dt.date,
    credit_amount: Decimal | None = None,
    note: str = "",
    actor=None,
) -> Dispute:
    """Close an open dispute: `upheld` (the customer was right), `rejected` (the invoice stands)
    or `withdrawn`. Upheld with `credit_amount`: a credit note for that amount (VAT in
    proportion) is made and allocated to the invoice, and linked on the dispute."""
    if resolution not in DisputeResolution.values:
        raise ValidationError(
            {
                "resolution": f"{resolution!r} is not a resolution; use one of {', '.join(DisputeResolution.values)}"
            }
        )
    if credit_amount is not None:
        if resolution != DisputeResolution.UPHELD:
            raise ValidationError(
                {"credit_amount": "only an upheld dispute is resolved with a credit note"}
            )
        if credit_amount <= 0:
            raise ValidationError({"credit_amount": "a credit amount must be positive"})
    with transaction.atomic():
        # The dispute and its invoice (a credit note may be allocated to it) are locked; the
        # administration, joined for the audit event, is not: payment references move it.
        dispute = (
            Dispute.objects.select_for_update(of=("self", "invoice"))
            .select_related("invoice", "customer", "administration")
            .get(pk=dispute.pk, administration_id=dispute.administration_id)
        )
        if DisputeStatus.RESOLVED not in TRANSITIONS[DisputeStatus(dispute.status)]:
            raise ValidationError(
                {"status": f"the dispute over {dispute.invoice.number} is already resolved"}
            )
        invoice = dispute.invoice
        if resolved_date < dispute.opened_date:
            raise ValidationError(
                {"resolved_date": f"the dispute was opened on {dispute.opened_date}"}
            )
        credit_note = None
        if credit_amount is not None:
            credit_note = Invoice.objects.create(
                administration_id=invoice.administration_id,
                customer_id=invoice.customer_id,
                number=_credit_note_number(invoice),
                kind=InvoiceKind.CREDIT_NOTE,
                invoice_date=max(resolved_date, invoice.invoice_date),
                due_date=max(resolved_date, invoice.invoice_date),
                currency=invoice.currency,
                amount=-credit_amount,
                # The VAT is credited in proportion to the amount credited.
                vat_amount=-quantize(
                    invoice.vat_amount * credit_amount / invoice.amount, invoice.currency
                ),
                description=f"Credit note on {invoice.number}: dispute ({dispute.reason}) upheld",
            )
            audit_record(
                administration=dispute.administration,
                actor=actor,
                action="credit_note.create",
                obj=credit_note,
                summary=f"credit note {credit_note.number} of {invoice.currency} {credit_amount:.2f} on invoice {invoice.number}",
                changes={"invoice": invoice.number, "amount": f"{-credit_amount:.2f}"},
                reason=note.strip(),
            )
            # Refuses (and rolls everything back) when more is credited than is open.
            credit_note_allocate(
                credit_note=credit_note, invoice=invoice, amount=credit_amount, actor=actor
            )
        dispute.status = DisputeStatus.RESOLVED
        dispute.resolution = resolution
        dispute.resolved_date = resolved_date
        dispute.resolution_note = note.strip()
        dispute.credit_note = credit_note
        dispute.save(
            update_fields=[
                "status",
                "resolution",
                "resolved_date",
                "resolution_note",
                "credit_note",
            ]
        )
        audit_record(
            administration=dispute.administration,
            actor=actor,
            action="dispute.resolve",
            obj=dispute,
            summary=f"dispute over invoice {invoice.number} resolved: {resolution}"
            + (f", credit note {credit_note.number}" if credit_note else ""),
            changes={
                "status": ["open", "resolved"],
                "resolution": resolution,
                "credit_note": credit_note.number if credit_note else None,
            },
            reason=dispute.resolution_note,
        )
    return dispute
