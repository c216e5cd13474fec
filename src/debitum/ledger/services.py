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


class LedgerConflict(Exception):
    """A number (or payment identity) already in the ledger with other values. `fields` names
    each differing field with the stored value."""

    def __init__(self, message: str, fields: dict[str, list[str]]):
        super().__init__(message)
        self.fields = fields


# What identifies a sent invoice: changing any of these is done with a credit note, as the
# invoice importer says (imports.invoice_import.InvoiceRow.same_as).
INVOICE_FIXED_FIELDS = ("customer", "kind", "currency", "amount", "invoice_date", "due_date")


def invoice_push(
    *,
    customer,
    number: str,
    invoice_date: dt.date,
    due_date: dt.date,
    amount: Decimal,
    currency: str,
    vat_amount: Decimal = Decimal("0.00"),
    description: str = "",
    reference: str = "",
    credit_for: str = "",
    actor=None,
) -> tuple[Invoice, bool]:
    """Record invoice (positive amount) or credit note (negative) `number` of `customer`, as
    one row of the invoice import: the same invoice pushed again is returned unchanged
    (created False); one with another customer, amount, currency or dates is a LedgerConflict
    (a sent invoice is corrected with a credit note); a changed description is updated. A new
    invoice without a reference gets one of the administration's kind. A credit note naming
    `credit_for` is allocated to that invoice, up to what is open on it."""
    from debitum.administrations.choices import PaymentReferenceKind
    from debitum.administrations.services import payment_references_reserve

    administration = customer.administration
    kind = InvoiceKind.INVOICE if amount > 0 else InvoiceKind.CREDIT_NOTE
    errors: dict[str, list[str]] = {}
    if amount == 0:
        errors["amount"] = ["an invoice of zero is nothing to collect"]
    if vat_amount and (vat_amount < 0) != (amount < 0):
        errors["vat_amount"] = ["has the other sign than the amount"]
    elif abs(vat_amount) > abs(amount):
        errors["vat_amount"] = ["the VAT is more than the amount incl. VAT"]
    if due_date < invoice_date:
        errors["due_date"] = [f"is before the invoice date {invoice_date.isoformat()}"]
    if credit_for and kind != InvoiceKind.CREDIT_NOTE:
        errors["credit_for"] = ["only a credit note can be credited to an invoice"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        stored = (
            Invoice.objects.select_for_update()
            .select_related("customer")
            .filter(administration=administration, number=number)
            .first()
        )
        if stored is not None:
            wanted = {
                "customer": customer.number,
                "kind": str(kind),
                "currency": currency,
                "amount": f"{amount:.2f}",
                "invoice_date": invoice_date.isoformat(),
                "due_date": due_date.isoformat(),
            }
            have = {
                "customer": stored.customer.number,
                "kind": stored.kind,
                "currency": stored.currency,
                "amount": f"{stored.amount:.2f}",
                "invoice_date": stored.invoice_date.isoformat(),
                "due_date": stored.due_date.isoformat(),
            }
            if reference and stored.reference and reference != stored.reference:
                wanted["reference"], have["reference"] = reference, stored.reference
            differing = {
                field: [f"is {have[field]} in the ledger, not {wanted[field]}"]
                for field in wanted
                if wanted[field] != have[field]
            }
            if differing:
                raise LedgerConflict(
                    f"{stored.get_kind_display().lower()} {number} is already in the ledger with "
                    f"other values ({', '.join(differing)}); correct a sent invoice with a "
                    "credit note",
                    differing,
                )
            if description and description != stored.description:
                audit_record(
                    administration=administration,
                    actor=actor,
                    action="invoice.update",
                    obj=stored,
                    summary=f"invoice {number}: description changed",
                    changes={"description": [stored.description, description]},
                )
                stored.description = description
                stored.save(update_fields=["description"])
            return stored, False
        if (
            not reference
            and kind == InvoiceKind.INVOICE
            and administration.payment_reference_kind != PaymentReferenceKind.NONE
        ):
            (reference,) = payment_references_reserve(administration=administration, count=1)
        target = None
        if credit_for:
            target = Invoice.objects.filter(
                administration=administration, number=credit_for
            ).first()
            if target is None:
                raise ValidationError({"credit_for": [f"no invoice {credit_for}"]})
        invoice = Invoice.objects.create(
            administration=administration,
            customer=customer,
            number=number,
            kind=kind,
            invoice_date=invoice_date,
            due_date=due_date,
            currency=currency,
            amount=amount,
            vat_amount=vat_amount,
            description=description,
            reference=reference,
        )
        audit_record(
            administration=administration,
            actor=actor,
            action=f"{kind}.create",
            obj=invoice,
            summary=f"{invoice.get_kind_display().lower()} {number} of {customer.number}: "
            f"{currency} {amount:.2f}, due {due_date.isoformat()}",
            changes={"amount": f"{amount:.2f}", "reference": reference},
        )
        if target is not None:
            still_open = open_amounts(
                administration=administration, as_of=ALL_TIME, invoice_ids=[target.pk]
            ).get(target.pk, Decimal("0"))
            applied = min(-amount, still_open)
            if applied > 0:
                credit_note_allocate(
                    credit_note=invoice, invoice=target, amount=applied, actor=actor
                )
    return invoice, True


def payment_push(
    *,
    administration,
    external_id: str,
    payment_date: dt.date,
    amount: Decimal,
    currency: str,
    customer=None,
    invoice: Invoice | None = None,
    reference: str = "",
    actor=None,
) -> tuple[Payment, bool]:
    """Record a payment (or, negative, a refund) that another system knows by `external_id`:
    pushed again it is returned unchanged (created False), with other values it is a
    LedgerConflict. Naming an invoice allocates the payment to it up to what is open (the rest
    stays unapplied on the customer's account, as in the payment import)."""
    fingerprint = f"api:{external_id}"
    if amount == 0:
        raise ValidationError({"amount": ["a payment of zero is nothing"]})
    if invoice is not None:
        if invoice.kind != InvoiceKind.INVOICE:
            raise ValidationError({"invoice_number": ["is a credit note, not an invoice"]})
        if customer is not None and customer.pk != invoice.customer_id:
            raise ValidationError(
                {"customer_number": [f"invoice {invoice.number} belongs to another customer"]}
            )
        if currency != invoice.currency:
            raise ValidationError(
                {"currency": [f"invoice {invoice.number} is in {invoice.currency}"]}
            )
        if amount < 0:
            raise ValidationError({"invoice_number": ["a refund cannot name an invoice"]})
        customer = invoice.customer
    if customer is None:
        raise ValidationError({"customer_number": ["name the customer or the invoice"]})
    with transaction.atomic():
        stored = (
            Payment.objects.select_for_update()
            .select_related("customer")
            .filter(administration=administration, fingerprint=fingerprint)
            .first()
        )
        if stored is not None:
            wanted = {
                "customer_number": customer.number,
                "payment_date": payment_date.isoformat(),
                "amount": f"{amount:.2f}",
                "currency": currency,
                "invoice_number": invoice.number if invoice is not None else "",
            }
            have = {
                "customer_number": stored.customer.number,
                "payment_date": stored.payment_date.isoformat(),
                "amount": f"{stored.amount:.2f}",
                "currency": stored.currency,
                "invoice_number": stored.invoice_number,
            }
            differing = {
                field: [
                    f"is {have[field] or 'empty'} in the ledger, not {wanted[field] or 'empty'}"
                ]
                for field in wanted
                if wanted[field] != have[field]
            }
            if differing:
                raise LedgerConflict(
                    f"payment {external_id} is already in the ledger with other values "
                    f"({', '.join(differing)})",
                    differing,
                )
            return stored, False
        payment = Payment.objects.create(
            administration=administration,
            customer=customer,
            payment_date=payment_date,
            currency=currency,
            amount=amount,
            reference=reference,
            invoice_number=invoice.number if invoice is not None else "",
            fingerprint=fingerprint,
        )
        audit_record(
            administration=administration,
            actor=actor,
            action="payment.create",
            obj=payment,
            summary=f"payment {external_id} of {customer.number}: {currency} {amount:.2f} "
            f"on {payment_date.isoformat()}",
            changes={"amount": f"{amount:.2f}", "external_id": external_id},
        )
        if invoice is not None:
            still_open = open_amounts(
                administration=administration, as_of=ALL_TIME, invoice_ids=[invoice.pk]
            ).get(invoice.pk, Decimal("0"))
            applied = min(amount, still_open)
            if applied > 0:
                payment_allocate(payment=payment, invoice=invoice, amount=applied, actor=actor)
    return payment, True
