"""Invoices and credit notes from CSV or XLSX.

Required: customer_number, invoice_number, invoice_date, due_date, amount.
Optional: currency (default the administration's), customer_name (creates the customer when
new), description, reference, vat_amount, kind (invoice | credit_note), credit_for (the
invoice a credit note corrects: the credit is allocated to it).

A credit note is a negative amount, or kind=credit_note with the amount either way round.
An invoice number already in the ledger with the same customer, dates, currency and amount is
left alone (importing a file twice changes nothing); with different values it is an error:
an invoice that was sent is corrected with a credit note, not by editing it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from debitum.administrations.choices import PaymentReferenceKind
from debitum.administrations.services import payment_references_reserve
from debitum.common.bulk import bulk_insert, no_cyclic_gc
from debitum.customers.models import Customer
from debitum.domain.money import to_minor_units
from debitum.ledger.choices import InvoiceKind
from debitum.ledger.selectors import open_amounts

from . import fields
from .choices import ImportKind
from .customer_import import COLUMNS as CUSTOMER_COLUMNS
from .customer_import import customer_defaults
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

REQUIRED = ("customer_number", "invoice_number", "invoice_date", "due_date", "amount")
OPTIONAL = (
    "currency",
    "customer_name",
    "description",
    "reference",
    "vat_amount",
    "kind",
    "credit_for",
)
KINDS = {
    "invoice": InvoiceKind.INVOICE,
    "factuur": InvoiceKind.INVOICE,
    "facture": InvoiceKind.INVOICE,
    "credit_note": InvoiceKind.CREDIT_NOTE,
    "credit": InvoiceKind.CREDIT_NOTE,
    "creditnota": InvoiceKind.CREDIT_NOTE,
    "note_de_credit": InvoiceKind.CREDIT_NOTE,
}
INVOICE_COLUMNS = (
    "administration_id",
    "customer_id",
    "number",
    "kind",
    "invoice_date",
    "due_date",
    "currency",
    "amount_cents",
    "vat_amount_cents",
    "description",
    "reference",
    "import_batch_id",
    "created_at",
)


@dataclass(slots=True)
class InvoiceRow:
    line: int
    customer_number: str
    number: str
    kind: str
    invoice_date: dt.date
    due_date: dt.date
    currency: str
    amount: Decimal
    vat_amount: Decimal
    description: str
    reference: str
    customer_name: str
    credit_for: str

    def same_as(self, stored: tuple) -> bool:
        customer_number, currency, amount_cents, invoice_date, due_date = stored
        return (
            customer_number == self.customer_number
            and currency == self.currency
            and amount_cents == to_minor_units(self.amount)
            and str(invoice_date) == str(self.invoice_date)
            and str(due_date) == str(self.due_date)
        )


def _parse_row(line: int, row: dict, default_currency: str, errors: ErrorList) -> InvoiceRow | None:
    ok = True

    def take(column, parse, default=None):
        nonlocal ok
        raw = row.get(column)
        if raw is None or fields.text(raw) == "":
            if column in REQUIRED:
                errors.add(line, column, "", f"the {column.replace('_', ' ')} is empty")
                ok = False
            return default
        try:
            return parse(raw)
        except ValueError as error:
            errors.add(line, column, fields.text(raw), str(error))
            ok = False
            return default

    customer_number = take("customer_number", fields.text)
    number = take("invoice_number", fields.text)
    invoice_date = take("invoice_date", fields.date)
    due_date = take("due_date", fields.date)
    amount = take("amount", fields.amount)
    currency = take("currency", fields.currency, default_currency)
    vat_amount = take("vat_amount", fields.amount, Decimal("0.00"))
    kind = take("kind", lambda v: fields.choice(v, KINDS), "")
    description = take("description", fields.text, "")
    reference = take("reference", fields.text, "")
    customer_name = take("customer_name", fields.text, "")
    credit_for = take("credit_for", fields.text, "")
    if not ok:
        return None
    for column, value, limit in (
        ("invoice_number", number, 50),
        ("customer_number", customer_number, 50),
        ("description", description, 500),
        ("reference", reference, 50),
        ("customer_name", customer_name, 200),
    ):
        if len(value) > limit:
            errors.add(line, column, value[:60], f"is longer than {limit} characters")
            ok = False
    if amount == 0:
        errors.add(line, "amount", row.get("amount"), "an invoice of zero is nothing to collect")
        return None
    if kind == InvoiceKind.CREDIT_NOTE:
        amount, vat_amount = -abs(amount), -abs(vat_amount)
    elif kind == InvoiceKind.INVOICE and amount < 0:
        errors.add(
            line, "amount", row.get("amount"), "an invoice cannot be negative; use kind credit_note"
        )
        return None
    else:
        kind = InvoiceKind.INVOICE if amount > 0 else InvoiceKind.CREDIT_NOTE
        if (amount < 0) != (vat_amount < 0) and vat_amount != 0:
            vat_amount = -vat_amount
    if abs(vat_amount) > abs(amount):
        errors.add(
            line, "vat_amount", row.get("vat_amount"), "the VAT is more than the amount incl. VAT"
        )
        ok = False
    if due_date < invoice_date:
        errors.add(
            line,
            "due_date",
            row.get("due_date"),
            f"is before the invoice date {invoice_date.isoformat()}",
        )
        ok = False
    if credit_for and kind != InvoiceKind.CREDIT_NOTE:
        errors.add(
            line, "credit_for", credit_for, "only a credit note can be credited to an invoice"
        )
        ok = False
    if not ok:
        return None
    return InvoiceRow(
        line,
        customer_number,
        number,
        str(kind),
        invoice_date,
        due_date,
        currency,
        amount,
        vat_amount,
        description,
        reference,
        customer_name,
        credit_for,
    )


_PLAIN_AMOUNT = re.compile(r"-?[0-9]{1,15}\.[0-9]{2}")


class _CleanRows:
    """The usual row of a large file, parsed without the general machinery.

    Returns the InvoiceRow that `_parse_row` would return when the row is text, well-formed
    and has no error; returns None for anything else (a typed XLSX cell, an amount written
    `1.234,56`, any error), and `_parse_row` then takes the row and reports its errors. So the
    result is the same, only faster: dates, currencies and kinds repeat, and are parsed once.
    """

    def __init__(self, default_currency: str):
        self.default_currency = default_currency
        self.dates: dict[str, dt.date] = {}
        self.currencies: dict[str, str] = {}
        self.kinds: dict[str, str] = {}

    @staticmethod
    def _cached(cache: dict, raw: str, parse):
        value = cache.get(raw)
        if value is None:
            try:
                value = cache[raw] = parse(raw)
            except ValueError:
                return None
        return value

    def __call__(self, line: int, row: dict) -> InvoiceRow | None:
        try:
            # str.strip refuses anything but text: a typed XLSX cell or a missing one (None)
            # goes to the general path, which knows what to do with it.
            texts = dict(zip(row, map(str.strip, row.values()), strict=True))
        except TypeError:
            return None
        get = texts.get  # an absent column counts as empty, as in `_parse_row`
        customer_number, number = get("customer_number") or "", get("invoice_number") or ""
        amount_text, vat_text = get("amount") or "", get("vat_amount") or "0.00"
        date_text, due_text = get("invoice_date") or "", get("due_date") or ""
        currency, kind = get("currency") or "", get("kind") or ""
        description, reference = get("description") or "", get("reference") or ""
        customer_name, credit_for = get("customer_name") or "", get("credit_for") or ""
        if (
            not customer_number
            or not number
            or len(customer_number) > 50
            or len(number) > 50
            or len(description) > 500
            or len(reference) > 50
            or len(customer_name) > 200
        ):
            return None
        if not _PLAIN_AMOUNT.fullmatch(amount_text) or not _PLAIN_AMOUNT.fullmatch(vat_text):
            return None
        dates = self.dates
        invoice_date = dates.get(date_text) or self._cached(dates, date_text, fields.date)
        due_date = dates.get(due_text) or self._cached(dates, due_text, fields.date)
        if currency:
            currency = self.currencies.get(currency) or self._cached(
                self.currencies, currency, fields.currency
            )
        else:
            currency = self.default_currency
        if kind:
            kind = self.kinds.get(kind) or self._cached(
                self.kinds, kind, lambda value: fields.choice(value, KINDS)
            )
        if (
            invoice_date is None
            or due_date is None
            or currency is None
            or kind is None
            or due_date < invoice_date
        ):
            return None
        amount, vat_amount = Decimal(amount_text), Decimal(vat_text)
        if amount == 0:
            return None
        if kind == InvoiceKind.CREDIT_NOTE:
            amount, vat_amount = -abs(amount), -abs(vat_amount)
        elif kind == InvoiceKind.INVOICE and amount < 0:
            return None
        else:
            kind = InvoiceKind.INVOICE if amount > 0 else InvoiceKind.CREDIT_NOTE
            if (amount < 0) != (vat_amount < 0) and vat_amount != 0:
                vat_amount = -vat_amount
        if abs(vat_amount) > abs(amount) or (credit_for and kind != InvoiceKind.CREDIT_NOTE):
            return None
        return InvoiceRow(
            line,
            customer_number,
            number,
            str(kind),
            invoice_date,
            due_date,
            currency,
            amount,
            vat_amount,
            description,
            reference,
            customer_name,
            credit_for,
        )


def parse_invoices(
    table: Table, default_currency: str, errors: ErrorList, progress: Progress
) -> list[InvoiceRow]:
    parsed: list[InvoiceRow] = []
    lines_by_number: dict[str, int] = {}
    total = table.row_count
    clean_row = _CleanRows(default_currency)
    for index, (line, row) in enumerate(table.rows, start=1):
        invoice = clean_row(line, row) or _parse_row(line, row, default_currency, errors)
        if invoice is not None:
            first = lines_by_number.setdefault(invoice.number, line)
            if first != line:
                errors.add(
                    line,
                    "invoice_number",
                    invoice.number,
                    f"appears twice in the file (also on line {first})",
                )
            else:
                parsed.append(invoice)
        if index % 50_000 == 0:
            progress("checking", index, total)
    progress("checking", total, total)
    return parsed


def _existing_invoices(administration, numbers: list[str]) -> dict[str, tuple]:
    """number -> (customer number, currency, cents, invoice date, due date) of invoices
    already in the ledger. One query for the whole administration when the file is large."""
    sql = """SELECT i.number, c.number, i.currency, i.amount_cents, i.invoice_date, i.due_date
               FROM ledger_invoice i JOIN customers_customer c ON c.id = i.customer_id
              WHERE i.administration_id = %s"""
    found: dict[str, tuple] = {}
    with connection.cursor() as cursor:
        if len(numbers) > 5_000:
            cursor.execute(sql, [administration.pk])
            wanted = set(numbers)
            for number, *rest in cursor.fetchall():
                if number in wanted:
                    found[number] = tuple(rest)
        else:
            for start in range(0, len(numbers), 900):
                chunk = numbers[start : start + 900]
                cursor.execute(
                    f"{sql} AND i.number IN ({', '.join(['%s'] * len(chunk))})",
                    [administration.pk, *chunk],
                )
                for number, *rest in cursor.fetchall():
                    found[number] = tuple(rest)
    return found


def _customer_ids(
    administration, table: Table, invoices: list[InvoiceRow], batch_id: int, errors: ErrorList
) -> tuple[dict[str, int], int]:
    """customer number -> id, creating customers that the file names with a customer_name."""
    wanted = {invoice.customer_number for invoice in invoices}
    ids = (
        dict(
            Customer.objects.filter(administration=administration, number__in=wanted).values_list(
                "number", "pk"
            )
        )
        if len(wanted) < 5_000
        else {
            number: pk
            for number, pk in Customer.objects.filter(administration=administration).values_list(
                "number", "pk"
            )
            if number in wanted
        }
    )
    new: dict[str, str] = {}
    for invoice in invoices:
        if invoice.customer_number in ids or invoice.customer_number in new:
            continue
        if not invoice.customer_name:
            errors.add(
                invoice.line,
                "customer_number",
                invoice.customer_number,
                "no such customer; import the customers first or fill customer_name to create it",
            )
            continue
        new[invoice.customer_number] = invoice.customer_name
    if new and not errors:
        now = timezone.now()
        defaults = customer_defaults(administration)
        bulk_insert(
            "customers_customer",
            CUSTOMER_COLUMNS,
            (
                (
                    administration.pk,
                    number,
                    name,
                    defaults["customer_type"],
                    defaults["country"],
                    defaults["language"],
                    "",
                    "",
                    "",
                    "",
                    defaults["payment_terms_days"],
                    defaults["risk_class"],
                    defaults["segment"],
                    "",
                    "",
                    "",
                    "",
                    "",
                    batch_id,
                    now,
                    now,
                )
                for number, name in new.items()
            ),
        )
        ids.update(
            Customer.objects.filter(
                administration=administration, import_batch_id=batch_id
            ).values_list("number", "pk")
        )
    return ids, len(new)


def _credit_allocations(
    administration, invoices: list[InvoiceRow], existing: dict, errors: ErrorList, batch_id: int
):
    """Allocate credit notes that name the invoice they correct (column credit_for)."""
    from debitum.ledger.models import Invoice

    credits = [invoice for invoice in invoices if invoice.credit_for]
    if not credits:
        return 0
    numbers = {invoice.number for invoice in credits} | {invoice.credit_for for invoice in credits}
    stored = {
        number: (pk, customer_number, currency, invoice_date, kind)
        for number, pk, customer_number, currency, invoice_date, kind in Invoice.objects.filter(
            administration=administration, number__in=numbers
        ).values_list("number", "pk", "customer__number", "currency", "invoice_date", "kind")
    }
    target_ids = [stored[c.credit_for][0] for c in credits if c.credit_for in stored]
    still_open = open_amounts(
        administration=administration, as_of=dt.date.max, invoice_ids=target_ids
    )
    rows, now = [], timezone.now()
    for credit in credits:
        if credit.number in existing:
            continue  # imported before, allocated then
        target = stored.get(credit.credit_for)
        if target is None:
            errors.add(credit.line, "credit_for", credit.credit_for, "no such invoice")
            continue
        target_id, customer_number, currency, invoice_date, kind = target
        if kind != InvoiceKind.INVOICE:
            errors.add(credit.line, "credit_for", credit.credit_for, "is not an invoice")
        elif customer_number != credit.customer_number:
            errors.add(
                credit.line,
                "credit_for",
                credit.credit_for,
                f"belongs to customer {customer_number}",
            )
        elif currency != credit.currency:
            errors.add(
                credit.line,
                "credit_for",
                credit.credit_for,
                f"is in {currency}, the credit note in {credit.currency}",
            )
        else:
            applied = min(-credit.amount, still_open.get(target_id, Decimal("0")))
            if applied > 0:
                still_open[target_id] = still_open.get(target_id, Decimal("0")) - applied
                rows.append(
                    (
                        administration.pk,
                        target_id,
                        stored[credit.number][0],
                        to_minor_units(applied),
                        max(credit.invoice_date, invoice_date),
                        now,
                    )
                )
    if not errors:
        bulk_insert(
            "ledger_allocation",
            (
                "administration_id",
                "invoice_id",
                "credit_note_id",
                "amount_cents",
                "allocation_date",
                "created_at",
            ),
            rows,
        )
    return len(rows)


@no_cyclic_gc()
def invoice_import(
    *, administration, table: Table, actor=None, progress: Progress = no_progress
) -> ImportResult:
    """Import invoices and credit notes from `table` into `administration`, whole or not at all."""
    return run_import(
        administration=administration,
        table=table,
        kind=ImportKind.INVOICES,
        required=REQUIRED,
        optional=OPTIONAL,
        parse=lambda errors: parse_invoices(table, administration.currency, errors, progress),
        write=lambda invoices, result, errors: _write(
            administration, table, invoices, result, errors, actor, progress
        ),
    )


def _payment_references(administration, new) -> dict[str, str]:
    """A payment reference for every new invoice that comes without one, in the
    administration's kind (OGM in Belgium, the betalingskenmerk in the Netherlands): the payment
    matcher relies on them. Credit notes get none; an administration of kind `none` neither."""
    if administration.payment_reference_kind == PaymentReferenceKind.NONE:
        return {}
    numbers = [i.number for i in new if i.kind == InvoiceKind.INVOICE and not i.reference]
    reserved = payment_references_reserve(administration=administration, count=len(numbers))
    return dict(zip(numbers, reserved, strict=True))


def _write(
    administration,
    table: Table,
    invoices,
    result: ImportResult,
    errors: ErrorList,
    actor,
    progress: Progress,
) -> None:
    """The writing half, inside the import's transaction."""
    existing = _existing_invoices(administration, [invoice.number for invoice in invoices])
    for invoice in invoices:
        stored = existing.get(invoice.number)
        if stored is not None and not invoice.same_as(stored):
            errors.add(
                invoice.line,
                "invoice_number",
                invoice.number,
                f"already in the ledger with other values (customer {stored[0]}, {stored[1]} "
                f"{Decimal(stored[2]).scaleb(-2):.2f}, dated {stored[3]}, due {stored[4]}); "
                "correct a sent invoice with a credit note",
            )
    errors.raise_if_any()
    batch = batch_record(
        administration=administration,
        kind=ImportKind.INVOICES,
        table=table,
        actor=actor,
        result=result,
    )
    customer_ids, customers_created = _customer_ids(
        administration, table, invoices, batch.pk, errors
    )
    errors.raise_if_any()
    new = [invoice for invoice in invoices if invoice.number not in existing]
    references = _payment_references(administration, new)
    now = timezone.now()
    total = len(new)

    def rows():
        administration_id, batch_id = administration.pk, batch.pk
        for index, invoice in enumerate(new, start=1):
            if index % 50_000 == 0:
                progress("writing", index, total)
            # The parsed amounts have exactly two decimals, so scaleb(2) is to_minor_units
            # without its checks, which cost a tenth of a large import.
            yield (
                administration_id,
                customer_ids[invoice.customer_number],
                invoice.number,
                invoice.kind,
                invoice.invoice_date,
                invoice.due_date,
                invoice.currency,
                int(invoice.amount.scaleb(2)),
                int(invoice.vat_amount.scaleb(2)),
                invoice.description,
                invoice.reference or references.get(invoice.number, ""),
                batch_id,
                now,
            )

    bulk_insert("ledger_invoice", INVOICE_COLUMNS, rows(), row_count=total)
    progress("writing", total, total)
    allocations = _credit_allocations(administration, invoices, existing, errors, batch.pk)
    errors.raise_if_any()  # leaving atomic() by an exception rolls everything back
    result.created = {
        "invoices": sum(1 for i in new if i.kind == InvoiceKind.INVOICE),
        "credit notes": sum(1 for i in new if i.kind == InvoiceKind.CREDIT_NOTE),
        "customers": customers_created,
        "credit allocations": allocations,
    }
    result.unchanged = len(invoices) - len(new)
    batch_finish(batch=batch, administration=administration, actor=actor, result=result)
