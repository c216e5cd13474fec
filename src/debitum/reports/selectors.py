"""The aging report (ouderdomsanalyse), computed in the database.

One query over the administration's open items at the date (the open amount is derived from
allocations and write-offs, see `debitum.ledger.selectors`), bucketed by days past due as
`debitum.domain.aging` defines it, grouped per customer and currency.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from debitum.common.bulk import no_cyclic_gc
from debitum.common.side_by_side import read_side_by_side
from debitum.domain.aging import BUCKET_LIMITS, BUCKETS
from debitum.domain.money import from_minor_units
from debitum.ledger.selectors import OPEN_ITEMS_SQL, materialized, unapplied_payments

ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class AgingRow:
    customer_id: int
    customer_number: str
    name: str
    currency: str
    buckets: dict[str, Decimal]
    unapplied: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return sum(self.buckets.values(), ZERO)

    @property
    def balance(self) -> Decimal:
        return self.total + self.unapplied


@dataclass(frozen=True, slots=True)
class AgingReport:
    as_of: dt.date
    administration_code: str
    administration_name: str
    currencies: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    customers: list[AgingRow] = field(default_factory=list)


def _bucket_sql(as_of: dt.date) -> tuple[str, dict]:
    """SUM(CASE ...) per bucket, with the bucket edges as dates (no date arithmetic in SQL,
    which SQLite and PostgreSQL spell differently). Days past due = as_of - due_date."""
    columns, params, lower_days = [], {}, None
    for index, (_name, upper_days) in enumerate(BUCKET_LIMITS):
        # days <= upper  <=>  due_date >= as_of - upper
        params[f"edge{index}"] = as_of - dt.timedelta(days=upper_days)
        condition = f"o.due_date >= %(edge{index})s"
        if lower_days is not None:
            condition += f" AND o.due_date < %(edge{index - 1})s"
        columns.append(
            f"CAST(SUM(CASE WHEN {condition} THEN o.open_cents ELSE 0 END) AS BIGINT) AS bucket{index}"
        )
        lower_days = upper_days
    last = len(BUCKET_LIMITS) - 1
    columns.append(
        f"CAST(SUM(CASE WHEN o.due_date < %(edge{last})s THEN o.open_cents ELSE 0 END) AS BIGINT)"
        f" AS bucket{last + 1}"
    )
    return ", ".join(columns), params


def aging_report(*, administration, as_of: dt.date) -> AgingReport:
    """Open items at `as_of` in buckets per customer and currency, largest total first, and
    the totals per currency. Unapplied payments are shown beside the buckets, not in them."""
    # A row per customer is a dozen objects, none in a cycle: the cyclic collector's rescans
    # of them took a fifth of the report's Python time at 100,000 customers.
    with no_cyclic_gc():
        return _aging_report(administration=administration, as_of=as_of)


def _aging_report(*, administration, as_of: dt.date) -> AgingReport:
    bucket_columns, bucket_params = _bucket_sql(as_of)
    # Open items first (most invoices are settled), then per customer, then the names: at a
    # million invoices this order took 2.9 s on SQLite where joining the customers first took
    # 4.7 s, and 2.0 s on PostgreSQL against 2.3 s.
    sql = f"""
        WITH o AS {materialized()} (
            SELECT customer_id, currency, due_date, open_cents FROM ({OPEN_ITEMS_SQL}) open_items
             WHERE open_cents <> 0
        )
        SELECT c.id, c.number, c.name, g.currency, {", ".join(f"g.bucket{n}" for n in range(len(BUCKETS)))}
          FROM (SELECT o.customer_id, o.currency, {bucket_columns} FROM o GROUP BY o.customer_id, o.currency) g
          JOIN customers_customer c ON c.id = g.customer_id AND c.administration_id = %(administration)s
    """
    params = {"administration": administration.pk, "as_of": as_of, **bucket_params}

    def bucket_rows() -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        # This work on the rows is done while the other connection still reads the payments.
        # Most cells are zero; ZERO is what from_minor_units(0) gives, without the work.
        return [
            (
                -sum(cents),
                currency,
                number,
                customer_id,
                name,
                cents,
                {
                    bucket: from_minor_units(value) if value else ZERO
                    for bucket, value in zip(BUCKETS, cents, strict=True)
                },
            )
            for customer_id, number, name, currency, *cents in fetched
        ]

    # The two halves read the whole administration: at a million invoices each takes seconds,
    # so they run at the same time, on one snapshot (docs/benchmarks.md).
    bucketed, unapplied = read_side_by_side(
        bucket_rows, lambda: unapplied_payments(administration=administration, as_of=as_of)
    )
    keys = {(customer_id, currency) for _, currency, _, customer_id, *_ in bucketed}
    no_open_item = [key for key in unapplied if key not in keys]
    if no_open_item:
        # Customers with money on account and no open item.
        from debitum.customers.models import Customer

        names = dict(
            (pk, (number, name))
            for pk, number, name in Customer.objects.filter(
                administration=administration,
                pk__in={customer_id for customer_id, _ in no_open_item},
            ).values_list("pk", "number", "name")
        )
        zero_cents = [0] * len(BUCKETS)
        for customer_id, currency in no_open_item:
            number, name = names[customer_id]
            bucketed.append(
                (0, currency, number, customer_id, name, zero_cents, dict.fromkeys(BUCKETS, ZERO))
            )
    # Largest total first, then currency and number; the id makes every key unique, so the
    # tuples never compare further.
    bucketed.sort(key=lambda entry: entry[:4])

    customers = [
        AgingRow(
            customer_id,
            number,
            name,
            currency,
            buckets,
            unapplied.get((customer_id, currency), ZERO),
        )
        for _, currency, number, customer_id, name, _, buckets in bucketed
    ]
    cents_by_currency: dict[str, list[list[int]]] = {}
    for entry in bucketed:
        cents_by_currency.setdefault(entry[1], []).append(entry[5])
    unapplied_by_currency: dict[str, Decimal] = {}
    for (_, currency), amount in unapplied.items():
        unapplied_by_currency[currency] = unapplied_by_currency.get(currency, ZERO) + amount

    currencies: dict[str, dict[str, Decimal]] = {}
    for currency, rows in sorted(cents_by_currency.items()):
        sums = [sum(column) for column in zip(*rows, strict=True)]
        totals = {
            bucket: from_minor_units(value) for bucket, value in zip(BUCKETS, sums, strict=True)
        }
        totals["total"] = from_minor_units(sum(sums))
        totals["unapplied"] = unapplied_by_currency.get(currency, ZERO)
        totals["balance"] = totals["total"] + totals["unapplied"]
        currencies[currency] = totals
    return AgingReport(
        as_of=as_of,
        administration_code=administration.code,
        administration_name=administration.name,
        currencies=currencies,
        customers=customers,
    )
