"""The statement matching benchmark (issue 6, item 6), run in its own process against the
database the environment names.

Builds an administration with `customers` customers (each with a known IBAN) and
`open_invoices` open invoices (each with a Dutch betalingskenmerk, as the invoice import gives
them), then writes a camt.053 statement of `entries` entries with the noise of real life, each
generated with what it really pays (the truth), imports it as `debitum import statement` does,
and compares what was applied automatically with the truth.

The mix of the statement (shares of the entries; every invoice is paid by at most one entry):
  45%  the structured reference, the exact amount (half of them from the customer's known
       IBAN, half from another account)
   8%  the reference with one digit wrong or two swapped, the exact amount (idem)
  14%  the invoice number in the free text, written another way (case, separators, leading
       zeros), the exact amount, from an IBAN nobody knows
   3%  the invoice number with one character wrong, the exact amount
   7%  one payment for the two or three oldest invoices of a customer, from its IBAN, no text
   7%  a partial payment (30-90%) with the reference, from the customer's IBAN
  10%  no reference, no number: the customer's IBAN and the exact amount of its oldest invoice
   2%  an overpayment with the reference (the invoice plus 1 to 50 euro), customer's IBAN
   4%  unknown payers: an unknown IBAN, a text that names nothing, any amount
Wrong: an entry applied automatically to another customer or other invoices than the truth.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal
from pathlib import Path

from workload import _setup

BOOKING_DATE = dt.date(2026, 6, 30)
SEED = 6


def _iban(country: str, bank: str, account: int) -> str:
    """A valid IBAN (ISO 13616 mod 97 check digits) for a Dutch bank code and account."""
    bban = f"{bank}{account:010d}"
    numeric = "".join(str(int(ch, 36)) for ch in bban + country) + "00"
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


def _typo(text: str, rng: random.Random) -> str:
    """One digit changed, or two neighbouring characters swapped."""
    positions = [i for i, ch in enumerate(text) if ch.isdigit()]
    i = rng.choice(positions[:-1] or positions)
    if rng.random() < 0.5 and i + 1 < len(text) and text[i] != text[i + 1]:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + str((int(text[i]) + rng.randint(1, 9)) % 10) + text[i + 1 :]


def _restyle(number: str, rng: random.Random) -> str:
    """An invoice number as people type it: F2026-0001234 as f 2026 1234, F2026/1234, ..."""
    letters, rest = number[0], number[1:]
    year, serial = rest.split("-")
    return rng.choice(
        [
            f"{letters.lower()}{year}-{serial}",
            f"{letters} {year} {int(serial)}",
            f"{letters}{year}/{int(serial)}",
            f"{letters}{year}{serial}",
            f"factuur {letters}-{year}-{serial}",
        ]
    )


def build(*, customers: int, open_invoices: int, progress) -> tuple:
    """The administration BENCH with its customers and open invoices, written in bulk."""
    from django.db import transaction
    from django.utils import timezone

    from debitum.administrations.services import administration_create
    from debitum.common.bulk import bulk_insert
    from debitum.customers.models import Customer
    from debitum.domain.references import generate_many
    from debitum.ledger.models import invoice_match_keys

    administration = administration_create(code="BENCH", name="Benchmark B.V.", country="NL")
    now = timezone.now()
    rng = random.Random(SEED)
    task = progress.add_task("build customers and invoices", total=2)
    with transaction.atomic():
        bulk_insert(
            "customers_customer",
            (
                "administration_id", "number", "name", "customer_type", "country", "language",
                "vat_number", "enterprise_number", "kvk_number", "iban", "payment_terms_days",
                "risk_class", "segment", "email", "phone", "street", "postal_code", "city",
                "created_at", "updated_at",
            ),
            (
                (
                    administration.pk, f"C{n:06d}", f"Klant {n} B.V.", "business", "NL", "nl",
                    "", "", "", _iban("NL", "ABNA", n), 30, "normal", "normal", "", "", "", "",
                    "", now, now,
                )
                for n in range(1, customers + 1)
            ),
            row_count=customers,
        )  # fmt: skip
        progress.advance(task)
        ids = dict(
            Customer.objects.filter(administration=administration).values_list("number", "pk")
        )
        references = generate_many("nl", 1, open_invoices)
        invoices = []  # (number, customer number, amount, due date, reference)
        for n in range(open_invoices):
            customer = f"C{n % customers + 1:06d}"
            amount = Decimal(rng.randint(1_000, 500_000)).scaleb(-2)
            invoice_date = BOOKING_DATE - dt.timedelta(days=rng.randint(1, 330))
            invoices.append(
                (f"F{invoice_date.year}-{n + 1:07d}", customer, amount, invoice_date, references[n])
            )
        bulk_insert(
            "ledger_invoice",
            (
                "administration_id", "customer_id", "number", "kind", "invoice_date", "due_date",
                "currency", "amount_cents", "vat_amount_cents", "description", "reference",
                "number_key", "reference_key", "created_at",
            ),
            (
                (
                    administration.pk, ids[customer], number, "invoice", invoice_date,
                    invoice_date + dt.timedelta(days=30), "EUR", int(amount * 100), 0, "",
                    reference, *invoice_match_keys(number, reference), now,
                )
                for number, customer, amount, invoice_date, reference in invoices
            ),
            row_count=open_invoices,
        )  # fmt: skip
        progress.advance(task)
    return administration, invoices


def statement(*, invoices, customers: int, entries: int) -> tuple[str, list]:
    """A camt.053.001.02 statement of `entries` entries and the truth of each: (customer
    number or None, the invoice numbers it pays)."""
    from debitum.banking.formats.camt_writer import camt053
    from debitum.banking.formats.statement import ParsedEntry

    rng = random.Random(SEED + 1)
    by_customer: dict[str, list] = {}
    for invoice in invoices:
        by_customer.setdefault(invoice[1], []).append(invoice)
    for rows in by_customer.values():
        rows.sort(key=lambda i: (i[3] + dt.timedelta(days=30), i[0]))
    used: set[str] = set()
    customers_used: set[str] = set()
    pool = list(by_customer)
    rng.shuffle(pool)
    order = iter(pool)
    truth, xml_entries = [], []
    kinds = [("reference", 45), ("reference_typo", 8), ("number", 14), ("number_typo", 3)] + [
        ("several", 7),
        ("partial", 7),
        ("iban_amount", 10),
        ("over", 2),
        ("unknown", 4),
    ]
    plan = [kind for kind, share in kinds for _ in range(share)]
    for n in range(entries):
        kind = plan[n % len(plan)]
        # Each entry pays the oldest open invoices of a customer no other entry paid: the
        # truth then holds whatever the matcher applies first.
        customer = next(order, None)
        if customer is None:
            break
        customers_used.add(customer)
        oldest = by_customer[customer]
        first = oldest[0]
        number, _, amount, _, reference = first
        iban, name, text, ref, paid = "", f"Klant {int(customer[1:])} B.V.", "", "", [number]
        debtor_iban = _iban("NL", "ABNA", int(customer[1:]))
        # Half the payers with a reference pay from the account the customer file has, half
        # from another one; partial and overpayments come from the customer's own account.
        other_iban = debtor_iban if rng.random() < 0.5 else _iban("NL", "INGB", 9_000_000 + n)
        if kind == "reference":
            ref, pay, iban = reference.replace(" ", ""), amount, other_iban
        elif kind == "reference_typo":
            ref, pay, iban = _typo(reference.replace(" ", ""), rng), amount, other_iban
        elif kind == "number":
            text, pay, iban = f"Betaling {_restyle(number, rng)}", amount, _iban("NL", "INGB", n)
        elif kind == "number_typo":
            text, pay, iban = f"fact {_typo(number, rng)}", amount, _iban("NL", "INGB", n)
        elif kind == "several":
            count = min(len(oldest), rng.choice([2, 3]))
            pay = sum(i[2] for i in oldest[:count])
            paid, iban = [i[0] for i in oldest[:count]], debtor_iban
        elif kind == "partial":
            ref, iban = reference.replace(" ", ""), debtor_iban
            pay = (amount * Decimal(rng.randint(30, 90)) / 100).quantize(Decimal("0.01"))
        elif kind == "iban_amount":
            pay, iban = amount, debtor_iban
        elif kind == "over":
            ref, pay, iban = reference.replace(" ", ""), amount + rng.randint(1, 50), debtor_iban
        else:
            pay = Decimal(rng.randint(500, 90_000)).scaleb(-2)
            iban, name, text = _iban("NL", "RABO", 5_000_000 + n), f"Particulier {n}", "bedankt"
            customer, paid = None, []
        used.update(paid)
        truth.append((customer, sorted(paid)))
        xml_entries.append(
            ParsedEntry(
                booking_date=BOOKING_DATE,
                value_date=BOOKING_DATE,
                amount=pay,
                currency="EUR",
                counterparty_name=name,
                counterparty_iban=iban,
                remittance=text,
                structured_reference=ref,
                end_to_end_id=f"E2E{n:09d}",
                bank_reference=f"B{n:09d}",
            )
        )
    data = camt053(
        account_iban="NL91ABNA0417164300",
        currency="EUR",
        statement_number="1",
        opening_balance=Decimal("0.00"),
        date=BOOKING_DATE,
        entries=xml_entries,
    )
    return data.decode("utf-8"), truth


def run(*, customers: int, open_invoices: int, entries: int, work_dir: Path, progress) -> dict:
    _setup()
    from django.db import connection

    from debitum.banking.formats import parse_statement
    from debitum.banking.services import statement_import

    started = time.perf_counter()
    administration, invoices = build(
        customers=customers, open_invoices=open_invoices, progress=progress
    )
    build_s = time.perf_counter() - started
    xml, truth = statement(invoices=invoices, customers=customers, entries=entries)
    path = work_dir / "statement.xml"
    path.write_text(xml, encoding="utf-8")
    data = path.read_bytes()

    started = time.perf_counter()
    parse_statement(data, path.name)
    parse_s = time.perf_counter() - started

    phases: dict[str, float] = {}
    last = [time.perf_counter(), None]

    def tick(phase, done, total):
        now = time.perf_counter()
        if last[1] is not None:
            phases[last[1]] = phases.get(last[1], 0) + now - last[0]
        last[0], last[1] = now, phase

    started = time.perf_counter()
    result = statement_import(
        administration=administration, data=data, file_name=path.name, progress=tick
    )
    import_s = time.perf_counter() - started
    tick("end", 0, 0)

    rows = result.statements[0].entries
    automatic = wrong = 0
    wrong_examples = []
    for row, (customer, paid) in zip(rows, truth, strict=True):
        if row.outcome != "matched":
            continue
        automatic += 1
        if row.customer_number != customer or sorted(row.invoices) != paid:
            wrong += 1
            if len(wrong_examples) < 5:
                wrong_examples.append(
                    f"{row.reason} {row.customer_number} {row.invoices} (truth {customer} {paid})"
                )
    count = len(rows)
    return {
        "database": connection.vendor,
        "customers": customers,
        "open_invoices": open_invoices,
        "entries": count,
        "build_s": build_s,
        "parse_s": parse_s,
        "import_s": import_s,
        "phases_s": phases,
        "entries_per_s": count / import_s,
        "automatic_share": automatic / count,
        "wrong_share_of_automatic": wrong / automatic if automatic else 0.0,
        "outcomes": dict(result.outcomes),
        "wrong_examples": wrong_examples,
    }
