"""Payments pushed by an ERP or bank link: idempotent by external_id, allocated to the invoice
they name up to what is open, the rest unapplied."""

import datetime as dt

import pytest

from debitum.audit.models import AuditEvent
from debitum.ledger.models import Allocation, Payment
from debitum.ledger.tests.factories import invoice_factory

pytestmark = pytest.mark.django_db

URL = "/api/administrations/ACME/payments"


@pytest.fixture
def f1(c1):
    return invoice_factory(c1, "F1", "500.00", invoice_date=dt.date(2025, 1, 2),
                           due_date=dt.date(2025, 2, 1))  # fmt: skip


def test_a_payment_naming_an_invoice_is_allocated_and_the_rest_stays_unapplied(api, f1):
    response = api["controller"].post(URL, {"external_id": "BANK-1", "payment_date": "2025-03-15",
                                            "amount": "600.00", "invoice_number": "F1"})  # fmt: skip
    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"], "external_id": "BANK-1", "customer_number": "C1",
        "payment_date": "2025-03-15", "currency": "EUR", "amount": "600.00", "reference": "",
        "invoice_number": "F1", "unapplied": "100.00",
    }  # fmt: skip
    allocation = Allocation.objects.get()
    assert (allocation.amount, allocation.allocation_date) == (500, dt.date(2025, 3, 15))
    assert Payment.objects.get().fingerprint == "api:BANK-1"
    assert (
        api["viewer"].get("/api/administrations/ACME/invoices/F1").json()["open_amount"] == "0.00"
    )
    assert AuditEvent.objects.filter(action="payment.create").count() == 1


def test_the_same_payment_twice_is_recorded_once(api, f1):
    body = {"external_id": "BANK-1", "payment_date": "2025-03-15", "amount": "200.00",
            "invoice_number": "F1"}  # fmt: skip
    first = api["controller"].post(URL, body)
    again = api["controller"].post(URL, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Payment.objects.count() == 1 and Allocation.objects.count() == 1


def test_the_same_external_id_with_another_amount_is_a_conflict(api, f1):
    body = {"external_id": "BANK-1", "payment_date": "2025-03-15", "amount": "200.00",
            "customer_number": "C1"}  # fmt: skip
    api["controller"].post(URL, body)
    response = api["controller"].post(URL, {**body, "amount": "250.00"})
    assert response.status_code == 409
    assert response.json()["error"]["fields"] == {"amount": ["is 200.00 in the ledger, not 250.00"]}


def test_a_payment_without_an_invoice_stays_unapplied(api, f1):
    response = api["controller"].post(URL, {"external_id": "X", "payment_date": "2025-03-15",
                                            "amount": "75.50", "customer_number": "C1"})  # fmt: skip
    assert response.json()["unapplied"] == "75.50"
    assert not Allocation.objects.exists()
    listed = api["viewer"].get(URL).json()
    assert [(p["external_id"], p["amount"]) for p in listed["items"]] == [("X", "75.50")]
    assert api["viewer"].get(URL, customer="C1").json()["items"][0]["external_id"] == "X"


def test_validation_errors_name_the_field(api, f1):
    base = {"external_id": "E", "payment_date": "2025-03-15", "amount": "10.00"}
    cases = [
        (base, "customer_number"),
        ({**base, "customer_number": "NOPE"}, "customer_number"),
        ({**base, "invoice_number": "NOPE"}, "invoice_number"),
        ({**base, "invoice_number": "F1", "currency": "USD"}, "currency"),
        ({**base, "customer_number": "C1", "amount": "0"}, "amount"),
        ({**base, "customer_number": "C1", "external_id": ""}, "external_id"),
        ({**base, "invoice_number": "F1", "amount": "-5.00"}, "invoice_number"),
    ]
    for body, field in cases:
        response = api["controller"].post(URL, body)
        assert response.status_code == 422, body
        assert field in response.json()["error"]["fields"], (body, response.json())
    assert not Payment.objects.exists()


def test_readers_cannot_record_payments(api, f1):
    response = api["sales"].post(URL, {"external_id": "E", "payment_date": "2025-03-15",
                                       "amount": "10.00", "customer_number": "C1"})  # fmt: skip
    assert response.status_code == 403
    assert not Payment.objects.exists()
