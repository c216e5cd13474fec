"""Test data: invoices, credit notes, payments, allocations, write-offs."""

import datetime as dt
from decimal import Decimal

from debitum.ledger.models import Allocation, Invoice, Payment, WriteOff


def invoice_factory(
    customer,
    number: str,
    amount: str | Decimal,
    *,
    invoice_date: dt.date,
    due_date: dt.date | None = None,
    currency: str = "EUR",
    **extra,
) -> Invoice:
    amount = Decimal(amount)
    return Invoice.objects.create(
        administration_id=customer.administration_id,
        customer=customer,
        number=number,
        kind="invoice" if amount > 0 else "credit_note",
        invoice_date=invoice_date,
        due_date=due_date or invoice_date + dt.timedelta(days=30),
        currency=currency,
        amount=amount,
        **extra,
    )


def payment_factory(
    customer,
    amount: str | Decimal,
    *,
    payment_date: dt.date,
    currency: str = "EUR",
    fingerprint: str | None = None,
) -> Payment:
    return Payment.objects.create(
        administration_id=customer.administration_id,
        customer=customer,
        payment_date=payment_date,
        currency=currency,
        amount=Decimal(amount),
        fingerprint=fingerprint or f"test-{Payment.objects.count() + 1}-{payment_date}-{amount}",
    )


def allocation_factory(
    invoice, amount: str | Decimal, *, allocation_date: dt.date, payment=None, credit_note=None
) -> Allocation:
    if payment is None and credit_note is None:
        payment = payment_factory(
            invoice.customer, amount, payment_date=allocation_date, currency=invoice.currency
        )
    return Allocation.objects.create(
        administration_id=invoice.administration_id,
        invoice=invoice,
        payment=payment,
        credit_note=credit_note,
        amount=Decimal(amount),
        allocation_date=allocation_date,
    )


def write_off_factory(
    invoice, amount: str | Decimal, *, write_off_date: dt.date, reason: str = "test"
) -> WriteOff:
    return WriteOff.objects.create(
        administration_id=invoice.administration_id,
        invoice=invoice,
        amount=Decimal(amount),
        write_off_date=write_off_date,
        reason=reason,
    )
