"""The floor of a dunning run: one hand-written SQL statement that finds the same due steps
(invoice, step) as `debitum.dunning.selectors.due_steps`, counting them and nothing more.

Open amounts the plain way (the settlements summed per invoice and joined), the last step per
invoice, the policy of the customer's segment and country, the next step (a pre-due step passed
over once the invoice is due) and its day. Date arithmetic per database, as in the selector.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection


def _minus(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"(CAST(%(as_of)s AS date) - {column})"
    return f"date(%(as_of)s, printf('%%+d days', -{column}))"


def floor_sql() -> str:
    return f"""
        SELECT COUNT(*) FROM (
          SELECT i.id AS invoice_id, i.customer_id, i.due_date
            FROM ledger_invoice i
            LEFT JOIN (SELECT invoice_id, SUM(amount_cents) s FROM ledger_allocation
                        WHERE administration_id = %(a)s AND allocation_date <= %(as_of)s
                        GROUP BY invoice_id) pa ON pa.invoice_id = i.id
            LEFT JOIN (SELECT credit_note_id, SUM(amount_cents) s FROM ledger_allocation
                        WHERE administration_id = %(a)s AND allocation_date <= %(as_of)s
                          AND credit_note_id IS NOT NULL GROUP BY credit_note_id) cr
                   ON cr.credit_note_id = i.id
            LEFT JOIN (SELECT invoice_id, SUM(amount_cents) s FROM ledger_writeoff
                        WHERE administration_id = %(a)s AND write_off_date <= %(as_of)s
                        GROUP BY invoice_id) wo ON wo.invoice_id = i.id
           WHERE i.administration_id = %(a)s AND i.invoice_date <= %(as_of)s
             AND i.amount_cents - COALESCE(pa.s, 0) + COALESCE(cr.s, 0) - COALESCE(wo.s, 0) > 0
        ) o
        JOIN customers_customer c ON c.id = o.customer_id
        JOIN dunning_policy p ON p.administration_id = %(a)s AND p.is_active
             AND p.segment = c.segment
             AND p.country = CASE WHEN c.country IN ('NL', 'BE') THEN c.country ELSE %(country)s END
        LEFT JOIN (SELECT l.invoice_id, MAX(l.position) AS position, MAX(l.as_of) AS day
                     FROM dunning_dunningactioninvoice l
                     JOIN dunning_dunningaction x ON x.id = l.action_id
                    WHERE l.administration_id = %(a)s AND l.as_of <= %(as_of)s
                      AND x.status IN ('awaiting_approval', 'approved', 'pending', 'executed')
                    GROUP BY l.invoice_id) last ON last.invoice_id = o.invoice_id
        JOIN dunning_step s ON s.policy_id = p.id
             AND s.position = COALESCE(last.position, 0) + 1
                 + CASE WHEN o.due_date <= %(as_of)s
                        THEN (SELECT COUNT(*) FROM dunning_step pre WHERE pre.policy_id = p.id
                               AND pre.day_offset < 0 AND pre.position > COALESCE(last.position, 0))
                        ELSE 0 END
       WHERE o.due_date <= {_minus("s.day_offset")}
         AND (last.day IS NULL OR last.day <= {_minus("s.min_days_since_previous")})
    """


def floor_due_steps(*, administration_id: int, country: str, as_of: dt.date) -> int:
    with connection.cursor() as cursor:
        cursor.execute(floor_sql(), {"a": administration_id, "as_of": as_of, "country": country})
        return cursor.fetchone()[0]
