"""Reads for dunning: which open invoices reached which step on a day, in one SQL statement.

`due_steps` is the rule of `debitum.domain.dunning.next_step` written for the database, over
every open invoice of an administration at once; a property test holds the two equal. The few
rows that stop an invoice from being dunned (disputes, plans, promises, pauses, steps awaiting
approval, direct debits on their way) are read separately and applied to the due rows in
Python: they are a few hundred where the invoices are a million.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import F, Q

from debitum.domain.money import from_minor_units
from debitum.ledger.selectors import OPEN_ITEMS_SQL, materialized

from .choices import TAKEN_STATUSES, ActionStatus
from .models import DunningActionInvoice, Exclusion, Pause


def _date_minus(days_column: str) -> str:
    """SQL for the date `as_of` minus an integer column of days, on either database."""
    if connection.vendor == "postgresql":
        return f"(CAST(%(as_of)s AS date) - {days_column})"
    return f"date(%(as_of)s, printf('%%+d days', -{days_column}))"


def _taken() -> str:
    return ", ".join(f"'{status.value}'" for status in TAKEN_STATUSES)


@dataclass(frozen=True)
class DueStep:
    """An open invoice whose next step is due on the day."""

    invoice_id: int
    invoice_number: str
    customer_id: int
    currency: str
    due_date: dt.date
    open_amount: Decimal
    policy_id: int
    step_id: int
    position: int
    last_step_date: dt.date | None


def due_steps_sql() -> str:
    """The statement behind `due_steps`; the benchmark times it beside its hand-written floor."""
    return f"""
        WITH o AS {materialized()} (
            SELECT id, customer_id, currency, due_date, open_cents FROM ({OPEN_ITEMS_SQL}) oi
             WHERE open_cents > 0
        ),
        last AS (
            SELECT l.invoice_id, MAX(l.position) AS position, MAX(l.as_of) AS step_date
              FROM dunning_dunningactioninvoice l
              JOIN dunning_dunningaction a ON a.id = l.action_id
             WHERE l.administration_id = %(administration)s AND a.status IN ({_taken()})
               AND l.as_of <= %(as_of)s
             GROUP BY l.invoice_id
        )
        SELECT o.id, i.number, o.customer_id, o.currency, o.due_date, o.open_cents,
               p.id, s.id, s.position, last.step_date
          FROM o
          JOIN ledger_invoice i ON i.id = o.id
          JOIN customers_customer c ON c.id = o.customer_id
          JOIN dunning_policy p
            ON p.administration_id = %(administration)s AND p.is_active
           AND p.segment = c.segment
           AND p.country = CASE WHEN c.country IN ('NL', 'BE') THEN c.country
                                ELSE %(country)s END
          LEFT JOIN last ON last.invoice_id = o.id
          JOIN dunning_step s
            ON s.policy_id = p.id
           AND s.position = COALESCE(last.position, 0) + 1
               + CASE WHEN o.due_date <= %(as_of)s
                      THEN (SELECT COUNT(*) FROM dunning_step pre
                             WHERE pre.policy_id = p.id AND pre.day_offset < 0
                               AND pre.position > COALESCE(last.position, 0))
                      ELSE 0 END
         WHERE o.due_date <= {_date_minus("s.day_offset")}
           AND (last.step_date IS NULL
                OR last.step_date <= {_date_minus("s.min_days_since_previous")}
                -- A promise broken since the last step: the next step does not wait its gap.
                OR EXISTS (SELECT 1 FROM promises_promise pr
                            WHERE pr.administration_id = %(administration)s
                              AND pr.customer_id = o.customer_id AND pr.status = 'broken'
                              AND pr.closed_date > last.step_date
                              AND pr.closed_date <= %(as_of)s))
    """


def due_steps(*, administration, as_of: dt.date) -> list[DueStep]:
    """Every open invoice whose next step is due on `as_of`, before the skip rules.

    A customer outside the Netherlands and Belgium follows the policy of the administration's
    country.
    """
    params = {
        "administration": administration.pk,
        "as_of": as_of,
        "country": administration.country,
    }
    with connection.cursor() as cursor:
        cursor.execute(due_steps_sql(), params)
        rows = cursor.fetchall()
    return [
        DueStep(
            invoice_id=invoice_id,
            invoice_number=number,
            customer_id=customer_id,
            currency=currency,
            due_date=_date(due_date),
            open_amount=from_minor_units(int(cents)),
            policy_id=policy_id,
            step_id=step_id,
            position=position,
            last_step_date=_date(step_date) if step_date is not None else None,
        )
        for (
            invoice_id,
            number,
            customer_id,
            currency,
            due_date,
            cents,
            policy_id,
            step_id,
            position,
            step_date,
        ) in rows
    ]


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


@dataclass(frozen=True)
class Holds:
    """What keeps invoices out of a run on a day."""

    disputed: dict[int, Decimal | None]  # invoice id -> disputed amount (None: all of it)
    in_plan: set[int]  # invoice ids
    promised: set[int]  # customer ids with an open promise
    paused_customers: set[int]
    paused_invoices: set[int]
    waiting: set[int]  # invoice ids with a step awaiting approval
    # Left out of this day's run by hand (the preview's "exclude"): customer and invoice ids.
    excluded_customers: set[int] = field(default_factory=set)
    excluded_invoices: set[int] = field(default_factory=set)
    # Invoice ids in a direct debit file the bank has not yet answered on a statement: the
    # money is on its way. A return (or a file made after the day) does not hold.
    collecting: set[int] = field(default_factory=set)


def holds(*, administration, as_of: dt.date) -> Holds:
    from debitum.banking.choices import DirectDebitStatus
    from debitum.banking.models import DirectDebitItem
    from debitum.disputes.models import Dispute
    from debitum.plans.models import PlanInvoice
    from debitum.promises.models import Promise

    disputed: dict[int, Decimal | None] = {}
    for invoice_id, amount in Dispute.objects.filter(
        administration=administration, status="open", opened_date__lte=as_of
    ).values_list("invoice_id", "amount"):
        disputed[invoice_id] = amount
    in_plan = set(
        PlanInvoice.objects.filter(
            administration=administration, plan__status="active", plan__start_date__lte=as_of
        ).values_list("invoice_id", flat=True)
    )
    promised = {
        customer_id
        for customer_id, promised_date, grace in Promise.objects.filter(
            administration=administration, status="open", promise_date__lte=as_of
        ).values_list("customer_id", "promised_date", "grace_days")
        if as_of <= promised_date + dt.timedelta(days=grace)
    }
    pauses = Pause.objects.filter(
        administration=administration, start_date__lte=as_of, end_date__gte=as_of
    ).values_list("customer_id", "invoice_id")
    paused_customers = {customer_id for customer_id, invoice_id in pauses if invoice_id is None}
    paused_invoices = {invoice_id for _, invoice_id in pauses if invoice_id is not None}
    waiting = set(
        DunningActionInvoice.objects.filter(
            administration=administration, action__status=ActionStatus.AWAITING_APPROVAL
        ).values_list("invoice_id", flat=True)
    )
    exclusions = Exclusion.objects.filter(administration=administration, as_of=as_of).values_list(
        "customer_id", "invoice_id"
    )
    collecting = set(
        DirectDebitItem.objects.filter(
            Q(batch__submitted_date__lte=as_of) | Q(batch__submitted_date__isnull=True),
            administration=administration,
            status=DirectDebitStatus.SUBMITTED,
        ).values_list("invoice_id", flat=True)
    )
    return Holds(
        disputed,
        in_plan,
        promised,
        paused_customers,
        paused_invoices,
        waiting,
        excluded_customers={
            customer_id for customer_id, invoice_id in exclusions if not invoice_id
        },
        excluded_invoices={invoice_id for _, invoice_id in exclusions if invoice_id},
        collecting=collecting,
    )


# From this many invoices on, reading the administration's rows once beats chunks of ids.
ONE_PASS_ABOVE = 20_000


def invoice_step_history(
    *, administration, invoice_ids
) -> dict[int, list[tuple[int, str, dt.date, str, Decimal]]]:
    """(position, kind, as_of, channel, fee) of the steps taken per invoice, oldest first."""
    history: dict[int, list[tuple[int, str, dt.date, str, Decimal]]] = {}
    ids = list(invoice_ids)
    taken = DunningActionInvoice.objects.filter(
        administration=administration, action__status__in=TAKEN_STATUSES
    )
    wanted = set(ids) if len(ids) > ONE_PASS_ABOVE else None
    # Chunks of ids for a few invoices; beyond ONE_PASS_ABOVE, one pass over the
    # administration's history (a thousand queries of 900 ids cost more in building the
    # queries than in running them).
    chunks = (
        [taken]
        if wanted is not None
        else [
            taken.filter(invoice_id__in=ids[start : start + 900])
            for start in range(0, len(ids), 900)
        ]
    )
    for chunk in chunks:
        rows = (
            chunk.annotate(kind=F("action__kind"), channel=F("action__channel"))
            .order_by("as_of", "position")
            .values_list("invoice_id", "position", "kind", "as_of", "channel", "fee")
        )
        for invoice_id, position, kind, as_of, channel, fee in rows.iterator(chunk_size=20_000):
            if wanted is None or invoice_id in wanted:
                history.setdefault(invoice_id, []).append((position, kind, as_of, channel, fee))
    return history
