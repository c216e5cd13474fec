import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from debitum.domain.aging import BUCKETS, OpenItem, age, bucket_for

AS_OF = dt.date(2026, 6, 30)


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-10, "current"),
        (0, "current"),
        (1, "1-30"),
        (30, "1-30"),
        (31, "31-60"),
        (60, "31-60"),
        (61, "61-90"),
        (90, "61-90"),
        (91, "90+"),
        (5000, "90+"),
    ],
)
def test_bucket_edges(days, bucket):
    # Due today is not yet overdue; the first day after the due date is day 1.
    assert bucket_for(days) == bucket


@given(st.integers(min_value=-400, max_value=4000), st.integers(min_value=0, max_value=400))
def test_buckets_only_get_older_with_time(days, later):
    assert BUCKETS.index(bucket_for(days)) <= BUCKETS.index(bucket_for(days + later))


def test_age_groups_per_customer_and_currency_and_skips_settled_items():
    items = [
        OpenItem("C1", "EUR", AS_OF, Decimal("100.00")),
        OpenItem("C1", "EUR", AS_OF - dt.timedelta(days=45), Decimal("50.00")),
        OpenItem("C1", "USD", AS_OF - dt.timedelta(days=1), Decimal("10.00")),
        OpenItem(
            "C2", "EUR", AS_OF - dt.timedelta(days=120), Decimal("-20.00")
        ),  # open credit note
        OpenItem("C2", "EUR", AS_OF - dt.timedelta(days=10), Decimal("0.00")),  # settled
    ]
    result = age(items, AS_OF)
    assert result[("C1", "EUR")].as_dict() == {
        "current": Decimal("100.00"),
        "1-30": Decimal("0.00"),
        "31-60": Decimal("50.00"),
        "61-90": Decimal("0.00"),
        "90+": Decimal("0.00"),
        "total": Decimal("150.00"),
    }
    assert result[("C1", "USD")].amounts["1-30"] == Decimal("10.00")
    assert result[("C2", "EUR")].total == Decimal("-20.00")
