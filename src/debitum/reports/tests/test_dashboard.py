"""The dashboard: figures a finance manager can check by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from debitum.administrations.tests.factories import (
    administration_factory,
    membership_factory,
    user_factory,
)
from debitum.customers.tests.factories import customer_factory
from debitum.ledger.tests.factories import allocation_factory, invoice_factory
from debitum.reports.dashboard import dashboard, month_ends, overdue_trend

pytestmark = pytest.mark.django_db
D = Decimal
AS_OF = dt.date(2026, 6, 30)


@pytest.fixture
def acme():
    administration = administration_factory("ACME")
    big, small = customer_factory(administration, "C1"), customer_factory(administration, "C2")
    # Overdue since March, half paid in May.
    old = invoice_factory(big, "F-1", "1000.00", invoice_date=dt.date(2026, 2, 1),
                          due_date=dt.date(2026, 3, 3))  # fmt: skip
    allocation_factory(old, "500.00", allocation_date=dt.date(2026, 5, 10))
    # Not yet due at the end of June.
    invoice_factory(small, "F-2", "300.00", invoice_date=dt.date(2026, 6, 20),
                    due_date=dt.date(2026, 7, 20))  # fmt: skip
    return administration


def test_figures_and_dso(acme):
    board = dashboard(administration=acme, as_of=AS_OF)
    (eur,) = board.figures
    assert (eur.outstanding, eur.overdue) == (D("800.00"), D("500.00"))
    # Sales of the last 90 days (from 2 April): only F-2, 300.00. DSO = 800 x 90 / 300 = 240.
    assert eur.sales == D("300.00") and eur.dso == D("240")
    assert [row.customer_number for row in board.largest] == ["C1", "C2"]
    assert [row.customer_number for row in board.oldest] == ["C1"]


def test_the_overdue_trend_at_month_ends(acme):
    days = month_ends(AS_OF, 5)
    assert days == [dt.date(2026, 2, 28), dt.date(2026, 3, 31), dt.date(2026, 4, 30),
                    dt.date(2026, 5, 31), dt.date(2026, 6, 30)]  # fmt: skip
    # February: not yet due; March and April: 1,000.00 overdue; from May 10: 500.00.
    assert overdue_trend(administration=acme, days=days) == {
        "EUR": list(
            zip(
                days, [D("0.00"), D("1000.00"), D("1000.00"), D("500.00"), D("500.00")], strict=True
            )
        )  # fmt: skip
    }


def test_the_page_shows_the_charts_and_is_closed_to_others(client, acme):
    viewer = user_factory("vera")
    membership_factory(viewer, acme, "viewer")
    client.force_login(viewer)
    response = client.get("/reports/ACME/dashboard/?as_of=2026-06-30")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "Overdue over the last 12 months" in body and "240" in body
    other = administration_factory("OTHER")
    assert client.get(f"/reports/{other.code}/dashboard/").status_code == 404
