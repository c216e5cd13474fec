"""A day at the bank for the demo administration: a camt.053 statement that pays some of its
open invoices the way debtors really pay (the reference, an invoice number typed by hand, a
part, two invoices at once, a typo) beside money nobody can place, so that the statement
import and the reconciliation queue can be tried at once after `debitum demo`."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from debitum.banking.formats.camt_writer import camt053
from debitum.banking.formats.statement import ParsedEntry
from debitum.customers.models import Customer
from debitum.ledger.models import Invoice
from debitum.ledger.selectors import open_amounts

DEMO_ACCOUNT = "NL91ABNA0417164300"  # the ABN AMRO example IBAN (its own documentation)
# How the entries pay, in turn (the first of each kind pays the oldest open invoices chosen).
KINDS = ("reference", "number", "reference", "partial", "two", "reference", "typo", "unknown")


def demo_statement_path(code: str, as_of: dt.date) -> Path:
    return Path(settings.DEBITUM_HOME) / "demo" / f"{code}-statement-{as_of.isoformat()}.xml"


def demo_statement(*, administration, as_of: dt.date, seed: int = 1, count: int = 24) -> Path:
    """Write the demo statement of `as_of` (booked that day) and return its path; a statement
    written before for the day is kept as it was (it may have been imported already)."""
    path = demo_statement_path(administration.code, as_of)
    if path.exists():
        return path
    rng = random.Random(seed)
    still_open = open_amounts(administration=administration, as_of=as_of)
    invoices = list(
        Invoice.objects.filter(
            administration=administration, pk__in=list(still_open)[:5000], kind="invoice"
        )
        .select_related("customer")
        .order_by("due_date", "id")
    )
    rng.shuffle(invoices)
    by_customer: dict[int, list[Invoice]] = {}
    for invoice in invoices:
        by_customer.setdefault(invoice.customer_id, []).append(invoice)
    used: set[int] = set()
    entries = []
    for n in range(count):
        kind = KINDS[n % len(KINDS)]
        invoice = next((i for i in invoices if i.customer_id not in used), None)
        if invoice is None:
            break
        used.add(invoice.customer_id)
        entries.append(_entry(kind, invoice, by_customer, still_open, as_of, rng, n))
    entries.append(  # the bank's own costs: money out, not a customer's
        ParsedEntry(
            as_of, as_of, Decimal("-12.50"), "EUR", "ABN AMRO Bank N.V.", remittance="Kosten"
        )
    )
    data = camt053(
        account_iban=administration.iban or DEMO_ACCOUNT,
        currency=administration.currency,
        statement_number=as_of.strftime("%j"),
        opening_balance=Decimal("25000.00"),
        date=as_of,
        entries=entries,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _entry(kind, invoice, by_customer, still_open, as_of, rng, n) -> ParsedEntry:
    customer: Customer = invoice.customer
    amount = still_open[invoice.pk]
    name, iban, remittance, reference = customer.name, customer.iban, "", ""
    if kind == "reference":
        reference = invoice.reference
        remittance = "" if reference else f"factuur {invoice.number}"
    elif kind == "number":
        remittance = f"Betaling fact. {invoice.number.lower()}"
        iban = ""  # from an account nobody knows: the number alone must do it
    elif kind == "partial":
        reference = invoice.reference
        amount = (amount * Decimal(rng.choice([25, 40, 50]))) / 100
        amount = amount.quantize(Decimal("0.01"))
        remittance = "" if reference else f"deel {invoice.number}"
    elif kind == "two":
        pair = [i for i in by_customer[invoice.customer_id] if i.pk != invoice.pk][:1]
        amount += sum((still_open[i.pk] for i in pair), Decimal("0"))
        remittance = " ".join(i.number for i in [invoice, *pair])
    elif kind == "typo":
        digits = invoice.number
        position = max(i for i, ch in enumerate(digits) if ch.isdigit())
        wrong = str((int(digits[position]) + 3) % 10)
        remittance = f"factuur {digits[:position]}{wrong}{digits[position + 1 :]}"
        iban = ""
    else:  # unknown
        name, iban = f"Particulier {n}", ""
        amount = Decimal(rng.randint(1500, 25000)).scaleb(-2)
        remittance = "bedankt"
    return ParsedEntry(
        booking_date=as_of,
        value_date=as_of,
        amount=amount,
        currency=invoice.currency,
        counterparty_name=name,
        counterparty_iban=iban,
        remittance=remittance,
        structured_reference=reference,
        end_to_end_id=f"DEMO-{as_of:%Y%m%d}-{n:03d}",
    )
