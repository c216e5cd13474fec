import datetime as dt
from decimal import Decimal

import pytest

from debitum.administrations.tests.factories import administration_factory
from debitum.customers.tests.factories import customer_factory
from debitum.imports.services import ImportFailed, payment_import, read_table
from debitum.ledger.models import Allocation, Payment
from debitum.ledger.selectors import open_amounts, unapplied_payments
from debitum.ledger.tests.factories import invoice_factory

from .helpers import ledger_counts, write_csv

pytestmark = pytest.mark.django_db
JAN5 = dt.date(2026, 1, 5)


@pytest.fixture
def ledger():
    administration = administration_factory("ACME")
    c1 = customer_factory(administration, "C1")
    customer_factory(administration, "C2")
    invoice_factory(c1, "F-1", "100.00", invoice_date=JAN5)
    invoice_factory(c1, "F-2", "50.00", invoice_date=JAN5)
    invoice_factory(c1, "CN-1", "-10.00", invoice_date=JAN5, due_date=JAN5)
    return administration


def run(administration, tmp_path, text, name="payments.csv"):
    return payment_import(
        administration=administration, table=read_table(write_csv(tmp_path, name, text))
    )


def test_payments_allocate_partly_fully_and_overpaid(ledger, tmp_path):
    result = run(
        ledger,
        tmp_path,
        "payment_date,amount,invoice_number,customer_number,reference\n"
        "2026-01-20,40.00,F-1,,\n"  # partial
        "2026-02-01,80.00,F-1,C1,\n"  # settles the remaining 60, 20 on account
        '2026-02-02,"25,00",,C2,advance\n',
    )  # on account of C2
    assert result.created == {"payments": 3, "allocations": 2}
    c1, c2 = (
        ledger_customer.pk
        for ledger_customer in (
            Payment.objects.get(amount=Decimal("40.00")).customer,
            Payment.objects.get(reference="advance").customer,
        )
    )
    f1 = Allocation.objects.filter(invoice__number="F-1").order_by("allocation_date")
    assert [(a.amount, a.allocation_date) for a in f1] == [
        (Decimal("40.00"), dt.date(2026, 1, 20)),
        (Decimal("60.00"), dt.date(2026, 2, 1)),
    ]
    assert unapplied_payments(administration=ledger, as_of=dt.date(2026, 2, 2)) == {
        (c1, "EUR"): Decimal("-20.00"),
        (c2, "EUR"): Decimal("-25.00"),
    }
    still_open = open_amounts(administration=ledger, as_of=dt.date(2026, 2, 2))
    assert sorted(still_open.values()) == [Decimal("-10.00"), Decimal("50.00")]


def test_identical_payments_in_one_file_are_two_payments_and_a_reimport_finds_both(
    ledger, tmp_path
):
    text = "payment_date,amount,customer_number\n2026-01-20,5.00,C1\n2026-01-20,5.00,C1\n"
    assert run(ledger, tmp_path, text).created["payments"] == 2
    result = run(ledger, tmp_path, text + "2026-01-21,5.00,C1\n", name="extended.csv")
    assert (result.created["payments"], result.unchanged) == (1, 2)
    assert Payment.objects.count() == 3
    before = ledger_counts()
    assert run(
        ledger, tmp_path, text + "2026-01-21,5.00,C1\n", name="extended.csv"
    ).already_imported
    assert ledger_counts() == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "payment_date,amount\n2026-01-20,5\n",
            "line 2: name the customer_number or the invoice_number",
        ),
        (
            "payment_date,amount,invoice_number\n2026-01-20,5,F-404\n",
            "line 2, column invoice_number: 'F-404': no such invoice",
        ),
        (
            "payment_date,amount,invoice_number\n2026-01-20,5,CN-1\n",
            "line 2, column invoice_number: 'CN-1': is a credit note",
        ),
        (
            "payment_date,amount,invoice_number,customer_number\n2026-01-20,5,F-1,C2\n",
            "line 2, column customer_number: 'C2': invoice F-1 belongs to customer C1",
        ),
        (
            "payment_date,amount,invoice_number,currency\n2026-01-20,5,F-1,USD\n",
            "line 2, column currency: 'USD': invoice F-1 is in EUR",
        ),
        (
            "payment_date,amount,customer_number\n2026-01-20,5,C404\n",
            "line 2, column customer_number: 'C404': no such customer",
        ),
        (
            "payment_date,amount,invoice_number\n2026-01-20,-5,F-1\n",
            "line 2, column invoice_number: 'F-1': a refund",
        ),
        (
            "payment_date,amount,customer_number\n2026-01-20,0,C1\n",
            "line 2, column amount: '0': a payment of zero",
        ),
        (
            "payment_date,amount,customer_number\n20-01-26,5,C1\n",
            "line 2, column payment_date: '20-01-26' is not a date",
        ),
        (
            "payment_date,customer_number\n2026-01-20,C1\n",
            "line 1: required column(s) missing: amount",
        ),
    ],
)
def test_bad_payments_name_line_and_column_and_write_nothing(ledger, tmp_path, text, message):
    before = ledger_counts()
    good_first = text.split("\n", 1)[0] + "\n"
    with pytest.raises(ImportFailed) as failure:
        run(ledger, tmp_path, text)
    assert f"payments.csv, {message}" in str(failure.value)
    assert ledger_counts() == before
    assert good_first  # header kept for readability of the cases
