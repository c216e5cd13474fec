import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from debitum.administrations.tests.factories import administration_factory, user_factory
from debitum.audit.models import AuditEvent
from debitum.customers.tests.factories import customer_factory
from debitum.ledger.models import Allocation, WriteOff
from debitum.ledger.selectors import invoice_open_amount
from debitum.ledger.services import credit_note_allocate, invoice_write_off, payment_allocate
from debitum.ledger.tests.factories import invoice_factory, payment_factory

pytestmark = pytest.mark.django_db
D = dt.date(2026, 3, 1)


@pytest.fixture
def customer():
    return customer_factory(administration_factory("ACME"))


def test_allocating_a_payment_on_account_settles_the_invoice_and_is_audited(customer):
    clerk = user_factory("clerk")
    invoice = invoice_factory(customer, "F-1", "500.00", invoice_date=D)
    payment = payment_factory(customer, "800.00", payment_date=D + dt.timedelta(days=20))
    allocation = payment_allocate(
        payment=payment, invoice=invoice, amount=Decimal("500.00"), actor=clerk
    )
    assert allocation.allocation_date == D + dt.timedelta(days=20)
    assert invoice_open_amount(invoice=invoice, as_of=D + dt.timedelta(days=20)) == Decimal("0.00")
    event = AuditEvent.objects.get(action="allocation.create")
    assert (event.actor_label, event.administration_id, event.changes["amount"]) == (
        "clerk",
        customer.administration_id,
        "500.00",
    )


def test_allocation_beyond_what_is_open_changes_nothing(customer):
    invoice = invoice_factory(customer, "F-1", "500.00", invoice_date=D)
    payment = payment_factory(customer, "800.00", payment_date=D)
    with pytest.raises(ValidationError, match="only 500.00"):
        payment_allocate(payment=payment, invoice=invoice, amount=Decimal("500.01"))
    assert Allocation.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_payment_of_one_customer_cannot_settle_anothers_invoice(customer):
    stranger = customer_factory(customer.administration, "C999")
    invoice = invoice_factory(stranger, "F-9", "10.00", invoice_date=D)
    payment = payment_factory(customer, "10.00", payment_date=D)
    with pytest.raises(ValidationError, match="different customers"):
        payment_allocate(payment=payment, invoice=invoice, amount=Decimal("10.00"))


def test_credit_note_allocation_is_limited_by_the_credit_left(customer):
    invoice = invoice_factory(customer, "F-1", "300.00", invoice_date=D)
    credit = invoice_factory(customer, "CN-1", "-100.00", invoice_date=D, due_date=D)
    credit_note_allocate(credit_note=credit, invoice=invoice, amount=Decimal("60.00"))
    with pytest.raises(ValidationError, match="only 40.00 of credit note CN-1"):
        credit_note_allocate(credit_note=credit, invoice=invoice, amount=Decimal("41.00"))
    assert invoice_open_amount(invoice=invoice, as_of=D) == Decimal("240.00")
    assert invoice_open_amount(invoice=credit, as_of=D) == Decimal("-40.00")


def test_write_off_needs_a_reason_and_cannot_exceed_the_open_amount(customer):
    invoice = invoice_factory(customer, "F-1", "75.00", invoice_date=D)
    with pytest.raises(ValidationError, match="reason"):
        invoice_write_off(invoice=invoice, amount=Decimal("75.00"), write_off_date=D, reason=" ")
    with pytest.raises(ValidationError, match="75.00 is open"):
        invoice_write_off(
            invoice=invoice, amount=Decimal("75.01"), write_off_date=D, reason="bankrupt"
        )
    assert WriteOff.objects.count() == 0
    invoice_write_off(
        invoice=invoice,
        amount=Decimal("75.00"),
        write_off_date=D + dt.timedelta(days=200),
        reason="customer bankrupt, curator confirms no payout",
    )
    assert invoice_open_amount(invoice=invoice, as_of=D + dt.timedelta(days=199)) == Decimal(
        "75.00"
    )
    assert invoice_open_amount(invoice=invoice, as_of=D + dt.timedelta(days=200)) == Decimal("0.00")
    assert (
        AuditEvent.objects.get(action="invoice.write_off").reason
        == "customer bankrupt, curator confirms no payout"
    )
