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
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from itertools import repeat
from operator import attrgetter

from django.db import connection
from django.utils import timezone

from debitum.administrations.choices import PaymentReferenceKind
from debitum.administrations.services import payment_references_reserve
from debitum.common.bulk import bulk_insert, no_cyclic_gc
from debitum.customers.models import Customer
from debitum.customers.selectors import customer_ids as customer_ids_of
from debitum.domain.money import from_minor_units, to_minor_units
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
    "number_key",
    "reference_key",
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
    # In cents, as the ledger stores them: a million Decimals cost a large import a second.
    amount_cents: int
    vat_cents: int
    description: str
    reference: str
    customer_name: str
    credit_for: str

    def same_as(self, stored: tuple) -> bool:
        customer_number, currency, amount_cents, invoice_date, due_date = stored
        return (
            customer_number == self.customer_number
            and currency == self.currency
            and amount_cents == self.amount_cents
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
        to_minor_units(amount),
        to_minor_units(vat_amount),
        description,
        reference,
        customer_name,
        credit_for,
    )


_PLAIN_AMOUNT = re.compile(r"-?[0-9]{1,15}\.[0-9]{2}")
# A whole column of plain amounts, joined by NUL (which no amount contains), in one match.
_PLAIN_AMOUNTS = re.compile(r"(?:-?[0-9]{1,15}\.[0-9]{2}\x00)*-?[0-9]{1,15}\.[0-9]{2}")


def _plain_cents(texts: list[str]) -> list[int | None]:
    """Each amount written plainly (`1234.56`, `-0.50`) in cents, None for any other text.

    Exactly two decimals, so the cents are the digits without the point. A column where every
    amount is plain (the usual large file) is checked and converted whole, in C."""
    joined = "\x00".join(texts)
    if texts and _PLAIN_AMOUNTS.fullmatch(joined):
        return list(map(int, joined.replace(".", "").split("\x00")))
    plain = _PLAIN_AMOUNT.fullmatch
    return [int(text.replace(".", "")) if plain(text) else None for text in texts]


def _plain_rows(table: Table, default_currency: str) -> list[InvoiceRow | None]:
    """The usual rows of a large file, parsed a column at a time.

    Gives, per row of `table`, the InvoiceRow that `_parse_row` would give when the row is
    text, well-formed and has no error, and None for anything else (a typed XLSX cell, an
    amount written `1.234,56`, any error): `_parse_row` then takes that row and reports its
    errors. So the result is the same, only faster: each column is stripped and its texts
    checked in C (`map`), dates, currencies and kinds are parsed once per distinct text, and
    what is left per row is a handful of comparisons.
    """
    count = table.row_count
    columns: dict[str, list[str]] = {}
    cells_of = table.columns()
    for name in (*REQUIRED, *OPTIONAL):
        cells = cells_of.get(name) or [""] * count  # an absent column counts as empty
        try:
            columns[name] = list(map(str.strip, cells))  # TypeError for a cell that is not text
        except TypeError:
            # A typed cell (XLSX) or a missing one: the general path knows what to do with it.
            return [None] * count

    def parsed_once(texts, parse) -> dict:
        values = {}
        for text in set(texts):
            try:
                values[text] = parse(text)
            except ValueError:
                values[text] = None
        return values

    dates = parsed_once(columns["invoice_date"] + columns["due_date"], fields.date)
    currencies = parsed_once(columns["currency"], fields.currency)
    currencies[""] = default_currency
    kinds = parsed_once(columns["kind"], lambda value: fields.choice(value, KINDS))
    kinds[""] = ""
    amounts = _plain_cents(columns["amount"])
    vats = _plain_cents([vat or "0.00" for vat in columns["vat_amount"]])
    invoice, credit_note = str(InvoiceKind.INVOICE), str(InvoiceKind.CREDIT_NOTE)

    result: list[InvoiceRow | None] = [None] * count
    for index, (
        line,
        customer_number,
        number,
        date_text,
        due_text,
        amount,
        vat,
        currency_text,
        kind_text,
        description,
        reference,
        customer_name,
        credit_for,
    ) in enumerate(
        zip(
            table.lines,
            columns["customer_number"],
            columns["invoice_number"],
            columns["invoice_date"],
            columns["due_date"],
            amounts,
            vats,
            columns["currency"],
            columns["kind"],
            columns["description"],
            columns["reference"],
            columns["customer_name"],
            columns["credit_for"],
            strict=True,
        )
    ):
        if (
            not customer_number
            or not number
            or amount is None
            or vat is None
            or len(customer_number) > 50
            or len(number) > 50
            or len(description) > 500
            or len(reference) > 50
            or len(customer_name) > 200
        ):
            continue
        invoice_date, due_date = dates[date_text], dates[due_text]
        currency, kind = currencies[currency_text], kinds[kind_text]
        if (
            invoice_date is None
            or due_date is None
            or currency is None
            or kind is None
            or due_date < invoice_date
        ):
            continue
        if amount == 0:
            continue
        if kind == credit_note:
            amount, vat = -abs(amount), -abs(vat)
        elif kind == invoice and amount < 0:
            continue
        else:
            kind = invoice if amount > 0 else credit_note
            if (amount < 0) != (vat < 0) and vat != 0:
                vat = -vat
        if abs(vat) > abs(amount) or (credit_for and kind != credit_note):
            continue
        result[index] = InvoiceRow(
            line,
            customer_number,
            number,
            kind,
            invoice_date,
            due_date,
            currency,
            amount,
            vat,
            description,
            reference,
            customer_name,
            credit_for,
        )
    return result


def parse_invoices(
    table: Table,
    default_currency: str,
    errors: ErrorList,
    progress: Progress,
    *,
    lines_by_number: dict[str, int] | None = None,
) -> list[InvoiceRow]:
    """The rows of `table` that are right, each as an InvoiceRow; the others' errors in
    `errors`. `lines_by_number` (number -> line of its first row) carries the numbers of the
    file's earlier parts when the file is parsed a part at a time, and is filled in."""
    total = table.row_count
    plain = _plain_rows(table, default_currency)
    progress("checking", total // 2, total)
    # `all` tests each row for None in C (an InvoiceRow is always true); `None in plain`
    # would call the dataclass's __eq__ a million times.
    if all(plain):
        numbers = list(map(attrgetter("number"), plain))
        if len(set(numbers)) == total and (
            lines_by_number is None or lines_by_number.keys().isdisjoint(numbers)
        ):
            if lines_by_number is not None:
                lines_by_number.update(zip(numbers, table.lines, strict=True))
            progress("checking", total, total)
            return plain  # every row plain, no number twice: nothing left to check
    if lines_by_number is None:
        lines_by_number = {}
    parsed: list[InvoiceRow] = []
    for index, (invoice, (line, row)) in enumerate(zip(plain, table.rows, strict=True), start=1):
        if invoice is None:
            invoice = _parse_row(line, row, default_currency, errors)
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


NO_SUCH_CUSTOMER = "no such customer; import the customers first or fill customer_name to create it"


def not_in_ledger(
    invoices: list[InvoiceRow], existing: dict[str, tuple], errors: ErrorList
) -> list[InvoiceRow]:
    """The invoices the ledger does not have yet. One it has with the same values is left
    alone; one it has with other values is an error (`existing`: `_existing_invoices`)."""
    if not existing:
        return invoices
    new = []
    for invoice in invoices:
        stored = existing.get(invoice.number)
        if stored is None:
            new.append(invoice)
        elif not invoice.same_as(stored):
            errors.add(
                invoice.line,
                "invoice_number",
                invoice.number,
                f"already in the ledger with other values (customer {stored[0]}, {stored[1]} "
                f"{Decimal(stored[2]).scaleb(-2):.2f}, dated {stored[3]}, due {stored[4]}); "
                "correct a sent invoice with a credit note",
            )
    return new


def _customer_ids(
    administration, table: Table, invoices: list[InvoiceRow], batch_id: int, errors: ErrorList
) -> tuple[dict[str, int], int]:
    """customer number -> id, creating customers that the file names with a customer_name."""
    wanted = set(map(attrgetter("customer_number"), invoices))
    ids = customer_ids_of(administration, wanted)
    new: dict[str, str] = {}
    unknown = wanted - ids.keys()
    for invoice in invoices if unknown else ():
        if invoice.customer_number in ids or invoice.customer_number in new:
            continue
        if not invoice.customer_name:
            errors.add(invoice.line, "customer_number", invoice.customer_number, NO_SUCH_CUSTOMER)
            continue
        new[invoice.customer_number] = invoice.customer_name
    if new and not errors:
        ids.update(_customers_create(administration, new, batch_id))
    return ids, len(new)


def _customers_create(administration, new: dict[str, str], batch_id: int) -> dict[str, int]:
    """Create the customers `new` names (number -> name) with the administration's defaults,
    in the import's batch; their ids by number."""
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
    return dict(
        Customer.objects.filter(
            administration=administration, import_batch_id=batch_id
        ).values_list("number", "pk")
    )


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
        )
        .order_by()  # not the model's ordering: a sort of the rows for nothing
        .values_list("number", "pk", "customer__number", "currency", "invoice_date", "kind")
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
            applied = min(
                -from_minor_units(credit.amount_cents), still_open.get(target_id, Decimal("0"))
            )
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
    *,
    administration,
    table: Table,
    actor=None,
    progress: Progress = no_progress,
    dry_run: bool = False,
) -> ImportResult:
    """Import invoices and credit notes from `table` into `administration`, whole or not at all
    (`dry_run`: every check, then rolled back; nothing is written)."""
    from .invoice_stream import streamable, write_streamed

    # A large file into PostgreSQL is checked in a thread while the server writes it: its
    # checks happen in the write.
    streamed = streamable(table)

    def parse(errors):
        return (
            None if streamed else parse_invoices(table, administration.currency, errors, progress)
        )

    def write(invoices, result, errors):
        if streamed:
            write_streamed(administration, table, result, actor, progress)
        else:
            _write(administration, table, invoices, result, errors, actor, progress)

    return run_import(
        administration=administration,
        table=table,
        kind=ImportKind.INVOICES,
        required=REQUIRED,
        optional=OPTIONAL,
        parse=parse,
        write=write,
        dry_run=dry_run,
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


def _invoice_rows(
    administration_id: int,
    batch_id: int,
    new: list[InvoiceRow],
    customer_ids: dict[str, int],
    references: dict[str, str],
    now,
):
    """The rows of `new` in INVOICE_COLUMNS, made a column at a time (each column a `map` in
    C), as an iterator: a `zip` of the columns, which makes each row's tuple in C."""
    from debitum.ledger.models import invoice_match_keys_of

    def column(name: str) -> list:
        return list(map(attrgetter(name), new))

    numbers = column("number")
    given = column("reference")
    filled = (
        [
            reference or references.get(number, "")
            for number, reference in zip(numbers, given, strict=True)
        ]
        if references
        else given
    )
    number_keys, reference_keys = invoice_match_keys_of(numbers, filled)
    # Dates and the timestamp go in as the database takes them: text for SQLite (which would
    # otherwise call a Python adapter for each of three million values, a tenth of a large
    # import), dates for PostgreSQL's binary COPY. Each distinct date converted once.
    invoice_dates, due_dates = column("invoice_date"), column("due_date")
    adapt = connection.ops.adapt_datefield_value
    iso = {date: adapt(date) for date in {*invoice_dates, *due_dates}}
    return zip(
        repeat(administration_id),
        map(customer_ids.__getitem__, column("customer_number")),
        numbers,
        column("kind"),
        map(iso.__getitem__, invoice_dates),
        map(iso.__getitem__, due_dates),
        column("currency"),
        column("amount_cents"),
        column("vat_cents"),
        column("description"),
        filled,
        number_keys,
        reference_keys,
        repeat(batch_id),
        repeat(connection.ops.adapt_datetimefield_value(now)),
    )


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
    existing = _existing_invoices(administration, list(map(attrgetter("number"), invoices)))
    new = not_in_ledger(invoices, existing, errors)
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
    references = _payment_references(administration, new)
    now = timezone.now()
    total = len(new)

    bulk_insert(
        "ledger_invoice",
        INVOICE_COLUMNS,
        _invoice_rows(administration.pk, batch.pk, new, customer_ids, references, now),
        row_count=total,
        progress=lambda done: progress("writing", done, total),
    )
    progress("writing", total, total)
    allocations = _credit_allocations(administration, invoices, existing, errors, batch.pk)
    errors.raise_if_any()  # leaving atomic() by an exception rolls everything back
    kinds = Counter(map(attrgetter("kind"), new))
    result.created = {
        "invoices": kinds[InvoiceKind.INVOICE],
        "credit notes": kinds[InvoiceKind.CREDIT_NOTE],
        "customers": customers_created,
        "credit allocations": allocations,
    }
    result.unchanged = len(invoices) - len(new)
    batch_finish(batch=batch, administration=administration, actor=actor, result=result)
