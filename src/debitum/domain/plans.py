"""Payment plans (betalingsregelingen): the schedule of instalments and whether a plan is kept.

Pure: the service layer gives in the total, the dates and what was paid, and stores what
comes out. The same functions serve the preview in the UI before anything is saved.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import NamedTuple

CENT = Decimal("0.01")
EVERY_CHOICES = ("month", "week", "2weeks")


class PlanError(ValueError):
    """A schedule that cannot be made: no instalments, or too little to spread over them."""


class ScheduledInstalment(NamedTuple):
    number: int
    due_date: dt.date
    amount: Decimal


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later, clamped to the month's end (31 Jan + 1 = 28 Feb)."""
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last_day))


def instalment_date(*, first: dt.date, every: str, index: int) -> dt.date:
    """The due date of instalment `index` (0 = the first).

    Months count from the first date, not from the previous instalment, so a plan starting on
    31 January falls due on 28 February and then 31 March again, not on the 28th for ever.
    """
    if every == "month":
        return add_months(first, index)
    if every == "week":
        return first + dt.timedelta(weeks=index)
    if every == "2weeks":
        return first + dt.timedelta(weeks=2 * index)
    raise PlanError(f"every must be one of {', '.join(EVERY_CHOICES)}, not {every!r}")


def split_in_instalments(total: Decimal, instalments: int) -> list[Decimal]:
    """`total` in `instalments` equal amounts in cents, the remainder on the last one.

    100.00 in 3: 33.33, 33.33, 33.34. The parts add up to the total exactly.
    """
    if isinstance(total, float):
        raise PlanError("amounts are Decimal, never float")
    if instalments < 1:
        raise PlanError("a plan has at least one instalment")
    total = Decimal(total)
    if total != total.quantize(CENT):
        raise PlanError(f"{total} has more than two decimals")
    if total < CENT * instalments:
        raise PlanError(f"{total:.2f} cannot be spread over {instalments} instalments")
    part = (total / instalments).quantize(CENT, rounding=ROUND_FLOOR)
    return [part] * (instalments - 1) + [total - part * (instalments - 1)]


def plan_schedule_preview(
    *, total: Decimal, instalments: int, first: dt.date, every: str = "month"
) -> list[ScheduledInstalment]:
    """The instalments of a plan: number (from 1), due date and amount.

    100.00 in 3 monthly instalments from 31 January 2026: (1, 2026-01-31, 33.33),
    (2, 2026-02-28, 33.33), (3, 2026-03-31, 33.34).
    """
    if every not in EVERY_CHOICES:
        raise PlanError(f"every must be one of {', '.join(EVERY_CHOICES)}, not {every!r}")
    amounts = split_in_instalments(total, instalments)
    return [
        ScheduledInstalment(
            index + 1, instalment_date(first=first, every=every, index=index), amount
        )
        for index, amount in enumerate(amounts)
    ]


@dataclass(frozen=True)
class PlanStanding:
    """Where a plan stands at a date.

    `paid_count`: instalments covered by what was paid (in order: a payment covers the first
    instalment still open). `missed`: the first instalment not covered whose due date plus the
    grace days has passed (the plan is broken), else None. `is_settled`: all instalments covered.
    """

    paid_count: int
    missed: ScheduledInstalment | None
    is_settled: bool


def plan_standing(
    *,
    schedule: list[ScheduledInstalment],
    paid: Decimal,
    as_of: dt.date,
    grace_days: int,
) -> PlanStanding:
    """Instalment k is paid when what was paid covers instalments 1..k together; the first one
    not covered breaks the plan once `as_of` is past its due date plus `grace_days`."""
    cumulative = Decimal("0")
    paid_count = 0
    missed = None
    for instalment in sorted(schedule, key=lambda item: item.number):
        cumulative += instalment.amount
        if paid >= cumulative:
            paid_count += 1
            continue
        if instalment.due_date + dt.timedelta(days=grace_days) < as_of:
            missed = instalment
        break
    return PlanStanding(
        paid_count=paid_count, missed=missed, is_settled=paid_count == len(schedule)
    )
