import datetime as dt
import json
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from debitum.administrations.tests.factories import administration_factory
from debitum.customers.tests.factories import customer_factory
from debitum.ledger.tests.factories import (
    allocation_factory,
    invoice_factory,
    payment_factory,
    write_off_factory,
)
from debitum.reports.exports import aging_as_csv, aging_as_dict, aging_as_xlsx
from debitum.reports.selectors import aging_report

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 30)


def due(days_past_due: int) -> dt.date:
    return AS_OF - dt.timedelta(days=days_past_due)


@pytest.fixture
def administration():
    """Given: a wholesaler with three customers and invoices on every bucket edge."""
    administration = administration_factory("ACME")
    big = customer_factory(administration, "C1", name="Bouwbedrijf Groot")
    small = customer_factory(administration, "C2", name="Café Klein")
    dollars = customer_factory(administration, "C3", name="Export Ltd")
    jan = dt.date(2026, 1, 2)
    for number, (days, amount) in enumerate(
        [
            (0, "100.00"),
            (1, "1.00"),
            (30, "30.00"),
            (31, "31.00"),
            (60, "60.00"),
            (61, "61.00"),
            (90, "90.00"),
            (91, "91.00"),
        ]
    ):
        invoice_factory(big, f"B{number}", amount, invoice_date=jan, due_date=due(days))
    invoice_factory(
        big, "FUTURE", "5000.00", invoice_date=AS_OF + dt.timedelta(days=1)
    )  # not yet invoiced
    paid = invoice_factory(small, "S1", "200.00", invoice_date=jan, due_date=due(45))
    allocation_factory(paid, "150.00", allocation_date=AS_OF)  # paid on the report date: counts
    allocation_factory(
        paid, "50.00", allocation_date=AS_OF + dt.timedelta(days=1)
    )  # paid after: still open
    written = invoice_factory(small, "S2", "70.00", invoice_date=jan, due_date=due(100))
    write_off_factory(written, "70.00", write_off_date=dt.date(2026, 6, 1))
    invoice_factory(
        small, "S3", "-20.00", invoice_date=dt.date(2026, 6, 20), due_date=dt.date(2026, 6, 20)
    )
    payment_factory(small, "15.00", payment_date=dt.date(2026, 6, 25))  # on account
    invoice_factory(dollars, "D1", "1000.00", invoice_date=jan, due_date=due(10), currency="USD")
    return administration


def test_buckets_per_customer_and_currency_on_the_edges(administration):
    report = aging_report(administration=administration, as_of=AS_OF)
    rows = {(row.customer_number, row.currency): row for row in report.customers}
    assert rows[("C1", "EUR")].buckets == {
        "current": Decimal("100.00"),
        "1-30": Decimal("31.00"),
        "31-60": Decimal("91.00"),
        "61-90": Decimal("151.00"),
        "90+": Decimal("91.00"),
    }
    assert rows[("C1", "EUR")].total == Decimal("464.00")
    # C2: S1 has 50.00 open (31-60), S2 is written off, S3 is an open credit note (-20, 10 days past
    # its date), 15.00 is on account.
    assert rows[("C2", "EUR")].buckets["31-60"] == Decimal("50.00")
    assert rows[("C2", "EUR")].buckets["1-30"] == Decimal("-20.00")
    assert (
        rows[("C2", "EUR")].total,
        rows[("C2", "EUR")].unapplied,
        rows[("C2", "EUR")].balance,
    ) == (Decimal("30.00"), Decimal("-15.00"), Decimal("15.00"))
    assert rows[("C3", "USD")].buckets["1-30"] == Decimal("1000.00")
    # Largest total first, across currencies by amount.
    assert [(row.customer_number, row.currency) for row in report.customers] == [
        ("C3", "USD"),
        ("C1", "EUR"),
        ("C2", "EUR"),
    ]
    assert report.currencies["EUR"]["total"] == Decimal("494.00")
    assert report.currencies["USD"]["total"] == Decimal("1000.00")


def test_before_anything_was_invoiced_the_report_is_empty(administration):
    report = aging_report(administration=administration, as_of=dt.date(2026, 1, 1))
    assert report.customers == [] and report.currencies == {}


def test_json_shape_of_the_issue(administration):
    data = aging_as_dict(aging_report(administration=administration, as_of=AS_OF))
    assert data["as_of"] == "2026-06-30" and data["administration"] == "ACME"
    assert data["currencies"]["EUR"] == {
        "current": "100.00",
        "1-30": "11.00",
        "31-60": "141.00",
        "61-90": "151.00",
        "90+": "91.00",
        "total": "494.00",
        "unapplied": "-15.00",
        "balance": "479.00",
    }
    assert data["customers"][1] == {
        "customer_number": "C1",
        "name": "Bouwbedrijf Groot",
        "currency": "EUR",
        "current": "100.00",
        "1-30": "31.00",
        "31-60": "91.00",
        "61-90": "151.00",
        "90+": "91.00",
        "total": "464.00",
        "unapplied": "0.00",
        "balance": "464.00",
    }
    json.dumps(data)


def test_csv_and_xlsx_carry_the_same_numbers(administration):
    report = aging_report(administration=administration, as_of=AS_OF)
    lines = aging_as_csv(report).splitlines()
    assert (
        lines[0]
        == "customer_number,name,currency,current,1-30,31-60,61-90,90+,total,unapplied,balance"
    )
    assert lines[2] == "C1,Bouwbedrijf Groot,EUR,100.00,31.00,91.00,151.00,91.00,464.00,0.00,464.00"
    assert lines[-1] == "TOTAL,,USD,0.00,1000.00,0.00,0.00,0.00,1000.00,0.00,1000.00"
    sheet = load_workbook(BytesIO(aging_as_xlsx(report)))["Aging"]
    assert [cell.value for cell in sheet[4]][:9] == [
        "C1",
        "Bouwbedrijf Groot",
        "EUR",
        100,
        31,
        91,
        151,
        91,
        464,
    ]
