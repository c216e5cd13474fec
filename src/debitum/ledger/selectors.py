"""Reads of the ledger. Every function takes the administration and an explicit date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection

from debitum.domain.money import from_minor_units

# The open amount of every invoice and credit note at a date, as SQL. It is the rule of
# `debitum.domain.open_items.open_amount` written for the database: amount less the allocations
# and write-offs dated on or before the date. For a credit note (negative amount), what it
# allocated to invoices brings it back towards zero. Parameters: administration id and date.
#
# Each source is summed per invoice in its own subquery and joined on its own. One UNION ALL
# of the three, grouped again per invoice, gives the same numbers, but PostgreSQL cannot
# estimate its size: at a million invoices it planned 200 rows, hashed 925,000 to disk in
# each parallel worker and took 5 s where these joins take 1.7 s (SQLite: the same or better).
# The sums are cast back to BIGINT: PostgreSQL's SUM of a bigint is a numeric, which made the
# open amount of every invoice numeric arithmetic (the work list at a million invoices: 5.1 s
# with numeric, 3.5 s with bigint).
OPEN_ITEMS_SQL = """
    SELECT i.id, i.customer_id, i.currency, i.due_date,
           i.amount_cents - COALESCE(a.cents, 0) + COALESCE(c.cents, 0) - COALESCE(w.cents, 0) AS open_cents
      FROM ledger_invoice i
      LEFT JOIN (SELECT invoice_id, CAST(SUM(amount_cents) AS BIGINT) AS cents FROM ledger_allocation
                  WHERE administration_id = %(administration)s AND allocation_date <= %(as_of)s
                  GROUP BY invoice_id) a ON a.invoice_id = i.id
      LEFT JOIN (SELECT credit_note_id, CAST(SUM(amount_cents) AS BIGINT) AS cents FROM ledger_allocation
                  WHERE administration_id = %(administration)s AND allocation_date <= %(as_of)s
                    AND credit_note_id IS NOT NULL
                  GROUP BY credit_note_id) c ON c.credit_note_id = i.id
      LEFT JOIN (SELECT invoice_id, CAST(SUM(amount_cents) AS BIGINT) AS cents FROM ledger_writeoff
                  WHERE administration_id = %(administration)s AND write_off_date <= %(as_of)s
                  GROUP BY invoice_id) w ON w.invoice_id = i.id
     WHERE i.administration_id = %(administration)s AND i.invoice_date <= %(as_of)s
"""


def materialized() -> str:
    """`MATERIALIZED` for a CTE over OPEN_ITEMS_SQL, where the database knows the word.

    SQLite learned it in 3.35 (Django 5.2 accepts 3.31); without it SQLite flattens the CTE and
    may join every invoice to its customer before dropping the settled ones.
    """
    if connection.vendor == "sqlite" and connection.Database.sqlite_version_info < (3, 35):
        return ""
    return "MATERIALIZED"


# The same rule for chosen invoices. Each settlement is summed per invoice through its index
# (administration, invoice / credit note, date), so the cost follows the number of invoices
# asked for. Filtering OPEN_ITEMS_SQL by id instead summed the settlements of the whole
# administration once per chunk of ids: 33 ms a chunk at a million invoices, which made a
# payment import of a million rows spend 40 s here. Parameters: administration, as_of, and
# the condition on the ids. Settled invoices are left out in Python: a WHERE on open_cents
# would make PostgreSQL evaluate the three subqueries twice.
OPEN_AMOUNTS_OF_SQL = """
    SELECT i.id,
           i.amount_cents
           - COALESCE((SELECT SUM(a.amount_cents) FROM ledger_allocation a
                        WHERE a.administration_id = %(administration)s AND a.invoice_id = i.id
                          AND a.allocation_date <= %(as_of)s), 0)
           + COALESCE((SELECT SUM(a.amount_cents) FROM ledger_allocation a
                        WHERE a.administration_id = %(administration)s AND a.credit_note_id = i.id
                          AND a.allocation_date <= %(as_of)s), 0)
           - COALESCE((SELECT SUM(w.amount_cents) FROM ledger_writeoff w
                        WHERE w.administration_id = %(administration)s AND w.invoice_id = i.id
                          AND w.write_off_date <= %(as_of)s), 0) AS open_cents
      FROM ledger_invoice i
     WHERE i.administration_id = %(administration)s AND i.invoice_date <= %(as_of)s AND {ids}
"""
# Beyond this many ids, one pass over the whole administration is cheaper than a lookup per
# invoice (at a million invoices: 2.5 s for all of them, against 12 s looked up one by one).
SET_BASED_ABOVE = 100_000


def open_amounts(
    *, administration, as_of: dt.date, invoice_ids: Iterable[int] | None = None
) -> dict[int, Decimal]:
    """Open amount per invoice id at `as_of` (only those with something open)."""
    params: dict = {"administration": administration.pk, "as_of": as_of}
    ids = list(invoice_ids) if invoice_ids is not None else None
    with connection.cursor() as cursor:
        if ids is None or len(ids) > SET_BASED_ABOVE:
            cursor.execute(
                f"SELECT id, open_cents FROM ({OPEN_ITEMS_SQL}) o WHERE open_cents <> 0", params
            )
            rows = cursor.fetchall()
            if ids is not None:
                wanted = set(ids)
                rows = [row for row in rows if row[0] in wanted]
        elif connection.vendor == "postgresql":
            # One array parameter, whatever the number of ids: chunks of 900 placeholders cost
            # psycopg 5 ms each just to parse.
            cursor.execute(
                OPEN_AMOUNTS_OF_SQL.format(ids="i.id = ANY(%(ids)s)"), {**params, "ids": ids}
            )
            rows = cursor.fetchall()
        else:
            rows = []
            # Chunks keep the IN list under SQLite's variable limit.
            for start in range(0, len(ids), 900):
                chunk = ids[start : start + 900]
                names = {f"id{n}": value for n, value in enumerate(chunk)}
                placeholders = ", ".join(f"%({name})s" for name in names)
                cursor.execute(
                    OPEN_AMOUNTS_OF_SQL.format(ids=f"i.id IN ({placeholders})"), {**params, **names}
                )
                rows.extend(cursor.fetchall())
    return {invoice_id: from_minor_units(int(cents)) for invoice_id, cents in rows if cents}


def invoice_open_amount(*, invoice, as_of: dt.date) -> Decimal:
    """The open amount of one invoice or credit note at `as_of` (zero when settled)."""
    return open_amounts(
        administration=invoice.administration, as_of=as_of, invoice_ids=[invoice.pk]
    ).get(invoice.pk, Decimal("0.00"))


def unapplied_payments(*, administration, as_of: dt.date) -> dict[tuple[int, str], Decimal]:
    """What customers paid (or were refunded) on or before `as_of` that no invoice absorbed yet,
    nor a claim of costs or interest, per (customer id, currency), as a negative number when the
    customer has money on account."""
    # Payments in, allocations of those payments out, summed per customer in one pass. The
    # same as each payment less its own allocations, without grouping a million allocations
    # per payment first (SQLite built a temporary index for that: 6.6 s against 2.2 s).
    sql = """
        SELECT customer_id, currency, SUM(cents) FROM (
            SELECT p.customer_id, p.currency, p.amount_cents AS cents
              FROM ledger_payment p
             WHERE p.administration_id = %(administration)s AND p.payment_date <= %(as_of)s
            UNION ALL
            SELECT p.customer_id, p.currency, -a.amount_cents
              FROM ledger_allocation a JOIN ledger_payment p ON p.id = a.payment_id
             WHERE a.administration_id = %(administration)s AND a.allocation_date <= %(as_of)s
               AND p.administration_id = %(administration)s AND p.payment_date <= %(as_of)s
            UNION ALL
            -- Money on account that settled collection costs or interest (claims) is spent.
            SELECT p.customer_id, p.currency, -s.amount_cents
              FROM claims_claimsettlement s JOIN ledger_payment p ON p.id = s.payment_id
             WHERE s.administration_id = %(administration)s AND s.settlement_date <= %(as_of)s
               AND p.administration_id = %(administration)s AND p.payment_date <= %(as_of)s
        ) moves
         GROUP BY customer_id, currency
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"administration": administration.pk, "as_of": as_of})
        return {
            (customer_id, currency): -from_minor_units(int(cents))
            for customer_id, currency, cents in cursor.fetchall()
            if cents
        }


# The open amount of the invoice row in hand, as a column (the rule of OPEN_AMOUNTS_OF_SQL):
# a list can filter on it and still walk the primary key in keyset pages. Parameters: as_of
# three times.
OPEN_CENTS_COLUMN = """
    ledger_invoice.amount_cents
    - COALESCE((SELECT SUM(a.amount_cents) FROM ledger_allocation a
                 WHERE a.administration_id = ledger_invoice.administration_id
                   AND a.invoice_id = ledger_invoice.id AND a.allocation_date <= %s), 0)
    + COALESCE((SELECT SUM(a.amount_cents) FROM ledger_allocation a
                 WHERE a.administration_id = ledger_invoice.administration_id
                   AND a.credit_note_id = ledger_invoice.id AND a.allocation_date <= %s), 0)
    - COALESCE((SELECT SUM(w.amount_cents) FROM ledger_writeoff w
                 WHERE w.administration_id = ledger_invoice.administration_id
                   AND w.invoice_id = ledger_invoice.id AND w.write_off_date <= %s), 0)
"""


def invoice_list(
    *,
    administration,
    as_of: dt.date,
    customer=None,
    kind: str | None = None,
    status: str | None = None,
    due_before: dt.date | None = None,
    due_after: dt.date | None = None,
):
    """The administration's invoices and credit notes, each with `open_cents` at `as_of`.

    status `open`: something open at `as_of` (only those dated on or before it); `paid`:
    settled at `as_of`. due_before / due_after: due strictly before / after the date."""
    from django.db.models import IntegerField
    from django.db.models.expressions import RawSQL

    from .models import Invoice

    invoices = (
        Invoice.objects.filter(administration=administration)
        .select_related("customer")
        .annotate(
            open_cents=RawSQL(OPEN_CENTS_COLUMN, (as_of, as_of, as_of), output_field=IntegerField())
        )
    )
    if customer is not None:
        invoices = invoices.filter(customer=customer)
    if kind:
        invoices = invoices.filter(kind=kind)
    if due_before:
        invoices = invoices.filter(due_date__lt=due_before)
    if due_after:
        invoices = invoices.filter(due_date__gt=due_after)
    if status == "open":
        invoices = invoices.filter(invoice_date__lte=as_of).exclude(open_cents=0)
    elif status == "paid":
        invoices = invoices.filter(open_cents=0)
    return invoices
