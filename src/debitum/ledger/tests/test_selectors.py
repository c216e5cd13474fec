"""The open amount at a date, as the database derives it, against the worked examples and the
domain rule (`debitum.domain.open_items`, `debitum.domain.aging`)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debitum.administrations.tests.factories import administration_factory
from debitum.customers.tests.factories import customer_factory
from debitum.domain.aging import OpenItem, age
from debitum.domain.open_items import open_amount
from debitum.ledger.selectors import invoice_open_amount, open_amounts, unapplied_payments
from debitum.ledger.tests.factories import (
    allocation_factory,
    invoice_factory,
    payment_factory,
    write_off_factory,
)
from debitum.reports.selectors import aging_report

JAN = dt.date(2026, 1, 1)
pytestmark = pytest.mark.django_db


def day(n: int) -> dt.date:
    return JAN + dt.timedelta(days=n - 1)


@pytest.fixture
def customer():
    return customer_factory(administration_factory("ACME"))


def test_partial_payments_reduce_the_open_amount_from_their_date(customer):
    invoice = invoice_factory(customer, "F-1", "1000.00", invoice_date=day(1))
    allocation_factory(invoice, "300.00", allocation_date=day(10))
    allocation_factory(invoice, "700.00", allocation_date=day(20))
    assert invoice_open_amount(invoice=invoice, as_of=day(9)) == Decimal("1000.00")
    assert invoice_open_amount(invoice=invoice, as_of=day(10)) == Decimal("700.00")
    assert invoice_open_amount(invoice=invoice, as_of=day(19)) == Decimal("700.00")
    assert invoice_open_amount(invoice=invoice, as_of=day(20)) == Decimal("0.00")


def test_a_credit_note_settles_the_invoice_and_is_itself_used_up(customer):
    invoice = invoice_factory(customer, "F-1", "121.00", invoice_date=day(1))
    credit = invoice_factory(customer, "C-1", "-121.00", invoice_date=day(5), due_date=day(5))
    assert open_amounts(administration=customer.administration, as_of=day(5)) == {
        invoice.pk: Decimal("121.00"),
        credit.pk: Decimal("-121.00"),
    }
    allocation_factory(invoice, "100.00", allocation_date=day(6), credit_note=credit)
    assert open_amounts(administration=customer.administration, as_of=day(6)) == {
        invoice.pk: Decimal("21.00"),
        credit.pk: Decimal("-21.00"),
    }


def test_overpayment_stays_on_account(customer):
    invoice = invoice_factory(customer, "F-1", "100.00", invoice_date=day(1))
    payment = payment_factory(customer, "120.00", payment_date=day(15))
    allocation_factory(invoice, "100.00", allocation_date=day(15), payment=payment)
    assert invoice_open_amount(invoice=invoice, as_of=day(15)) == Decimal("0.00")
    assert unapplied_payments(administration=customer.administration, as_of=day(14)) == {}
    assert unapplied_payments(administration=customer.administration, as_of=day(15)) == {
        (customer.pk, "EUR"): Decimal("-20.00")
    }


def test_write_off_counts_from_its_date(customer):
    invoice = invoice_factory(customer, "F-1", "80.00", invoice_date=day(1))
    allocation_factory(invoice, "50.00", allocation_date=day(10))
    write_off_factory(invoice, "30.00", write_off_date=day(40))
    assert invoice_open_amount(invoice=invoice, as_of=day(39)) == Decimal("30.00")
    assert invoice_open_amount(invoice=invoice, as_of=day(40)) == Decimal("0.00")


def test_another_administrations_rows_never_count(customer):
    other = customer_factory(administration_factory("OTHER"), "C001")  # same customer number
    mine = invoice_factory(customer, "F-1", "10.00", invoice_date=day(1))
    theirs = invoice_factory(other, "F-1", "99.00", invoice_date=day(1))  # same invoice number
    allocation_factory(theirs, "99.00", allocation_date=day(2))
    assert open_amounts(administration=customer.administration, as_of=day(3)) == {
        mine.pk: Decimal("10.00")
    }
    assert open_amounts(administration=other.administration, as_of=day(3)) == {}
    report = aging_report(administration=customer.administration, as_of=day(3))
    assert [(row.customer_number, row.total) for row in report.customers] == [
        ("C001", Decimal("10.00"))
    ]


# A random small ledger: invoices with random settlements; the database's aging must equal the
# domain's definition at every date.
ledger_strategy = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=2),  # customer index
        st.integers(min_value=1, max_value=200),  # invoice day
        st.integers(min_value=0, max_value=60),  # payment term
        st.integers(min_value=1, max_value=500_000),  # amount in cents
        st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=200),  # settlement delay
                st.integers(min_value=1, max_value=100),  # percent of the rest
                st.booleans(),
            ),
            max_size=3,
        ),  # write-off or payment
        st.sampled_from(["EUR", "EUR", "USD"]),
    ),
    max_size=12,
)
counter = iter(range(10**9))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ledger=ledger_strategy, report_day=st.integers(min_value=1, max_value=420))
def test_database_aging_equals_the_domain_definition(ledger, report_day):
    administration = administration_factory(f"P{next(counter)}")
    customers = [customer_factory(administration, f"K{n}") for n in range(3)]
    expected_items = []
    as_of = day(report_day)
    for number, (who, invoice_day, term, cents, settlements, currency) in enumerate(ledger):
        amount = Decimal(cents).scaleb(-2)
        invoice = invoice_factory(
            customers[who],
            f"F{number}",
            amount,
            invoice_date=day(invoice_day),
            due_date=day(invoice_day + term),
            currency=currency,
        )
        remaining, dated = amount, []
        for delay, percent, is_write_off in settlements:
            part = (remaining * percent / 100).quantize(Decimal("0.01"))
            if part <= 0:
                continue
            when = day(invoice_day + delay)
            if is_write_off:
                write_off_factory(invoice, part, write_off_date=when)
            else:
                allocation_factory(invoice, part, allocation_date=when)
            remaining -= part
            dated.append((when, part))
        if day(invoice_day) <= as_of:
            expected_items.append(
                OpenItem(f"K{who}", currency, invoice.due_date, open_amount(amount, dated, as_of))
            )
    expected = {key: totals.as_dict() for key, totals in age(expected_items, as_of).items()}
    report = aging_report(administration=administration, as_of=as_of)
    actual = {
        (row.customer_number, row.currency): {**row.buckets, "total": row.total}
        for row in report.customers
    }
    assert actual == expected
