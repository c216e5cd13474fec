"""Payments from CSV or XLSX: `payment_date, amount` required; `currency, customer_number,
invoice_number, reference` optional.

A payment that names an invoice is allocated to it, up to what is still open; what is left
(an overpayment) stays unapplied on the customer's account, as does a payment that names only
the customer. A negative amount is a refund to the customer and cannot name an invoice.

A payment has no number of its own, so an imported payment is known by a fingerprint: its
date, amount, currency, customer, invoice and reference, and how many identical payments came
before it in the same file. Importing the same file again finds every payment already there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from debitum.common.bulk import bulk_insert, no_cyclic_gc
from debitum.customers.selectors import customer_ids
from debitum.domain.money import to_minor_units
from debitum.domain.open_items import split_payment
from debitum.ledger.models import Invoice, Payment
from debitum.ledger.selectors import open_amounts

from . import fields
from .choices import ImportKind
from .errors import ErrorList
from .pipeline import (
    ImportResult,
    Progress,
    batch_finish,
    batch_record,
    no_progress,
    run_import,
)
from .readers import Table

REQUIRED = ("payment_date", "amount")
OPTIONAL = ("currency", "customer_number", "invoice_number", "reference")
PAYMENT_COLUMNS = (
    "administration_id",
    "customer_id",
    "payment_date",
    "currency",
    "amount_cents",
    "reference",
    "invoice_number",
    "fingerprint",
    "import_batch_id",
    "created_at",
)


@dataclass(slots=True)
class PaymentRow:
    line: int
    payment_date: dt.date
    amount: Decimal
    currency: str  # "" when the file does not say
    customer_number: str
    invoice_number: str
    reference: str
    fingerprint: str = ""


def _parse(table: Table, errors: ErrorList, progress: Progress) -> list[PaymentRow]:
    parsed, occurrences = [], {}
    total = table.row_count
    for index, (line, row) in enumerate(table.rows, start=1):
        ok = True
        values = {}
        for column, parse in (
            ("payment_date", fields.date),
            ("amount", fields.amount),
            ("currency", fields.currency),
            ("customer_number", fields.text),
            ("invoice_number", fields.text),
            ("reference", fields.text),
        ):
            raw = row.get(column)
            if raw is None or fields.text(raw) == "":
                if column in REQUIRED:
                    errors.add(line, column, "", f"the {column.replace('_', ' ')} is empty")
                    ok = False
                values[column] = ""
                continue
            try:
                values[column] = parse(raw)
            except ValueError as error:
                errors.add(line, column, fields.text(raw), str(error))
                ok = False
        if not ok:
            continue
        payment = PaymentRow(line, **values)
        if payment.amount == 0:
            errors.add(line, "amount", row.get("amount"), "a payment of zero is no payment")
            continue
        if not payment.customer_number and not payment.invoice_number:
            errors.add(
                line,
                None,
                None,
                "name the customer_number or the invoice_number: whose payment is it?",
            )
            continue
        if payment.amount < 0 and payment.invoice_number:
            errors.add(
                line,
                "invoice_number",
                payment.invoice_number,
                "a refund (negative amount) cannot be paid on an invoice; leave invoice_number empty",
            )
            continue
        if len(payment.reference) > 140:
            errors.add(line, "reference", payment.reference[:60], "is longer than 140 characters")
            continue
        key = (
            payment.payment_date.isoformat(),
            str(payment.amount),
            payment.currency,
            payment.customer_number,
            payment.invoice_number,
            payment.reference,
        )
        occurrences[key] = occurrences.get(key, 0) + 1
        payment.fingerprint = hashlib.sha256(
            "|".join((*key, str(occurrences[key]))).encode()
        ).hexdigest()
        parsed.append(payment)
        if index % 50_000 == 0:
            progress("checking", index, total)
    progress("checking", total, total)
    return parsed


def _resolve(administration, payments: list[PaymentRow], errors: ErrorList):
    """customer ids and invoices for the payments; fills in currencies from the invoice."""
    invoice_numbers = {p.invoice_number for p in payments if p.invoice_number}
    customer_numbers = {p.customer_number for p in payments if p.customer_number}
    invoices = {}
    if invoice_numbers:
        query = Invoice.objects.filter(administration=administration)
        if len(invoice_numbers) < 5_000:
            query = query.filter(number__in=invoice_numbers)
        for (
            number,
            pk,
            customer_id,
            customer_number,
            currency,
            kind,
            invoice_date,
        ) in query.values_list(
            "number", "pk", "customer_id", "customer__number", "currency", "kind", "invoice_date"
        ).iterator(chunk_size=20_000):
            if number in invoice_numbers:
                invoices[number] = (pk, customer_id, customer_number, currency, kind, invoice_date)
    customers = customer_ids(administration, customer_numbers)
    resolved = []
    for payment in payments:
        invoice = None
        if payment.invoice_number:
            invoice = invoices.get(payment.invoice_number)
            if invoice is None:
                errors.add(
                    payment.line, "invoice_number", payment.invoice_number, "no such invoice"
                )
                continue
            pk, customer_id, customer_number, currency, kind, invoice_date = invoice
            if kind != "invoice":
                errors.add(
                    payment.line,
                    "invoice_number",
                    payment.invoice_number,
                    "is a credit note, not an invoice",
                )
                continue
            if payment.customer_number and payment.customer_number != customer_number:
                errors.add(
                    payment.line,
                    "customer_number",
                    payment.customer_number,
                    f"invoice {payment.invoice_number} belongs to customer {customer_number}",
                )
                continue
            if payment.currency and payment.currency != currency:
                errors.add(
                    payment.line,
                    "currency",
                    payment.currency,
                    f"invoice {payment.invoice_number} is in {currency}",
                )
                continue
            payment.currency = currency
        else:
            customer_id = customers.get(payment.customer_number)
            if customer_id is None:
                errors.add(
                    payment.line, "customer_number", payment.customer_number, "no such customer"
                )
                continue
            payment.currency = payment.currency or administration.currency
        resolved.append((payment, customer_id, invoice))
    return resolved


@no_cyclic_gc()
def payment_import(
    *,
    administration,
    table: Table,
    actor=None,
    progress: Progress = no_progress,
    dry_run: bool = False,
) -> ImportResult:
    """Import payments from `table` into `administration`, whole or not at all
    (`dry_run`: every check, then rolled back; nothing is written)."""
    return run_import(
        administration=administration,
        table=table,
        kind=ImportKind.PAYMENTS,
        required=REQUIRED,
        optional=OPTIONAL,
        parse=lambda errors: _parse(table, errors, progress),
        write=lambda payments, result, errors: _write(
            administration, table, payments, result, errors, actor, progress
        ),
        dry_run=dry_run,
    )


def _write(
    administration,
    table: Table,
    payments,
    result: ImportResult,
    errors: ErrorList,
    actor,
    progress: Progress,
) -> None:
    """The writing half, inside the import's transaction."""
    resolved = _resolve(administration, payments, errors)
    errors.raise_if_any()
    fingerprints = [payment.fingerprint for payment, _, _ in resolved]
    known: set[str] = set()
    for start in range(0, len(fingerprints), 900):
        known.update(
            Payment.objects.filter(
                administration=administration, fingerprint__in=fingerprints[start : start + 900]
            ).values_list("fingerprint", flat=True)
        )
    new = [entry for entry in resolved if entry[0].fingerprint not in known]
    batch = batch_record(
        administration=administration,
        kind=ImportKind.PAYMENTS,
        table=table,
        actor=actor,
        result=result,
    )
    now = timezone.now()
    total = len(new)

    def rows():
        for index, (payment, customer_id, _) in enumerate(new, start=1):
            if index % 50_000 == 0:
                progress("writing", index, total)
            yield (
                administration.pk,
                customer_id,
                payment.payment_date,
                payment.currency,
                to_minor_units(payment.amount),
                payment.reference,
                payment.invoice_number,
                payment.fingerprint,
                batch.pk,
                now,
            )

    bulk_insert("ledger_payment", PAYMENT_COLUMNS, rows(), row_count=total)
    progress("writing", total, total)

    # Allocate in file order against what is still open (all dates: an invoice cannot be
    # paid twice, whenever the second payment is dated).
    to_allocate = [(payment, invoice) for payment, _, invoice in new if invoice is not None]
    allocations = 0
    if to_allocate:
        ids = dict(
            Payment.objects.filter(
                administration=administration, import_batch_id=batch.pk
            ).values_list("fingerprint", "pk")
        )
        still_open = open_amounts(
            administration=administration,
            as_of=dt.date.max,
            invoice_ids=list({invoice[0] for _, invoice in to_allocate}),
        )
        allocation_rows = []
        for payment, invoice in to_allocate:
            invoice_id, invoice_date = invoice[0], invoice[5]
            applied, _rest = split_payment(payment.amount, still_open.get(invoice_id, Decimal("0")))
            if applied > 0:
                still_open[invoice_id] -= applied
                allocation_rows.append(
                    (
                        administration.pk,
                        invoice_id,
                        ids[payment.fingerprint],
                        to_minor_units(applied),
                        max(payment.payment_date, invoice_date),
                        now,
                    )
                )
        allocations = bulk_insert(
            "ledger_allocation",
            (
                "administration_id",
                "invoice_id",
                "payment_id",
                "amount_cents",
                "allocation_date",
                "created_at",
            ),
            allocation_rows,
            row_count=len(allocation_rows),
        )
    result.created = {"payments": len(new), "allocations": allocations}
    result.unchanged = len(resolved) - len(new)
    batch_finish(batch=batch, administration=administration, actor=actor, result=result)
