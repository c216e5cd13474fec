"""IBM's public Accounts Receivable sample, imported through the canonical format, aged at many
dates and compared with a computation by hand straight from the file.

The file (`shared/data/WA_Fn-UseC_-Accounts-Receivable.csv`, see shared/data/README.md) has 2,466
settled invoices of 100 customers, 2012-2013, dates M/D/YYYY. It is converted to the canonical
invoice and payment files (ISO dates) as a user would with a spreadsheet: customerID ->
customer_number, invoiceNumber -> invoice_number, InvoiceDate, DueDate, InvoiceAmount -> amount,
and one payment of InvoiceAmount on SettledDate for each invoice.
"""

import csv
import datetime as dt
import json
from decimal import Decimal

import pytest

from debitum.cli import main

pytestmark = pytest.mark.django_db
FILE = "WA_Fn-UseC_-Accounts-Receivable.csv"


def us_date(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%m/%d/%Y").date()


def by_hand(rows, as_of: dt.date) -> dict[str, Decimal]:
    """The aging as a credit controller would compute it from the file: an invoice is open from
    its invoice date until the day it is settled; days past due = as_of - due date."""
    totals = dict.fromkeys(["current", "1-30", "31-60", "61-90", "90+"], Decimal("0"))
    for row in rows:
        if us_date(row["InvoiceDate"]) <= as_of < us_date(row["SettledDate"]):
            days = (as_of - us_date(row["DueDate"])).days
            bucket = (
                "current"
                if days <= 0
                else "1-30"
                if days <= 30
                else "31-60"
                if days <= 60
                else "61-90"
                if days <= 90
                else "90+"
            )
            totals[bucket] += Decimal(row["InvoiceAmount"])
    totals["total"] = sum(totals.values(), Decimal("0"))
    return {key: f"{value:.2f}" for key, value in totals.items()}


@pytest.fixture
def imported(shared_data, tmp_path, capsys):
    rows = list(csv.DictReader((shared_data / FILE).open(newline="")))
    invoices, payments = tmp_path / "ibm-invoices.csv", tmp_path / "ibm-payments.csv"
    with invoices.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "customer_number",
                "customer_name",
                "invoice_number",
                "invoice_date",
                "due_date",
                "amount",
            ]
        )
        for row in rows:
            writer.writerow(
                [
                    row["customerID"],
                    f"IBM customer {row['customerID']}",
                    row["invoiceNumber"],
                    us_date(row["InvoiceDate"]).isoformat(),
                    us_date(row["DueDate"]).isoformat(),
                    row["InvoiceAmount"],
                ]
            )
    with payments.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["payment_date", "amount", "invoice_number"])
        for row in rows:
            writer.writerow(
                [
                    us_date(row["SettledDate"]).isoformat(),
                    row["InvoiceAmount"],
                    row["invoiceNumber"],
                ]
            )
    assert main(["administration", "create", "IBM", "--name", "IBM sample", "--country", "NL"]) == 0
    assert main(["import", "invoices", str(invoices), "--administration", "IBM"]) == 0
    assert main(["import", "payments", str(payments), "--administration", "IBM"]) == 0
    output = capsys.readouterr().out
    assert "2466 invoices created, 100 customers created" in output
    assert "2466 payments created, 2466 allocations created" in output
    return rows


def aging(capsys, as_of: dt.date) -> dict:
    capsys.readouterr()
    assert (
        main(
            [
                "report",
                "aging",
                "--as-of",
                as_of.isoformat(),
                "--administration",
                "IBM",
                "--format",
                "json",
            ]
        )
        == 0
    )
    return json.loads(capsys.readouterr().out)


def test_ibm_sample_aging_matches_a_computation_by_hand_at_any_date(imported, capsys):
    # Every month end of the sample's two years, plus days on bucket edges of real invoices.
    dates = [
        dt.date(year, month, 1) - dt.timedelta(days=1)
        for year in (2012, 2013, 2014)
        for month in range(1, 13)
    ]
    first = imported[0]
    due = us_date(first["DueDate"])
    dates += [due + dt.timedelta(days=offset) for offset in (0, 1, 30, 31, 60, 61, 90, 91)]
    dates += [us_date(first["SettledDate"]) - dt.timedelta(days=1), us_date(first["SettledDate"])]
    for as_of in dates:
        report = aging(capsys, as_of)
        expected = by_hand(imported, as_of)
        if expected["total"] == "0.00":
            assert report["currencies"] == {}, as_of
        else:
            actual = {
                key: value for key, value in report["currencies"]["EUR"].items() if key in expected
            }
            assert actual == expected, as_of


def test_ibm_sample_on_one_day_in_detail(imported, capsys):
    # 2013-06-30, computed by hand from the file (see `by_hand`): 4,284.29 not yet due and
    # 835.56 1-30 days late; nothing older, because every invoice in the sample was settled.
    report = aging(capsys, dt.date(2013, 6, 30))
    assert report["currencies"]["EUR"]["current"] == "4284.29"
    assert report["currencies"]["EUR"]["1-30"] == "835.56"
    assert report["currencies"]["EUR"]["total"] == "5119.85"
    totals = [Decimal(row["total"]) for row in report["customers"]]
    assert totals == sorted(totals, reverse=True)
    assert sum(totals) == Decimal("5119.85")
