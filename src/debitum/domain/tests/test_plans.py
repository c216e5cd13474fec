"""Payment plan schedules: equal instalments in cents, the remainder last, dates by the step."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from debitum.domain.plans import (
    PlanError,
    ScheduledInstalment,
    add_months,
    plan_schedule_preview,
    plan_standing,
    split_in_instalments,
)


def test_three_monthly_instalments_from_the_end_of_january():
    # Given 100.00 in three monthly instalments from 31 January 2026
    schedule = plan_schedule_preview(
        total=Decimal("100.00"), instalments=3, first=dt.date(2026, 1, 31), every="month"
    )
    # Then February is clamped to its last day, March is back on the 31st, and the last
    # instalment carries the cent that does not divide.
    assert schedule == [
        (1, dt.date(2026, 1, 31), Decimal("33.33")),
        (2, dt.date(2026, 2, 28), Decimal("33.33")),
        (3, dt.date(2026, 3, 31), Decimal("33.34")),
    ]


def test_weekly_and_fortnightly_steps():
    weekly = plan_schedule_preview(
        total=Decimal("10.00"), instalments=2, first=dt.date(2026, 12, 28), every="week"
    )
    fortnightly = plan_schedule_preview(
        total=Decimal("10.00"), instalments=2, first=dt.date(2026, 12, 28), every="2weeks"
    )
    assert [item.due_date for item in weekly] == [dt.date(2026, 12, 28), dt.date(2027, 1, 4)]
    assert [item.due_date for item in fortnightly] == [dt.date(2026, 12, 28), dt.date(2027, 1, 11)]


def test_leap_year_february():
    assert add_months(dt.date(2028, 1, 30), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


@pytest.mark.parametrize(
    ("total", "instalments", "message"),
    [
        (Decimal("0.02"), 3, "cannot be spread over 3"),
        (Decimal("10.00"), 0, "at least one instalment"),
        (Decimal("10.001"), 2, "more than two decimals"),
        (10.0, 2, "never float"),
    ],
)
def test_schedules_that_cannot_be_made(total, instalments, message):
    with pytest.raises(PlanError, match=message):
        split_in_instalments(total, instalments)


def test_unknown_step_is_refused():
    with pytest.raises(PlanError, match="every must be one of"):
        plan_schedule_preview(
            total=Decimal("10.00"), instalments=2, first=dt.date(2026, 1, 1), every="year"
        )


@given(
    cents=st.integers(min_value=1, max_value=10**11),
    instalments=st.integers(min_value=1, max_value=120),
    first=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
    every=st.sampled_from(["month", "week", "2weeks"]),
)
def test_schedule_properties(cents, instalments, first, every):
    total = Decimal(cents) / 100
    if cents < instalments:
        with pytest.raises(PlanError):
            plan_schedule_preview(total=total, instalments=instalments, first=first, every=every)
        return
    schedule = plan_schedule_preview(total=total, instalments=instalments, first=first, every=every)
    amounts = [item.amount for item in schedule]
    dates = [item.due_date for item in schedule]
    assert sum(amounts) == total
    assert all(amount > 0 and amount == amount.quantize(Decimal("0.01")) for amount in amounts)
    assert all(earlier < later for earlier, later in zip(dates, dates[1:], strict=False))
    assert [item.number for item in schedule] == list(range(1, instalments + 1))
    assert dates[0] == first
    # Equal parts: only the last one differs, by less than one cent per instalment.
    assert len(set(amounts[:-1])) <= 1
    assert 0 <= amounts[-1] - amounts[0] < Decimal("0.01") * instalments


SCHEDULE = [
    ScheduledInstalment(1, dt.date(2026, 2, 1), Decimal("300.00")),
    ScheduledInstalment(2, dt.date(2026, 3, 1), Decimal("300.00")),
    ScheduledInstalment(3, dt.date(2026, 4, 1), Decimal("400.00")),
]


def test_a_payment_covers_instalments_in_order():
    standing = plan_standing(
        schedule=SCHEDULE, paid=Decimal("650.00"), as_of=dt.date(2026, 3, 20), grace_days=7
    )
    assert (standing.paid_count, standing.missed, standing.is_settled) == (2, None, False)


def test_an_instalment_unpaid_past_its_grace_days_is_missed():
    # The second instalment (cumulative 600.00) is due 1 March, grace 7 days: still fine on
    # 8 March, missed on 9 March.
    on_the_last_grace_day = plan_standing(
        schedule=SCHEDULE, paid=Decimal("599.99"), as_of=dt.date(2026, 3, 8), grace_days=7
    )
    a_day_later = plan_standing(
        schedule=SCHEDULE, paid=Decimal("599.99"), as_of=dt.date(2026, 3, 9), grace_days=7
    )
    assert on_the_last_grace_day.missed is None
    assert a_day_later.missed == SCHEDULE[1]


def test_everything_paid_settles_the_schedule():
    standing = plan_standing(
        schedule=SCHEDULE, paid=Decimal("1000.00"), as_of=dt.date(2030, 1, 1), grace_days=0
    )
    assert (standing.paid_count, standing.missed, standing.is_settled) == (3, None, True)


@given(
    cents=st.integers(min_value=100, max_value=10**9),
    instalments=st.integers(min_value=1, max_value=24),
    covered=st.data(),
)
def test_paying_the_first_k_instalments_covers_exactly_k(cents, instalments, covered):
    schedule = plan_schedule_preview(
        total=Decimal(cents) / 100, instalments=instalments, first=dt.date(2026, 1, 31)
    )
    k = covered.draw(st.integers(min_value=0, max_value=instalments))
    paid = sum((item.amount for item in schedule[:k]), Decimal("0"))
    standing = plan_standing(schedule=schedule, paid=paid, as_of=dt.date(2026, 1, 1), grace_days=0)
    assert (standing.paid_count, standing.is_settled, standing.missed) == (
        k,
        k == instalments,
        None,
    )
