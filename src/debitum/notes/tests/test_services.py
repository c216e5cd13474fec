import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from debitum.administrations.tests.factories import administration_factory
from debitum.audit.models import AuditEvent
from debitum.customers.tests.factories import customer_factory
from debitum.ledger.tests.factories import invoice_factory
from debitum.notes.models import Note
from debitum.notes.selectors import note_list
from debitum.notes.services import note_add

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def customer():
    return customer_factory(administration_factory("ACME"), "C1")


def test_a_call_is_logged_with_its_outcome_and_audited(customer):
    note = note_add(
        customer=customer, kind="call", outcome="promise", text="Pays Friday", note_date=TODAY
    )
    assert list(note_list(administration=customer.administration, customer=customer)) == [note]
    assert AuditEvent.objects.filter(action="note.call", object_id=str(note.pk)).exists()


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"kind": "call", "outcome": ""}, "outcome"),
        ({"kind": "note", "outcome": "reached"}, "outcome"),
        ({"kind": "note", "text": " "}, "text"),
        ({"kind": "letter"}, "kind"),
    ],
)
def test_bad_notes_are_refused(customer, kwargs, field):
    with pytest.raises(ValidationError) as error:
        note_add(customer=customer, note_date=TODAY, **{"text": "x", **kwargs})
    assert field in error.value.message_dict
    assert not Note.objects.exists()


def test_an_invoice_of_another_customer_is_refused(customer):
    other = customer_factory(customer.administration, "C2")
    invoice = invoice_factory(other, "F-1", "10.00", invoice_date=TODAY)
    with pytest.raises(ValidationError, match="not this customer"):
        note_add(customer=customer, kind="note", text="x", note_date=TODAY, invoice=invoice)
