"""The floor: the tightest single SQL statement for the aging bucket totals per currency.

The aging report does more (a row per customer with its name, unapplied payments, Python
objects); the floor is what the database cannot avoid: read every invoice of the
administration and what settled it by the date, and add up five CASE columns. Two shapes are
measured and the faster one is the floor, since which wins depends on the database:

- `join`: invoices LEFT JOIN the settlements pre-aggregated per invoice, settled invoices
  dropped before the CASE columns (the report's shape);
- `union`: every source (invoices, allocations, credit allocations, write-offs) summed straight
  into the buckets of the invoice it touches, with no grouping per invoice.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection

from debitum.domain.aging import BUCKET_LIMITS, BUCKETS
from debitum.domain.money import from_minor_units


def _edges(as_of: dt.date) -> dict[str, dt.date]:
    # Days past due <= limit  <=>  due_date >= as_of - limit: compare dates, not day counts.
    return {
        f"edge{index}": as_of - dt.timedelta(days=limit)
        for index, (_, limit) in enumerate(BUCKET_LIMITS)
    }


def _buckets(value: str) -> list[str]:
    """SUM(CASE ...) of `value` for each bucket, by the due date of invoice `i`."""
    last = len(BUCKET_LIMITS) - 1
    conditions = ["i.due_date >= %(edge0)s"]
    conditions += [
        f"i.due_date >= %(edge{n})s AND i.due_date < %(edge{n - 1})s" for n in range(1, last + 1)
    ]
    conditions.append(f"i.due_date < %(edge{last})s")
    return [
        f"SUM(CASE WHEN {condition} THEN {value} ELSE 0 END) AS b{n}"
        for n, condition in enumerate(conditions)
    ]


def _settled(source: str, column: str, date_column: str, extra: str = "") -> str:
    return f"""SELECT {column} AS invoice_id, SUM(amount_cents) AS cents FROM {source}
                WHERE administration_id = %(administration)s AND {date_column} <= %(as_of)s {extra}
                GROUP BY {column}"""


def join_sql() -> str:
    # Three LEFT JOINs rather than one UNION of settlements, so that each can use its index.
    open_cents = (
        "i.amount_cents - COALESCE(a.cents, 0) + COALESCE(c.cents, 0) - COALESCE(w.cents, 0)"
    )
    return f"""
        SELECT i.currency, {", ".join(_buckets(open_cents))}
          FROM ledger_invoice i
          LEFT JOIN ({_settled("ledger_allocation", "invoice_id", "allocation_date")}) a ON a.invoice_id = i.id
          LEFT JOIN ({_settled("ledger_allocation", "credit_note_id", "allocation_date", "AND credit_note_id IS NOT NULL")}) c
                 ON c.invoice_id = i.id
          LEFT JOIN ({_settled("ledger_writeoff", "invoice_id", "write_off_date")}) w ON w.invoice_id = i.id
         WHERE i.administration_id = %(administration)s AND i.invoice_date <= %(as_of)s
           AND {open_cents} <> 0
         GROUP BY i.currency
    """


def union_sql() -> str:
    def part(value: str, source: str = "", on: str = "", date_condition: str = "") -> str:
        if not source:
            return f"""SELECT i.currency, {", ".join(_buckets(value))} FROM ledger_invoice i
                        WHERE i.administration_id = %(administration)s AND i.invoice_date <= %(as_of)s
                        GROUP BY i.currency"""
        return f"""SELECT i.currency, {", ".join(_buckets(value))}
                     FROM {source} s JOIN ledger_invoice i ON i.id = s.{on}
                    WHERE s.administration_id = %(administration)s AND s.{date_condition} <= %(as_of)s
                      AND i.invoice_date <= %(as_of)s
                    GROUP BY i.currency"""

    parts = [
        part("i.amount_cents"),
        part("-s.amount_cents", "ledger_allocation", "invoice_id", "allocation_date"),
        part("s.amount_cents", "ledger_allocation", "credit_note_id", "allocation_date"),
        part("-s.amount_cents", "ledger_writeoff", "invoice_id", "write_off_date"),
    ]
    sums = ", ".join(f"SUM(b{n})" for n in range(len(BUCKETS)))
    return f"SELECT currency, {sums} FROM ({' UNION ALL '.join(parts)}) parts GROUP BY currency"


SHAPES = {"join": join_sql, "union": union_sql}

# The report also shows, beside the buckets, what customers paid that no invoice absorbed.
# Its floor: payments in, their allocations out, summed per currency in one statement.
UNAPPLIED_SQL = """
    SELECT currency, SUM(cents) FROM (
        SELECT p.currency, p.amount_cents AS cents FROM ledger_payment p
         WHERE p.administration_id = %(administration)s AND p.payment_date <= %(as_of)s
        UNION ALL
        SELECT p.currency, -a.amount_cents FROM ledger_allocation a JOIN ledger_payment p ON p.id = a.payment_id
         WHERE a.administration_id = %(administration)s AND a.allocation_date <= %(as_of)s
           AND p.payment_date <= %(as_of)s
    ) moves GROUP BY currency
"""


def floor_bucket_totals(
    *, administration_id: int, as_of: dt.date, shape: str
) -> dict[str, dict[str, Decimal]]:
    """Bucket totals per currency at `as_of`, in one statement of the given shape."""
    params = {"administration": administration_id, "as_of": as_of, **_edges(as_of)}
    with connection.cursor() as cursor:
        cursor.execute(SHAPES[shape](), params)
        rows = cursor.fetchall()
    return {
        currency: {
            bucket: from_minor_units(int(cents or 0))
            for bucket, cents in zip(BUCKETS, sums, strict=True)
        }
        for currency, *sums in rows
    }


def floor_unapplied_totals(*, administration_id: int, as_of: dt.date) -> dict[str, Decimal]:
    """Unapplied payments per currency at `as_of` (positive: money on account), in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(UNAPPLIED_SQL, {"administration": administration_id, "as_of": as_of})
        return {
            currency: from_minor_units(int(cents or 0)) for currency, cents in cursor.fetchall()
        }
