"""Writes to the ledger by hand: allocating payments and credit notes, writing off.

Each change runs under a row lock on the invoice, checks what is still open at that moment,
and records an audit event in the same transaction (STYLE rules 4 and 5).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from debitum.audit.services import audit_record

from .choices import InvoiceKind
from .models import Allocation, Invoice, Payment, WriteOff
from .selectors import open_amounts

ALL_TIME = dt.date.max


def _locked(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk, administration_id=obj.administration_id)


def _payment_unapplied(payment: Payment) -> Decimal:
    allocated = Allocation.objects.filter(
        administration_id=payment.administration_id, payment=payment
    ).aggregate(total=Sum("amount"))["total"]
    return payment.amount - (allocated or Decimal("0"))


def payment_allocate(
    *, payment: Payment, invoice: Invoice, amount: Decimal, actor=None
) -> Allocation:
    """Apply `amount` of an unapplied payment to an invoice of the same customer and currency.
    Dated the later of the payment and invoice dates."""
    if amount <= 0:
        raise ValidationError({"amount": "the amount to allocate must be positive"})
    with transaction.atomic():
        invoice = _locked(Invoice, invoice)
        payment = _locked(Payment, payment)
        if (
            invoice.administration_id != payment.administration_id
            or invoice.customer_id != payment.customer_id
        ):
            raise ValidationError(
                {"invoice": "the payment and the invoice belong to different customers"}
            )
        if invoice.kind != InvoiceKind.INVOICE:
            raise ValidationError(
                {"invoice": "a payment is allocated to an invoice, not to a credit note"}
            )
        if invoice.currency != payment.currency:
            raise ValidationError(
                {
                    "invoice": f"the invoice is in {invoice.currency}, the payment in {payment.currency}"
                }
            )
        still_open = open_amounts(
            administration=invoice.administration, as_of=ALL_TIME, invoice_ids=[invoice.pk]
        ).get(invoice.pk, Decimal("0"))
        if amount > still_open:
            raise ValidationError(
                {"amount": f"only {still_open:.2f} of invoice {invoice.number} is open"}
            )
        unapplied = _payment_unapplied(payment)
        if amount > unapplied:
            raise ValidationError({"amount": f"only {unapplied:.2f} of the payment is unapplied"})
        allocation = Allocation.objects.create(
            administration_id=invoice.administration_id,
            invoice=invoice,
            payment=payment,
            amount=amount,
            allocation_date=max(payment.payment_date, invoice.invoice_date),
            created_by=actor,
        )
        audit_record(
            administration=invoice.administration,
            actor=actor,
            action="allocation.create",
            obj=allocation,
            summary=f"{payment.currency} {amount:.2f} of the payment of {payment.payment_date} allocated to invoice {invoice.number}",
            changes={"invoice": invoice.number, "payment": payment.pk, "amount": f"{amount:.2f}"},
        )
    return allocation


def credit_note_allocate(
    *, credit_note: Invoice, invoice: Invoice, amount: Decimal, actor=None
) -> Allocation:
    """Settle part of an invoice with a credit note of the same customer and currency."""
    if amount <= 0:
        raise ValidationError({"amount": "the amount to allocate must be positive"})
    with transaction.atomic():
        invoice = _locked(Invoice, invoice)
        credit_note = _locked(Invoice, credit_note)
        if credit_note.kind != InvoiceKind.CREDIT_NOTE or invoice.kind != InvoiceKind.INVOICE:
            raise ValidationError({"credit_note": "allocate a credit note to an invoice"})
        if (
            invoice.administration_id != credit_note.administration_id
            or invoice.customer_id != credit_note.customer_id
        ):
            raise ValidationError(
                {"invoice": "the credit note and the invoice belong to different customers"}
            )
        if invoice.currency != credit_note.currency:
            raise ValidationError(
                {
                    "invoice": f"the invoice is in {invoice.currency}, the credit note in {credit_note.currency}"
                }
            )
        opened = open_amounts(
            administration=invoice.administration,
            as_of=ALL_TIME,
            invoice_ids=[invoice.pk, credit_note.pk],
        )
        invoice_open = opened.get(invoice.pk, Decimal("0"))
        credit_left = -opened.get(credit_note.pk, Decimal("0"))
        if amount > invoice_open:
            raise ValidationError(
                {"amount": f"only {invoice_open:.2f} of invoice {invoice.number} is open"}
            )
        if amount > credit_left:
            raise ValidationError(
                {"amount": f"only {credit_left:.2f} of credit note {credit_note.number} is left"}
            )
        allocation = Allocation.objects.create(
            administration_id=invoice.administration_id,
            invoice=invoice,
            credit_note=credit_note,
            amount=amount,
            allocation_date=max(credit_note.invoice_date, invoice.invoice_date),
            created_by=actor,
        )
        audit_record(
            administration=invoice.administration,
            actor=actor,
            action="allocation.create",
            obj=allocation,
            summary=f"credit note {credit_note.number}: {amount:.2f} allocated to invoice {invoice.number}",
            changes={
                "invoice": invoice.number,
                "credit_note": credit_note.number,
                "amount": f"{amount:.2f}",
            },
        )
    return allocation


def invoice_write_off(
    *, invoice: Invoice, amount: Decimal, write_off_date: dt.date, reason: str, actor=None
) -> WriteOff:
    """Give up `amount` of what is open on an invoice (or of a credit note's balance: then
    `amount` is negative). The reason is required: it is what an auditor reads."""
    if not reason.strip():
        raise ValidationError({"reason": "a write-off needs a reason"})
    if amount == 0:
        raise ValidationError({"amount": "the amount must not be zero"})
    with transaction.atomic():
        invoice = _locked(Invoice, invoice)
        if write_off_date < invoice.invoice_date:
            raise ValidationError(
                {"write_off_date": "a write-off cannot be dated before the invoice"}
            )
        still_open = open_amounts(
            administration=invoice.administration, as_of=ALL_TIME, invoice_ids=[invoice.pk]
        ).get(invoice.pk, Decimal("0"))
        if (amount > 0) != (still_open > 0) or abs(amount) > abs(still_open):
            raise ValidationError(
                {
                    "amount": f"{still_open:.2f} is open on {invoice.number}; cannot write off {amount:.2f}"
                }
            )
        write_off = WriteOff.objects.create(
            administration_id=invoice.administration_id,
            invoice=invoice,
            amount=amount,
            write_off_date=write_off_date,
            reason=reason.strip(),
            created_by=actor,
        )
        audit_record(
            administration=invoice.administration,
            actor=actor,
            action="invoice.write_off",
            obj=write_off,
            summary=f"{invoice.currency} {amount:.2f} of {invoice.number} written off on {write_off_date}",
            changes={"invoice": invoice.number, "amount": f"{amount:.2f}"},
            reason=reason.strip(),
        )
    return write_off
