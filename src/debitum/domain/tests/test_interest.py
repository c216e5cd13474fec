"""Interest, as worked examples a credit controller can check by hand.

Each expected figure is computed in the comment beside it from the rate the table gives for the
period; the rates themselves, with their sources, are in `domain/data/interest_rates.csv`
(checked in test_interest_rates.py).
"""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debitum.domain.interest import (
    InterestError,
    Payment,
    RateUnknown,
    anniversary,
    interest_calculate,
)
from debitum.domain.interest_rates import shipped_rate_table

TABLE = shipped_rate_table()
D = Decimal


def calc(principal, start, end, regime, **kwargs):
    return interest_calculate(
        principal=D(principal),
        start=dt.date.fromisoformat(start),
        end=dt.date.fromisoformat(end),
        regime=regime,
        table=None if regime == "contractual" else TABLE,
        **kwargs,
    )


def test_belgian_commercial_interest_is_simple_and_split_per_half_year():
    # 2024 H1 12.50% (ECB 4.50 + 8), 2024 H2 12.50% (4.25 + 8 = 12.25, rounded up to the half).
    # 10,000.00 x 12.5% x 182/365 = 623.287671; x 184/365 = 630.136986; total 1,253.42.
    result = calc("10000.00", "2024-01-01", "2025-01-01", "be-commercial")
    assert [(p.start, p.end, p.days, p.rate) for p in result.periods] == [
        (dt.date(2024, 1, 1), dt.date(2024, 7, 1), 182, D("12.50")),
        (dt.date(2024, 7, 1), dt.date(2025, 1, 1), 184, D("12.50")),
    ]
    assert result.interest == D("1253.42")
    assert result.compound is False


def test_dutch_commercial_interest_compounds_on_the_anniversary():
    # nl-commercial 2023 H1 10.50%, H2 12.00%, 2024 H1 12.50%, H2 12.25% (ECB + 8).
    # Year 1: 1,000 x 10.5% x 181/365 = 52.068493 + 1,000 x 12% x 184/365 = 60.493151
    #   = 112.561644 -> 112.56 is added to the principal on 2024-01-01 (art. 6:119a lid 3 BW).
    # Year 2 on 1,112.56: x 12.5% x 182/365 = 69.344493; x 12.25% x 184/365 = 68.704390.
    # Total: 52.068493 + 60.493151 + 69.344493 + 68.704390 = 250.610527 -> 250.61.
    result = calc("1000.00", "2023-01-01", "2025-01-01", "nl-commercial")
    assert [p.principal for p in result.periods] == [D("1000.00")] * 2 + [D("1112.56")] * 2
    assert result.periods[1].capitalised == D("112.56")
    assert result.interest == D("250.61")


def test_dutch_consumer_interest_over_a_rate_change():
    # nl-consumer: 6% until 2023-12-31, 7% from 2024-01-01 (Besluit vaststelling wettelijke rente).
    # 5,000 x 6% x 92/365 (Oct 1 - Jan 1) = 75.616438; x 7% x 60/365 (Jan 1 - Mar 1) = 57.534247.
    result = calc("5000.00", "2023-10-01", "2024-03-01", "nl-consumer")
    assert [(p.days, p.rate) for p in result.periods] == [(92, D("6")), (60, D("7"))]
    assert result.interest == D("133.15")


def test_the_total_is_rounded_once_not_per_period():
    # Three periods of 0.004 each would round to 0.00 each; their sum 0.012 rounds to 0.01.
    # 1.00 x 0.73% x 2/365 = 0.00004 per piece ... use a contractual rate to control the pieces:
    result = calc(
        "100.00",
        "2024-01-01",
        "2024-01-04",
        "contractual",
        rate=D("1.825"),
        payments=[Payment(dt.date(2024, 1, 2), D("0.00")), Payment(dt.date(2024, 1, 3), D("0.00"))],
    )
    # 100 x 1.825% / 365 = 0.005 a day: each piece rounds to 0.01 alone (three pieces: 0.03);
    # rounded once the sum 0.015 gives 0.02.
    assert [p.interest for p in result.periods] == [D("0.005")] * 3
    assert result.interest == D("0.02")


def test_payment_goes_to_costs_then_interest_then_principal():
    # be-commercial 2024 H1 12.50%: 1,000 x 12.5% x 91/365 (Jan 1 - Apr 1) = 31.164384 -> 31.16.
    # A payment of 100.00 on Apr 1 with 40.00 costs: 40.00 costs, 31.16 interest, 28.84 principal.
    # From Apr 1 the principal is 971.16: x 12.5% x 91/365 (to Jul 1) = 30.265479.
    result = calc(
        "1000.00",
        "2024-01-01",
        "2024-07-01",
        "be-commercial",
        costs=D("40.00"),
        payments=[Payment(dt.date(2024, 4, 1), D("100.00"))],
    )
    (imputation,) = result.imputations
    assert (imputation.costs, imputation.interest, imputation.principal) == (
        D("40.00"),
        D("31.16"),
        D("28.84"),
    )
    assert result.periods[1].principal == D("971.16")
    assert result.interest == D("61.43")  # 31.164384 + 30.265479 = 61.429863
    assert result.principal_outstanding == D("971.16")
    assert result.interest_outstanding == D("30.27")
    assert result.costs_outstanding == D("0.00")


def test_an_overpayment_is_left_over():
    result = calc(
        "100.00",
        "2024-01-01",
        "2024-01-31",
        "be-commercial",
        payments=[Payment(dt.date(2024, 1, 31), D("150.00"))],
    )
    # 100 x 12.5% x 30/365 = 1.027397 -> 1.03 interest, 100.00 principal, 48.97 left over.
    (imputation,) = result.imputations
    assert (imputation.interest, imputation.principal, imputation.unapplied) == (
        D("1.03"),
        D("100.00"),
        D("48.97"),
    )
    assert result.principal_outstanding == D("0.00")


def test_a_payment_may_reach_interest_already_added_to_the_principal():
    # 1,000 at a contractual 10% compounded: after a year 100.00 is added (base 1,100.00).
    # A payment of 150.00 on the anniversary + 10 days: accrued 1,100 x 10% x 10/365 = 3.01,
    # then 100.00 capitalised interest, then 46.99 principal. The base becomes 953.01.
    result = calc(
        "1000.00",
        "2023-01-01",
        "2024-02-01",
        "contractual",
        rate=D("10"),
        compound=True,
        payments=[Payment(dt.date(2024, 1, 11), D("150.00"))],
    )
    (imputation,) = result.imputations
    assert imputation.interest == D("103.01")
    assert imputation.principal == D("46.99")
    assert result.periods[-1].principal == D("953.01")


def test_a_day_outside_the_table_is_an_error_not_a_guess():
    last = TABLE.rows("nl-commercial")[-1].end
    with pytest.raises(RateUnknown, match="no nl-commercial rate is known for"):
        calc("100.00", last.isoformat(), (last + dt.timedelta(days=2)).isoformat(), "nl-commercial")
    with pytest.raises(RateUnknown):
        calc("100.00", "1999-01-01", "1999-02-01", "be-commercial")


def test_bad_input_is_refused():
    with pytest.raises(InterestError, match="negative"):
        calc("-1.00", "2024-01-01", "2024-02-01", "be-commercial")
    with pytest.raises(InterestError, match="before it starts"):
        calc("1.00", "2024-02-01", "2024-01-01", "be-commercial")
    with pytest.raises(InterestError, match="needs its rate"):
        calc("1.00", "2024-01-01", "2024-02-01", "contractual")
    with pytest.raises(InterestError, match="set by law"):
        calc("1.00", "2024-01-01", "2024-02-01", "nl-consumer", rate=D("5"))
    with pytest.raises(InterestError, match="simple by law"):
        calc("1.00", "2024-01-01", "2024-02-01", "be-commercial", compound=True)
    with pytest.raises(InterestError, match="outside the period"):
        calc(
            "1.00",
            "2024-01-01",
            "2024-02-01",
            "be-commercial",
            payments=[Payment(dt.date(2023, 12, 31), D("1.00"))],
        )
    with pytest.raises(InterestError, match="Decimal"):
        interest_calculate(
            principal=1.5,
            start=dt.date(2024, 1, 1),
            end=dt.date(2024, 2, 1),
            regime="be-commercial",
            table=TABLE,
        )


def test_anniversary_of_29_february():
    assert anniversary(dt.date(2024, 2, 29), 1) == dt.date(2025, 3, 1)
    assert anniversary(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)
    assert anniversary(dt.date(2023, 5, 17), 2) == dt.date(2025, 5, 17)


# --- properties ------------------------------------------------------------------------------

FIRST = dt.date(2003, 1, 1)
# The last day every table reaches (an end date is exclusive, so it may be the day after).
LAST = min(
    TABLE.rows(regime)[-1].end for regime in ("nl-consumer", "nl-commercial", "be-commercial")
)
days = st.integers(min_value=0, max_value=(LAST - FIRST).days)
principals = st.decimals(min_value=0, max_value=10_000_000, places=2)
regimes = st.sampled_from(["nl-consumer", "nl-commercial", "be-commercial"])


def _span(a, b):
    start, end = sorted((FIRST + dt.timedelta(days=a), FIRST + dt.timedelta(days=b)))
    return start, end


def _exact(result):
    return result.interest_exact


@settings(max_examples=150, deadline=None)
@given(principal=principals, a=days, regime=regimes)
def test_interest_is_zero_on_an_empty_period(principal, a, regime):
    day = FIRST + dt.timedelta(days=a)
    result = interest_calculate(principal=principal, start=day, end=day, regime=regime, table=TABLE)
    assert result.interest == 0 and result.periods == ()


@settings(max_examples=150, deadline=None)
@given(principal=principals, a=days, b=days, c=days)
def test_simple_interest_is_additive_over_adjacent_periods(principal, a, b, c):
    start, middle, end = sorted(FIRST + dt.timedelta(days=x) for x in (a, b, c))
    whole = calc(str(principal), start.isoformat(), end.isoformat(), "be-commercial")
    first = calc(str(principal), start.isoformat(), middle.isoformat(), "be-commercial")
    second = calc(str(principal), middle.isoformat(), end.isoformat(), "be-commercial")
    assert _exact(whole) == _exact(first) + _exact(second)


@settings(max_examples=150, deadline=None)
@given(principal=principals, a=days, b=days, extra=st.integers(min_value=0, max_value=800))
def test_interest_never_decreases_when_the_period_grows(principal, a, b, extra):
    start, end = _span(a, b)
    longer = min(end + dt.timedelta(days=extra), LAST)
    for regime in ("nl-consumer", "nl-commercial", "be-commercial"):
        shorter_result = interest_calculate(
            principal=principal, start=start, end=end, regime=regime, table=TABLE
        )
        longer_result = interest_calculate(
            principal=principal, start=start, end=longer, regime=regime, table=TABLE
        )
        assert longer_result.interest >= shorter_result.interest


@settings(max_examples=100, deadline=None)
@given(principal=principals, a=days, b=days)
def test_compound_interest_is_at_least_simple_interest(principal, a, b):
    start, end = _span(a, b)
    simple = calc(str(principal), start.isoformat(), end.isoformat(), "contractual", rate=D("8"))
    compound = calc(
        str(principal),
        start.isoformat(),
        end.isoformat(),
        "contractual",
        rate=D("8"),
        compound=True,
    )
    assert compound.interest >= simple.interest
