"""Disputes as a collector meets them: opened over an invoice or part of it, resolved, with a
credit note when the customer was right."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from debitum.administrations.tests.factories import administration_factory
from debitum.audit.models import AuditEvent
from debitum.customers.tests.factories import customer_factory
from debitum.disputes.models import Dispute
from debitum.disputes.selectors import dispute_list, dispute_open_get
from debitum.disputes.services import dispute_open, dispute_resolve
from debitum.ledger.models import Allocation, Invoice
from debitum.ledger.selectors import invoice_open_amount
from debitum.ledger.tests.factories import allocation_factory, invoice_factory

pytestmark = pytest.mark.django_db
JAN_10 = dt.date(2026, 1, 10)
MARCH_1 = dt.date(2026, 3, 1)


@pytest.fixture
def invoice():
    customer = customer_factory(administration_factory("ACME"), "C001")
    return invoice_factory(
        customer, "F-100", "1210.00", invoice_date=JAN_10, vat_amount=Decimal("210.00")
    )


def test_a_dispute_over_the_whole_invoice(invoice):
    dispute = dispute_open(
        invoice=invoice, reason="not_delivered", opened_date=MARCH_1, note="pallet never arrived"
    )
    assert (dispute.status, dispute.amount, dispute.customer_id, dispute.opened_date) == (
        "open",
        None,
        invoice.customer_id,
        MARCH_1,
    )
    event = AuditEvent.objects.get(action="dispute.open")
    assert (event.changes, event.reason) == (
        {"invoice": "F-100", "reason": "not_delivered", "amount": None},
        "pallet never arrived",
    )
    assert dispute_open_get(invoice=invoice) == dispute


def test_a_second_open_dispute_on_the_same_invoice_is_refused(invoice):
    dispute_open(invoice=invoice, reason="quality", opened_date=MARCH_1)
    with pytest.raises(ValidationError, match="F-100 already has an open dispute"):
        dispute_open(invoice=invoice, reason="wrong_amount", opened_date=MARCH_1)
    assert Dispute.objects.count() == 1 and AuditEvent.objects.count() == 1


def test_the_disputed_part_may_not_exceed_what_is_open(invoice):
    # Given 1210.00 invoiced and 1000.00 paid: 210.00 open on 1 March
    allocation_factory(invoice, "1000.00", allocation_date=dt.date(2026, 2, 1))
    with pytest.raises(ValidationError, match="only 210.00 of invoice F-100 is open"):
        dispute_open(
            invoice=invoice, reason="wrong_amount", opened_date=MARCH_1, amount=Decimal("210.01")
        )
    assert Dispute.objects.count() == 0 and AuditEvent.objects.count() == 0
    dispute = dispute_open(
        invoice=invoice, reason="wrong_amount", opened_date=MARCH_1, amount=Decimal("210.00")
    )
    assert dispute.amount == Decimal("210.00")


@pytest.mark.parametrize(
    ("reason", "amount", "message"),
    [
        ("too_expensive", None, "'too_expensive' is not a reason"),
        ("quality", Decimal("0.00"), "must be positive"),
    ],
)
def test_an_unknown_reason_or_a_zero_amount_is_refused(invoice, reason, amount, message):
    with pytest.raises(ValidationError, match=message):
        dispute_open(invoice=invoice, reason=reason, opened_date=MARCH_1, amount=amount)
    assert Dispute.objects.count() == 0


def test_a_settled_invoice_cannot_be_disputed(invoice):
    allocation_factory(invoice, "1210.00", allocation_date=dt.date(2026, 2, 1))
    with pytest.raises(ValidationError, match="nothing is open on invoice F-100"):
        dispute_open(invoice=invoice, reason="already_paid", opened_date=MARCH_1)


def test_an_upheld_dispute_with_a_credit_note_reduces_the_open_amount(invoice):
    # Given a dispute over 121.00 of invoice F-100 (1210.00 incl. 210.00 VAT)
    dispute = dispute_open(
        invoice=invoice, reason="wrong_amount", opened_date=MARCH_1, amount=Decimal("121.00")
    )
    # When it is upheld on 15 March with a credit of 121.00
    resolved = dispute_resolve(
        dispute=dispute,
        resolution="upheld",
        resolved_date=dt.date(2026, 3, 15),
        credit_amount=Decimal("121.00"),
        note="price list error",
    )
    # Then credit note F-100-CN1 of -121.00 (VAT -21.00) settles that part of the invoice
    credit_note = Invoice.objects.get(number="F-100-CN1")
    assert (
        credit_note.kind,
        credit_note.amount,
        credit_note.vat_amount,
        credit_note.invoice_date,
    ) == (
        "credit_note",
        Decimal("-121.00"),
        Decimal("-21.00"),
        dt.date(2026, 3, 15),
    )
    assert (resolved.status, resolved.resolution, resolved.credit_note_id) == (
        "resolved",
        "upheld",
        credit_note.pk,
    )
    assert invoice_open_amount(invoice=invoice, as_of=dt.date(2026, 3, 15)) == Decimal("1089.00")
    assert invoice_open_amount(invoice=credit_note, as_of=dt.date(2026, 3, 15)) == Decimal("0.00")
    assert [event.action for event in AuditEvent.objects.order_by("id")] == [
        "dispute.open",
        "credit_note.create",
        "allocation.create",
        "dispute.resolve",
    ]
    # A second credit note on the same invoice gets the next number
    second = dispute_open(invoice=invoice, reason="quality", opened_date=dt.date(2026, 3, 20))
    dispute_resolve(
        dispute=second,
        resolution="upheld",
        resolved_date=dt.date(2026, 3, 21),
        credit_amount=Decimal("10.00"),
    )
    assert Invoice.objects.filter(number="F-100-CN2", amount=Decimal("-10.00")).exists()


def test_a_credit_beyond_what_is_open_changes_nothing(invoice):
    dispute = dispute_open(invoice=invoice, reason="quality", opened_date=MARCH_1)
    with pytest.raises(ValidationError, match="only 1210.00 of invoice F-100 is open"):
        dispute_resolve(
            dispute=dispute,
            resolution="upheld",
            resolved_date=MARCH_1,
            credit_amount=Decimal("1210.01"),
        )
    dispute.refresh_from_db()
    assert dispute.status == "open"
    assert (Invoice.objects.count(), Allocation.objects.count(), AuditEvent.objects.count()) == (
        1,
        0,
        1,
    )


def test_a_rejected_dispute_has_no_credit_note_and_cannot_be_resolved_twice(invoice):
    dispute = dispute_open(invoice=invoice, reason="already_paid", opened_date=MARCH_1)
    with pytest.raises(ValidationError, match="only an upheld dispute"):
        dispute_resolve(
            dispute=dispute,
            resolution="rejected",
            resolved_date=MARCH_1,
            credit_amount=Decimal("1.00"),
        )
    resolved = dispute_resolve(dispute=dispute, resolution="rejected", resolved_date=MARCH_1)
    assert (resolved.resolution, resolved.credit_note) == ("rejected", None)
    with pytest.raises(ValidationError, match="already resolved"):
        dispute_resolve(dispute=dispute, resolution="withdrawn", resolved_date=MARCH_1)
    with pytest.raises(LookupError, match="no open dispute"):
        dispute_open_get(invoice=invoice)
    # Once resolved, the invoice can be disputed again.
    assert dispute_open(invoice=invoice, reason="other", opened_date=MARCH_1).status == "open"


def test_another_administrations_disputes_are_never_seen(invoice):
    stranger = customer_factory(administration_factory("OTHER"), "C001")
    theirs = invoice_factory(stranger, "F-100", "50.00", invoice_date=JAN_10)
    dispute_open(invoice=theirs, reason="quality", opened_date=MARCH_1)
    ours = dispute_open(invoice=invoice, reason="quality", opened_date=MARCH_1)
    assert list(dispute_list(administration=invoice.administration)) == [ours]
    assert list(dispute_list(administration=invoice.administration, status="resolved")) == []
