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
# allocated to invoices brings it back towards zero. Parameters: administration id and the
# date, four times.
SETTLED_SQL = """
    SELECT invoice_id, SUM(amount_cents) AS cents
      FROM ledger_allocation
     WHERE administration_id = %(administration)s AND allocation_date <= %(as_of)s
     GROUP BY invoice_id
    UNION ALL
    SELECT credit_note_id, -SUM(amount_cents)
      FROM ledger_allocation
     WHERE administration_id = %(administration)s AND allocation_date <= %(as_of)s
       AND credit_note_id IS NOT NULL
     GROUP BY credit_note_id
    UNION ALL
    SELECT invoice_id, SUM(amount_cents)
      FROM ledger_writeoff
     WHERE administration_id = %(administration)s AND write_off_date <= %(as_of)s
     GROUP BY invoice_id
"""

OPEN_ITEMS_SQL = f"""
    SELECT i.id, i.customer_id, i.currency, i.due_date,
           i.amount_cents - COALESCE(s.cents, 0) AS open_cents
      FROM ledger_invoice i
      LEFT JOIN (SELECT invoice_id, SUM(cents) AS cents FROM ({SETTLED_SQL}) settled
                  GROUP BY invoice_id) s ON s.invoice_id = i.id
     WHERE i.administration_id = %(administration)s AND i.invoice_date <= %(as_of)s
"""


def open_amounts(*, administration, as_of: dt.date, invoice_ids: Iterable[int] | None = None) -> dict[int, Decimal]:
    """Open amount per invoice id at `as_of` (only those with something open)."""
    sql = f"SELECT id, open_cents FROM ({OPEN_ITEMS_SQL}) o WHERE open_cents <> 0"
    params: dict = {"administration": administration.pk, "as_of": as_of}
    result: dict[int, Decimal] = {}
    ids = list(invoice_ids) if invoice_ids is not None else None
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        else:
            rows = []
            # Chunks keep the IN list under SQLite's variable limit.
            for start in range(0, len(ids), 900):
                chunk = ids[start : start + 900]
                names = {f"id{n}": value for n, value in enumerate(chunk)}
                placeholders = ", ".join(f"%({name})s" for name in names)
                cursor.execute(f"{sql} AND id IN ({placeholders})", {**params, **names})
                rows.extend(cursor.fetchall())
    for invoice_id, cents in rows:
        result[invoice_id] = from_minor_units(int(cents))
    return result


def invoice_open_amount(*, invoice, as_of: dt.date) -> Decimal:
    """The open amount of one invoice or credit note at `as_of` (zero when settled)."""
    return open_amounts(administration=invoice.administration, as_of=as_of, invoice_ids=[invoice.pk]).get(
        invoice.pk, Decimal("0.00")
    )


def unapplied_payments(*, administration, as_of: dt.date) -> dict[tuple[int, str], Decimal]:
    """What customers paid (or were refunded) on or before `as_of` that no invoice absorbed yet,
    per (customer id, currency), as a negative number when the customer has money on account."""
    sql = """
        SELECT p.customer_id, p.currency, SUM(p.amount_cents - COALESCE(a.cents, 0))
          FROM ledger_payment p
          LEFT JOIN (SELECT payment_id, SUM(amount_cents) AS cents FROM ledger_allocation
                      WHERE administration_id = %(administration)s AND allocation_date <= %(as_of)s
                        AND payment_id IS NOT NULL
                      GROUP BY payment_id) a ON a.payment_id = p.id
         WHERE p.administration_id = %(administration)s AND p.payment_date <= %(as_of)s
         GROUP BY p.customer_id, p.currency
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"administration": administration.pk, "as_of": as_of})
        return {
            (customer_id, currency): -from_minor_units(int(cents))
            for customer_id, currency, cents in cursor.fetchall()
            if cents
        }
