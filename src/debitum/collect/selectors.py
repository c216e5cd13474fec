"""The collector's work list: one line per customer with overdue or due work, best first.

One SQL statement over all open items of the administration (the ledger's open-item rule),
the open tasks and the broken promises; the priority is computed in the same statement so the
database sorts and pages (keyset) without sending every customer to Python. Only the lines of
the page are then completed with their next step (a few queries for at most `limit` customers).
The priority formula is `debitum.domain.worklist`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection

from debitum.domain.money import from_minor_units
from debitum.domain.worklist import (
    BROKEN_PROMISE_WINDOW_DAYS,
    COUNT_CAP,
    DEFAULT_WEIGHT_PERCENT,
    SEGMENT_WEIGHT_PERCENT,
)
from debitum.dunning.choices import TAKEN_STATUSES, ActionStatus
from debitum.ledger.selectors import OPEN_ITEMS_SQL

UNASSIGNED = "none"


@dataclass(frozen=True)
class WorkItem:
    """A line of the work list. Plain values only: the API serialises it as it is."""

    customer_id: int
    customer_number: str
    customer_name: str
    currency: str
    balance: Decimal  # all that is open, credit notes included
    overdue_amount: Decimal  # open on invoices past their due date
    oldest_due_date: dt.date | None
    days_overdue: int  # of the oldest overdue invoice
    segment: str
    risk_class: str
    country: str
    language: str
    collector_id: int | None
    collector_name: str
    due_tasks: int
    broken_promises: int
    next_step: str  # what to do next, in words
    next_step_kind: str  # "task", "approval", "dunning_step" or ""
    next_step_code: str  # the task's kind (TaskKind) or the step's kind (StepKind), or ""
    score: int
    cursor: str  # pass as `after` for the next page


def _days_since(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"COALESCE(CAST(%(as_of)s AS date) - {column}, 0)"
    return f"COALESCE(CAST(julianday(%(as_of)s) - julianday({column}) AS INTEGER), 0)"


def _capped(column: str) -> str:
    return f"(CASE WHEN {column} > {COUNT_CAP} THEN {COUNT_CAP} ELSE {column} END)"


def _weight() -> str:
    cases = " ".join(
        f"WHEN '{segment}' THEN {percent}" for segment, percent in SEGMENT_WEIGHT_PERCENT.items()
    )
    return f"(CASE c.segment {cases} ELSE {DEFAULT_WEIGHT_PERCENT} END)"


def worklist_sql(*, filters: str, keyset: str) -> str:
    return f"""
    WITH o AS (
        SELECT customer_id, currency, due_date, open_cents FROM ({OPEN_ITEMS_SQL}) oi
         WHERE open_cents <> 0
    ),
    per AS (
        SELECT customer_id, currency, SUM(open_cents) AS balance_cents,
               SUM(CASE WHEN due_date < %(as_of)s AND open_cents > 0 THEN open_cents ELSE 0 END)
                   AS overdue_cents,
               MIN(CASE WHEN due_date < %(as_of)s AND open_cents > 0 THEN due_date END)
                   AS oldest_due_date
          FROM o GROUP BY customer_id, currency
    ),
    t AS (
        SELECT customer_id, COUNT(*) AS task_count, MIN(id) AS first_task_id FROM tasks_task
         WHERE administration_id = %(administration)s AND status = 'open'
           AND due_date <= %(as_of)s
         GROUP BY customer_id
    ),
    b AS (
        SELECT customer_id, COUNT(*) AS broken_count FROM promises_promise
         WHERE administration_id = %(administration)s AND status = 'broken'
           AND closed_date <= %(as_of)s AND closed_date > %(broken_since)s
         GROUP BY customer_id
    ),
    lines AS (
        SELECT customer_id, currency, balance_cents, overdue_cents, oldest_due_date
          FROM per WHERE overdue_cents > 0
        UNION ALL
        -- Nothing overdue but work due (an approval, a bounce): a line in the home currency.
        SELECT t.customer_id, %(currency)s, COALESCE(p.balance_cents, 0), 0, NULL
          FROM t LEFT JOIN per p ON p.customer_id = t.customer_id AND p.currency = %(currency)s
         WHERE NOT EXISTS (SELECT 1 FROM per q
                            WHERE q.customer_id = t.customer_id AND q.overdue_cents > 0)
    ),
    scored AS (
        SELECT l.customer_id, l.currency, l.balance_cents, l.overdue_cents, l.oldest_due_date,
               {_days_since("l.oldest_due_date")} AS days_overdue,
               c.number, c.name, c.segment, c.risk_class, c.country, c.language, c.collector_id,
               COALESCE(t.task_count, 0) AS task_count, t.first_task_id,
               COALESCE(b.broken_count, 0) AS broken_count,
               {_weight()} AS weight
          FROM lines l
          JOIN customers_customer c ON c.id = l.customer_id
          LEFT JOIN t ON t.customer_id = l.customer_id
          LEFT JOIN b ON b.customer_id = l.customer_id
         WHERE c.administration_id = %(administration)s {filters}
    ),
    ranked AS (
        SELECT scored.*,
               CASE WHEN overdue_cents > 0 AND days_overdue > 0
                    THEN overdue_cents * days_overdue * weight
                         * (4 + 2 * {_capped("broken_count")} + {_capped("task_count")})
                         / 40000
                    ELSE 0 END AS score
          FROM scored
    )
    SELECT customer_id, currency, balance_cents, overdue_cents, oldest_due_date, days_overdue,
           number, name, segment, risk_class, country, language, collector_id, task_count,
           first_task_id, broken_count, score
      FROM ranked
     WHERE 1 = 1 {keyset}
     ORDER BY score DESC, customer_id, currency
     LIMIT %(limit)s
    """


def _cursor(score: int, customer_id: int, currency: str) -> str:
    return f"{score}.{customer_id}.{currency}"


def _parse_cursor(after: str) -> tuple[int, int, str]:
    try:
        score, customer_id, currency = after.split(".")
        return int(score), int(customer_id), currency
    except ValueError:
        raise ValueError(f"{after!r} is not a work list cursor") from None


def _date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def worklist(
    *,
    administration,
    as_of: dt.date,
    collector=None,
    segment: str | None = None,
    country: str | None = None,
    language: str | None = None,
    limit: int = 100,
    after: str | None = None,
) -> list[WorkItem]:
    """The work list of `administration` at `as_of`, highest priority first.

    Filters: `collector` (a user, a user id, or "none" for the unassigned customers),
    `segment`, `country`, `language`. Keyset pages: pass the last item's `cursor` as `after`.
    """
    params: dict = {
        "administration": administration.pk,
        "as_of": as_of,
        "currency": administration.currency,
        "broken_since": as_of - dt.timedelta(days=BROKEN_PROMISE_WINDOW_DAYS),
        "limit": max(1, min(int(limit), 1000)),
    }
    filters = []
    if collector == UNASSIGNED:
        filters.append("AND c.collector_id IS NULL")
    elif collector is not None:
        params["collector"] = getattr(collector, "pk", collector)
        filters.append("AND c.collector_id = %(collector)s")
    for name, value in (("segment", segment), ("country", country), ("language", language)):
        if value:
            params[name] = value
            filters.append(f"AND c.{name} = %({name})s")
    keyset = ""
    if after:
        params["after_score"], params["after_customer"], params["after_currency"] = _parse_cursor(
            after
        )
        keyset = """AND (score < %(after_score)s
                     OR (score = %(after_score)s AND customer_id > %(after_customer)s)
                     OR (score = %(after_score)s AND customer_id = %(after_customer)s
                         AND currency > %(after_currency)s))"""
    with connection.cursor() as cursor:
        cursor.execute(worklist_sql(filters=" ".join(filters), keyset=keyset), params)
        rows = cursor.fetchall()
    next_steps = _next_steps(administration=administration, rows=rows)
    collectors = _user_names({row[12] for row in rows if row[12] is not None})
    items = []
    for (
        customer_id,
        currency,
        balance_cents,
        overdue_cents,
        oldest_due_date,
        days_overdue,
        number,
        name,
        segment_value,
        risk_class,
        country_value,
        language_value,
        collector_id,
        task_count,
        _first_task_id,
        broken_count,
        score,
    ) in rows:
        step, kind, code = next_steps.get(customer_id, ("", "", ""))
        items.append(
            WorkItem(
                customer_id=customer_id,
                customer_number=number,
                customer_name=name,
                currency=currency,
                balance=from_minor_units(int(balance_cents)),
                overdue_amount=from_minor_units(int(overdue_cents)),
                oldest_due_date=_date(oldest_due_date),
                days_overdue=int(days_overdue),
                segment=segment_value,
                risk_class=risk_class,
                country=country_value,
                language=language_value,
                collector_id=collector_id,
                collector_name=collectors.get(collector_id, ""),
                due_tasks=int(task_count),
                broken_promises=int(broken_count),
                next_step=step,
                next_step_kind=kind,
                next_step_code=code,
                score=int(score),
                cursor=_cursor(int(score), customer_id, currency),
            )
        )
    return items


def _user_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    users = get_user_model().objects.filter(pk__in=ids)
    return {user.pk: user.get_full_name() or user.get_username() for user in users}


def _next_steps(*, administration, rows) -> dict[int, tuple[str, str, str]]:
    """What to do next per customer of the page: the first task due, else a step awaiting
    approval, else the next step of the customer's dunning ladder. Per customer: the words
    (task title or step name), "task"/"approval"/"dunning_step", and the task's or step's kind."""
    from debitum.dunning.models import DunningAction, DunningActionInvoice, Policy
    from debitum.tasks.models import Task

    result: dict[int, tuple[str, str, str]] = {}
    task_ids = [row[14] for row in rows if row[14] is not None]
    for task in Task.objects.filter(administration=administration, pk__in=task_ids):
        result[task.customer_id] = (task.title, "task", task.kind)
    rest = {row[0]: row for row in rows if row[0] not in result}
    if not rest:
        return result
    for customer_id, step_name, step_kind in (
        DunningAction.objects.filter(
            administration=administration,
            customer_id__in=list(rest),
            status=ActionStatus.AWAITING_APPROVAL,
        )
        .order_by("customer_id", "-position")
        .values_list("customer_id", "step__name", "kind")
    ):
        result.setdefault(customer_id, (step_name, "approval", step_kind))
    rest = {customer_id: row for customer_id, row in rest.items() if customer_id not in result}
    if not rest:
        return result
    reached: dict[int, int] = {}
    for customer_id, position in DunningActionInvoice.objects.filter(
        administration=administration,
        action__customer_id__in=list(rest),
        action__status__in=TAKEN_STATUSES,
    ).values_list("action__customer_id", "position"):
        reached[customer_id] = max(reached.get(customer_id, 0), position)
    ladders: dict[tuple[str, str], dict[int, tuple[str, str]]] = {}
    for policy in Policy.objects.filter(
        administration=administration, is_active=True
    ).prefetch_related("steps"):
        ladders[(policy.segment, policy.country)] = {
            step.position: (step.name, step.kind)
            for step in policy.steps.all()
            if step.day_offset >= 0
        }
    for customer_id, row in rest.items():
        segment_value, country_value = row[8], row[10]
        if country_value not in ("NL", "BE"):
            country_value = administration.country
        ladder = ladders.get((segment_value, country_value), {})
        following = [p for p in sorted(ladder) if p > reached.get(customer_id, 0)]
        if following:
            step_name, step_kind = ladder[following[0]]
            result[customer_id] = (step_name, "dunning_step", step_kind)
    return result
