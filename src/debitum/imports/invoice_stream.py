"""A large invoice file into PostgreSQL: its rows checked while the server writes them.

Checking a million rows is Python (about 7 s on this machine); writing them is the PostgreSQL
server's work (about 16 s for the `COPY`, in its own process). One after the other they add
up; here a thread checks the file a part at a time while this one sends the parts it has to
the server, which writes them meanwhile. The checking thread needs the interpreter only while
the sending thread waits for the server, which is most of the time. (Not for SQLite: its
writes run in this process and let go of the interpreter's lock for every row, so the two
threads would take turns row by row.)

The rules are those of `invoice_import` (the same functions check the rows), and so is the
result: all or nothing, in the import's transaction, with the same errors in the same order
(the file's own first, then what clashes with the ledger, then unknown customers).

What must be known before the first row is sent is looked up first: the invoices already in
the ledger, the customers' ids (creating those the file names with a customer_name), and
enough payment references for every row that comes without one (those not needed go back at
the end). The checking thread reads no database.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from operator import attrgetter, itemgetter

from django.db import connection
from django.utils import timezone

from debitum.administrations.choices import PaymentReferenceKind
from debitum.administrations.services import (
    payment_references_give_back,
    payment_references_reserve,
)
from debitum.common.bulk import bulk_insert
from debitum.customers.selectors import customer_ids as customer_ids_of
from debitum.ledger.choices import InvoiceKind
from debitum.ledger.models import Invoice

from . import fields
from .choices import ImportKind
from .errors import ErrorList, ImportFailed
from .invoice_import import (
    INVOICE_COLUMNS,
    NO_SUCH_CUSTOMER,
    InvoiceRow,
    _credit_allocations,
    _customers_create,
    _existing_invoices,
    _invoice_rows,
    not_in_ledger,
    parse_invoices,
)
from .pipeline import ImportResult, Progress, batch_finish, batch_record, no_progress
from .readers import Table

# From this many rows on, an invoice file is checked in a thread while it is written.
STREAM_MIN_ROWS = 100_000
STREAM_VENDORS = {"postgresql"}
# The rows of one part: checked together, handed over together, sent to the server together.
PART_ROWS = 50_000


def streamable(table: Table) -> bool:
    return connection.vendor in STREAM_VENDORS and table.row_count >= STREAM_MIN_ROWS


class _Stopped(Exception):
    """The consumer has gone: the producing thread stops."""


_END = object()


def _produced_in_a_thread(produce: Callable[[Callable], None]) -> Iterator:
    """Run `produce(send)` in a thread; yield each item it sends, as it comes (two at most
    wait). An exception in the thread is raised here after the items sent before it; leaving
    the loop early stops the thread at its next `send`."""
    items: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()
    failure: list[BaseException] = []

    def send(item) -> None:
        while not stop.is_set():
            try:
                items.put(item, timeout=0.1)
                return
            except queue.Full:
                continue
        raise _Stopped

    def run() -> None:
        try:
            produce(send)
        except _Stopped:
            return
        except BaseException as error:  # handed to the consumer
            failure.append(error)
        with contextlib.suppress(_Stopped):
            send(_END)

    thread = threading.Thread(target=run, name="invoice-checks", daemon=True)
    thread.start()
    try:
        while (item := items.get()) is not _END:
            yield item
        if failure:
            raise failure[0]
    finally:
        stop.set()
        thread.join()


def _texts(table: Table, column: str) -> list[str]:
    """A column's cells as the checks read text (`fields.text`: stripped, a typed cell as
    its text); an absent column as empty ones."""
    if column not in table.header:
        return [""] * table.row_count
    cells = list(map(itemgetter(table.header.index(column)), table.records))
    try:
        return list(map(str.strip, cells))
    except TypeError:  # a typed XLSX cell, or None
        return list(map(fields.text, cells))


def _customers_named(administration, table: Table, ids: dict[str, int], batch_id: int):
    """Create the customers that the file names with a customer_name and the ledger does not
    know, from the first row that names each (as `_customer_ids` does); returns {customer
    number: line of that row}. Rows too long to be right are left to the checks, which fail
    the import on them."""
    named: dict[str, tuple[int, str]] = {}
    numbers = _texts(table, "customer_number")
    if set(numbers) <= ids.keys():
        return {}  # the usual file: every customer known
    names = _texts(table, "customer_name")
    for line, number, name in zip(table.lines, numbers, names, strict=True):
        if name and number and number not in ids and number not in named:
            if len(number) <= 50 and len(name) <= 200:
                named[number] = (line, name)
    if named:
        ids.update(
            _customers_create(
                administration, {number: name for number, (_, name) in named.items()}, batch_id
            )
        )
    return {number: line for number, (line, _) in named.items()}


def _references_reserved(administration, table: Table) -> list[str]:
    """A payment reference for every row without one: the most the file can need (credit
    notes need none, and rows already in the ledger neither)."""
    if administration.payment_reference_kind == PaymentReferenceKind.NONE:
        return []
    wanted = _texts(table, "reference").count("")  # credit notes among them need none
    return payment_references_reserve(administration=administration, count=wanted)


def write_streamed(
    administration,
    table: Table,
    result: ImportResult,
    actor,
    progress: Progress,
) -> None:
    """Check and write `table`, inside the import's transaction (run_import's `write`)."""
    total = table.row_count
    existing = (
        _existing_invoices(administration, _texts(table, "invoice_number"))
        if Invoice.objects.filter(administration=administration).exists()
        else {}  # a first import: no number of the file can be in the ledger yet
    )
    batch = batch_record(
        administration=administration,
        kind=ImportKind.INVOICES,
        table=table,
        actor=actor,
        result=result,
    )
    customer_ids = customer_ids_of(administration)
    known = set(customer_ids)
    first_named = _customers_named(administration, table, customer_ids, batch.pk)
    reserved = _references_reserved(administration, table)
    gives_references = administration.payment_reference_kind != PaymentReferenceKind.NONE
    now = timezone.now()
    checked = _Checked(table.file_name)

    def produce(send) -> None:
        """In the checking thread: check the file a part at a time, send each part's rows."""
        lines_by_number: dict[str, int] = {}
        references = iter(reserved)
        for start in range(0, total, PART_ROWS):
            part = table.part(start, start + PART_ROWS)
            invoices = parse_invoices(
                part,
                administration.currency,
                checked.parse,
                no_progress,
                lines_by_number=lines_by_number,
            )
            new = checked.against_ledger(invoices, existing, known, first_named)
            given = {
                invoice.number: next(references)
                for invoice in (new if gives_references else ())
                if invoice.kind == InvoiceKind.INVOICE and not invoice.reference
            }
            checked.references_used += len(given)
            rows = []
            if not checked.failed:
                rows = list(
                    _invoice_rows(administration.pk, batch.pk, new, customer_ids, given, now)
                )
            send(("part", rows, start + part.row_count))
        send(("end", checked))

    outcome: list[_Checked] = []

    def rows():
        for message in _produced_in_a_thread(produce):
            if message[0] == "part":
                _, part_rows, done = message
                yield from part_rows
                progress("checking", done, total)
                progress("writing", done, total)
            else:
                outcome.append(message[1])
        outcome[0].raise_if_any()  # leaving bulk_insert by an exception rolls it all back

    bulk_insert("ledger_invoice", INVOICE_COLUMNS, rows(), row_count=total)
    (done,) = outcome
    payment_references_give_back(
        administration=administration, count=len(reserved) - done.references_used
    )
    errors = ErrorList(table.file_name)
    allocations = _credit_allocations(administration, done.credits, existing, errors, batch.pk)
    errors.raise_if_any()
    result.created = {
        "invoices": done.kinds[InvoiceKind.INVOICE],
        "credit notes": done.kinds[InvoiceKind.CREDIT_NOTE],
        "customers": len(first_named),
        "credit allocations": allocations,
    }
    result.unchanged = done.unchanged
    batch_finish(batch=batch, administration=administration, actor=actor, result=result)


class _Checked:
    """What the checking thread found over the whole file: its errors, in the order
    `invoice_import` reports them, and what the write needs after the rows (credit notes,
    counts)."""

    def __init__(self, file_name: str):
        self.parse = ErrorList(file_name)
        self.ledger = ErrorList(file_name)
        self.customers = ErrorList(file_name)
        self.credits: list[InvoiceRow] = []
        self.kinds: Counter = Counter()
        self.unchanged = 0
        self.references_used = 0

    @property
    def failed(self) -> bool:
        return bool(self.parse or self.ledger or self.customers)

    def raise_if_any(self) -> None:
        for errors in (self.parse, self.ledger, self.customers):
            if errors:
                raise ImportFailed(errors.errors, errors.more)

    def against_ledger(self, invoices, existing, known, first_named):
        """The part's invoices that are new, after the checks that need the ledger: an
        invoice number already used with other values, a customer the ledger does not know
        (and no row before names)."""
        new = not_in_ledger(invoices, existing, self.ledger)
        self.unchanged += len(invoices) - len(new)  # (a clash fails the import anyway)
        unknown = set(map(attrgetter("customer_number"), invoices)) - known
        for invoice in invoices if unknown else ():
            number = invoice.customer_number
            if number in known:
                continue
            line = first_named.get(number)
            if line is None or invoice.line < line:
                self.customers.add(invoice.line, "customer_number", number, NO_SUCH_CUSTOMER)
        self.kinds.update(map(attrgetter("kind"), new))
        self.credits += [invoice for invoice in invoices if invoice.credit_for]
        return new
