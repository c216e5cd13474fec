"""Rows for the demo administration: customers, invoices and payments, as import files have them.

Pure Python (no Django): the result is three lists of rows in the columns of the importers,
so the demo goes through the real import path and the benchmark can write them to CSV.

Deterministic: the rows depend on (customers, seed, as_of) only, drawn from `random.Random`
streams, never the global one nor the clock. The streams are laid out so that moving `as_of`
keeps what the earlier build made: one stream for the customers, one per calendar month for
that month's invoices, and every draw is made whether or not the window keeps its row. An
invoice number therefore always names the same invoice, and a demo built yesterday can be
built again today (it adds the new day's invoices and payments, and changes nothing else).
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import gc
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter

from . import numbers
from .customers import (
    BUSINESS_RATE,
    BUSINESS_SHARE,
    CHRONIC,
    CONSUMER_RATE,
    CUSTOMER_HEADER,
    LATE,
    NEVER,
    PUNCTUAL,
    Profile,
    generate_customers,
)

__all__ = [
    "CUSTOMER_HEADER",
    "INVOICE_HEADER",
    "PAYMENT_HEADER",
    "DemoData",
    "generate",
    "history_start",
]

HISTORY_MONTHS = 18

INVOICE_HEADER = [
    "customer_number",
    "invoice_number",
    "invoice_date",
    "due_date",
    "amount",
    "vat_amount",
    "currency",
    "kind",
    "credit_for",
    "reference",
    "description",
]
PAYMENT_HEADER = [
    "payment_date",
    "amount",
    "currency",
    "customer_number",
    "invoice_number",
    "reference",
]

NATURAL_INVOICES_PER_CUSTOMER = HISTORY_MONTHS * (
    BUSINESS_SHARE * sum(BUSINESS_RATE) / 2 + (1 - BUSINESS_SHARE) * sum(CONSUMER_RATE) / 2
)
VAT_PERCENT = 21


@dataclass(frozen=True, slots=True)
class DemoData:
    """Rows in the columns of the importers (CUSTOMER_HEADER, INVOICE_HEADER, PAYMENT_HEADER)."""

    as_of: dt.date
    start_date: dt.date
    customers: list[list[str]]
    invoices: list[list[str]]
    payments: list[list[str]]


def history_start(as_of: dt.date) -> dt.date:
    """The first day of the HISTORY_MONTHS months that end on `as_of`."""
    month_count = as_of.year * 12 + as_of.month - 1 - HISTORY_MONTHS
    year, month = divmod(month_count, 12)
    day = min(as_of.day, calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day) + dt.timedelta(days=1)


def _stream(seed: int, key: int) -> random.Random:
    # One integer per stream (key 0 = customers, else the month as year*12 + month): integer
    # seeds are reproducible across Python versions and processes, unlike hash().
    return random.Random((seed % 2**32) << 20 | key)


def money(cents: int) -> str:
    """Cents as the amount text of an import file: 1234.56, -12.00."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


# What may happen to an invoice besides one payment in full (chances per invoice).
NORMAL, PARTIAL, CREDIT, OVERPAID = 0, 1, 2, 3
PARTIAL_CHANCE = {PUNCTUAL: 0.03, LATE: 0.06, CHRONIC: 0.12, NEVER: 0.06}
CREDIT_CHANCE, OVERPAID_CHANCE = 0.015, 0.004
ON_ACCOUNT_CHANCE = 0.004  # a business pays a round sum "on account" in a month


def _delay(rng: random.Random, behaviour: str) -> int:
    """Days between the due date and the payment (negative: paid early)."""
    if behaviour == PUNCTUAL:
        if rng.random() < 0.08:
            return rng.randint(5, 25)  # even a good payer misses one now and then
        return round(rng.triangular(-7, 5, 0))
    if behaviour == CHRONIC:
        return rng.randint(60, 120)
    return rng.randint(15, 45)  # late, and those who never pay until they stopped


def _month_draws(rng: random.Random, profiles: list[Profile], limits: list[float], days: int):
    """The invoices and payments on account of one calendar month, by day, before any window.

    Every draw here depends on the month's stream and the profiles only (never on as_of).
    """
    invoices_by_day: list[list[tuple]] = [[] for _ in range(days + 1)]
    on_account: list[tuple] = []
    rand = rng.random
    for profile, limit in zip(profiles, limits, strict=True):
        # Poisson number of invoices (Knuth): multiply uniforms until below e^-rate.
        count, product = 0, rand()
        while product > limit:
            count += 1
            product *= rand()
        if profile.is_business and rand() < ON_ACCOUNT_CHANCE:
            on_account.append((profile, int(rand() * days) + 1, rng.randint(1, 10) * 10_000))
        for _ in range(count):
            day = int(rand() * days) + 1
            # A log-normal draw in euros, made whole cents at once: the amount is never a float.
            cents = int(rng.lognormvariate(profile.amount_mu, profile.amount_sigma) * 100 + 0.5)
            cents = min(
                max(cents, 1_500 if profile.is_business else 995),
                9_500_000 if profile.is_business else 500_000,
            )
            delay = _delay(rng, profile.behaviour)
            point = rand()
            if point < PARTIAL_CHANCE[profile.behaviour]:
                # Paid in two parts: a round part first, the rest weeks later.
                first = max(100, min(cents - 1, int(cents * rng.uniform(0.3, 0.7)) // 100 * 100))
                record = (profile, cents, delay, PARTIAL, first, delay + rng.randint(14, 60), None)
            elif (point := point - PARTIAL_CHANCE[profile.behaviour]) < CREDIT_CHANCE:
                share = 1 if rand() < 0.3 else rng.uniform(0.05, 0.5)
                credit = max(1, int(cents * share))
                record = (profile, cents, delay, CREDIT, credit, rng.randint(2, 20), rand() < 0.7)
            elif point - CREDIT_CHANCE < OVERPAID_CHANCE:
                record = (profile, cents, delay, OVERPAID, rand() < 0.5, rng.randint(3, 12), None)
            else:
                record = (profile, cents, delay, NORMAL, None, None, None)
            invoices_by_day[day].append(record)
    return invoices_by_day, on_account


def _vat(cents: int) -> int:
    """The VAT in an amount incl. 21% VAT, rounded half up to the cent."""
    return (2 * cents * VAT_PERCENT + 100 + VAT_PERCENT) // (2 * (100 + VAT_PERCENT))


TEXTS = {
    "nl": (
        "Levering order {}",
        "Bestelling {}",
        "Creditnota bij factuur {}",
        "Betaling op rekening",
    ),
    "fr": (
        "Livraison commande {}",
        "Commande {}",
        "Note de crédit sur facture {}",
        "Paiement en acompte",
    ),
}


class _Writer:
    """Turns one month's draws into rows, keeping what falls in the window [start, as_of]."""

    def __init__(self, start: dt.date, as_of: dt.date):
        self.start, self.as_of = start.toordinal(), as_of.toordinal()
        self.iso: dict[int, str] = {}
        self.invoices: list[list[str]] = []
        self.payments: list[list[str]] = []

    def date(self, ordinal: int) -> str:
        text = self.iso.get(ordinal)
        if text is None:
            text = self.iso[ordinal] = dt.date.fromordinal(ordinal).isoformat()
        return text

    def pay(self, ordinal: int, cents: int, profile: Profile, number: str, reference: str) -> None:
        # The future is unknown: a payment after as_of is not made, its invoice stays open.
        if ordinal <= self.as_of and cents > 0:
            self.payments.append(
                [self.date(ordinal), money(cents), "EUR", profile.number, number, reference]
            )

    def month(
        self, year: int, month: int, invoices_by_day: list[list[tuple]], on_account: list[tuple]
    ) -> None:
        first = dt.date(year, month, 1).toordinal() - 1
        prefix = f"{year}{month:02d}"
        sequence = credit_sequence = 0
        for day, records in enumerate(invoices_by_day):
            ordinal = first + day
            in_window = self.start <= ordinal <= self.as_of
            for profile, cents, delay, event, a, b, c in records:
                # Numbers are given to every draw, kept or not, so they never shift with as_of.
                sequence += 1
                if event == CREDIT:
                    credit_sequence += 1
                if not in_window:
                    continue
                pays = True
                if profile.behaviour == NEVER:
                    stopped = self.as_of - profile.stopped_paying_days
                    if ordinal > stopped + profile.invoiced_after_stop_days:
                        continue  # deliveries stopped
                    pays = ordinal <= stopped
                self._invoice(
                    profile,
                    ordinal,
                    prefix,
                    sequence,
                    credit_sequence,
                    cents,
                    delay,
                    event,
                    a,
                    b,
                    c,
                    pays,
                )
        for profile, day, cents in on_account:
            ordinal = first + day
            if self.start <= ordinal and (
                profile.behaviour != NEVER or ordinal <= self.as_of - profile.stopped_paying_days
            ):
                self.pay(ordinal, cents, profile, "", TEXTS[profile.language][3])

    def _invoice(
        self,
        profile,
        ordinal,
        prefix,
        sequence,
        credit_sequence,
        cents,
        delay,
        event,
        a,
        b,
        c,
        pays,
    ):
        number = f"F{prefix}-{sequence:06d}"
        if profile.country == "BE":
            # Belgian customers pay with the structured reference (OGM) printed on the invoice.
            reference = numbers.ogm(int(prefix[2:]) * 10**6 + sequence)
        else:
            reference = number
        texts = TEXTS[profile.language]
        due = ordinal + profile.terms_days
        self.invoices.append(
            [
                profile.number,
                number,
                self.date(ordinal),
                self.date(due),
                money(cents),
                money(_vat(cents)),
                "EUR",
                "invoice",
                "",
                reference,
                (texts[0] if profile.is_business else texts[1]).format(number[1:]),
            ]
        )
        paid = max(ordinal, due + delay)
        if not pays:
            return
        if event == NORMAL:
            self.pay(paid, cents, profile, number, reference)
        elif event == PARTIAL:
            self.pay(paid, a, profile, number, reference)
            self.pay(max(paid + 1, due + b), cents - a, profile, number, reference)
        elif event == CREDIT:
            credited = ordinal + b
            if credited > self.as_of:
                return  # neither the credit note nor the payment after it has happened yet
            self.invoices.append(
                [
                    profile.number,
                    f"C{prefix}-{credit_sequence:05d}",
                    self.date(credited),
                    self.date(credited),
                    money(-a),
                    money(-_vat(a)),
                    "EUR",
                    "credit_note",
                    number if c else "",
                    "",
                    texts[2].format(number),
                ]
            )
            # The customer pays what is left after the credit, whether or not the credit
            # note was linked to the invoice (unlinked, both stay open: work for a controller).
            self.pay(max(paid, credited + 1), cents - a, profile, number, reference)
        elif a:  # OVERPAID, twice
            self.pay(paid, cents, profile, number, reference)
            self.pay(paid + b, cents, profile, number, reference)
        else:  # OVERPAID, rounded up to the next ten euros
            self.pay(paid, (cents // 1_000 + 1) * 1_000, profile, number, reference)


def generate(
    *,
    customers: int,
    seed: int,
    as_of: dt.date,
    invoices_per_customer: float | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> DemoData:
    """The demo rows for `customers` customers over the HISTORY_MONTHS months up to `as_of`.

    `invoices_per_customer` scales the invoicing rates to about that many invoices per
    customer over the whole history (the benchmark asks for 10); by default a business gets
    1-4 invoices a month and a consumer a few a year.
    """
    progress = progress or (lambda phase, done, total: None)
    with _without_cyclic_gc():
        return _generate(customers, seed, as_of, invoices_per_customer, progress)


@contextlib.contextmanager
def _without_cyclic_gc():
    """Millions of new lists make the cyclic garbage collector rescan all of them again and
    again (generation 2), which more than doubles the time; rows hold no cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _generate(
    customers: int, seed: int, as_of: dt.date, invoices_per_customer: float | None, progress
) -> DemoData:
    customer_rows, profiles = generate_customers(customers=customers, rng=_stream(seed, 0))
    scale = (
        1.0
        if invoices_per_customer is None
        else invoices_per_customer / NATURAL_INVOICES_PER_CUSTOMER
    )
    limits = [math.exp(-profile.monthly_rate * scale) for profile in profiles]
    start = history_start(as_of)
    writer = _Writer(start, as_of)
    months = [
        (year * 12 + month - 1)
        for year in range(start.year, as_of.year + 1)
        for month in range(1, 13)
    ]
    months = [
        key
        for key in months
        if start.year * 12 + start.month - 1 <= key <= as_of.year * 12 + as_of.month - 1
    ]
    for done, key in enumerate(months):
        progress("generating", done, len(months))
        year, month = divmod(key, 12)
        draws = _month_draws(
            _stream(seed, key + 1), profiles, limits, calendar.monthrange(year, month + 1)[1]
        )
        writer.month(year, month + 1, *draws)
    progress("generating", len(months), len(months))
    # Files come sorted by date, as an accounting package exports them (stable: ties keep
    # the order of the numbers).
    writer.invoices.sort(key=itemgetter(2))
    writer.payments.sort(key=itemgetter(0))
    return DemoData(as_of, start, customer_rows, writer.invoices, writer.payments)
