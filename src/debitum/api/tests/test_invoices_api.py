"""Invoices and credit notes pushed by an ERP: idempotent on the number, refused when changed
(a sent invoice is corrected with a credit note), listed with open amounts at a date."""

import datetime as dt

import pytest

from debitum.audit.models import AuditEvent
from debitum.customers.models import Customer
from debitum.ledger.models import Allocation, Invoice
from debitum.ledger.tests.factories import allocation_factory, invoice_factory

pytestmark = pytest.mark.django_db

URL = "/api/administrations/ACME/invoices"
INVOICE = {"customer_number": "C1", "invoice_date": "2025-03-01", "due_date": "2025-03-31",
           "amount": "1210.00", "vat_amount": "210.00", "description": "March deliveries"}  # fmt: skip


def test_put_creates_an_invoice_with_a_new_payment_reference_and_an_audit_event(api, c1):
    response = api["controller"].put(f"{URL}/F2025-1", INVOICE)
    assert response.status_code == 201
    body = response.json()
    assert body == {
        "number": "F2025-1", "kind": "invoice", "customer_number": "C1",
        "invoice_date": "2025-03-01", "due_date": "2025-03-31", "currency": "EUR",
        "amount": "1210.00", "vat_amount": "210.00", "description": "March deliveries",
        "reference": "9000 0000 0000 0001", "open_amount": "1210.00", "as_of": "2025-03-20",
    }  # fmt: skip
    # The administration is Dutch: its first betalingskenmerk, as the invoice import gives.
    invoice = Invoice.objects.get(number="F2025-1")
    assert (
        AuditEvent.objects.filter(action="invoice.create", object_id=str(invoice.pk)).count() == 1
    )


def test_the_same_invoice_twice_is_answered_unchanged(api, c1):
    first = api["controller"].put(f"{URL}/F2025-1", INVOICE).json()
    again = api["controller"].put(f"{URL}/F2025-1", INVOICE)
    assert again.status_code == 200
    assert again.json() == first
    assert Invoice.objects.count() == 2  # this one and OTHER's F1
    assert AuditEvent.objects.filter(action="invoice.create").count() == 1


def test_a_changed_amount_or_date_is_a_conflict_naming_the_fields(api, c1):
    api["controller"].put(f"{URL}/F2025-1", INVOICE)
    changed = {**INVOICE, "amount": "1100.00", "due_date": "2025-04-30"}
    response = api["controller"].put(f"{URL}/F2025-1", changed)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert "credit note" in error["message"]
    assert error["fields"] == {
        "amount": ["is 1210.00 in the ledger, not 1100.00"],
        "due_date": ["is 2025-03-31 in the ledger, not 2025-04-30"],
    }
    assert Invoice.objects.get(number="F2025-1").amount == 1210


def test_another_customer_is_a_conflict(api, c1, acme):
    from debitum.customers.tests.factories import customer_factory

    customer_factory(acme, "C2")
    api["controller"].put(f"{URL}/F2025-1", INVOICE)
    response = api["controller"].put(f"{URL}/F2025-1", {**INVOICE, "customer_number": "C2"})
    assert response.status_code == 409
    assert list(response.json()["error"]["fields"]) == ["customer"]


def test_a_credit_note_for_an_invoice_is_allocated_to_it(api, c1):
    api["controller"].put(f"{URL}/F2025-1", INVOICE)
    response = api["controller"].put(f"{URL}/CN2025-1", {
        **INVOICE, "amount": "121.00", "vat_amount": "21.00", "kind": "credit_note",
        "credit_for": "F2025-1", "invoice_date": "2025-03-10", "due_date": "2025-03-10",
    })  # fmt: skip
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["amount"], body["vat_amount"]) == (
        "credit_note",
        "-121.00",
        "-21.00",
    )
    assert body["reference"] == ""  # credit notes get no payment reference
    assert body["open_amount"] == "0.00"
    assert api["viewer"].get(f"{URL}/F2025-1").json()["open_amount"] == "1089.00"
    assert Allocation.objects.get().allocation_date == dt.date(2025, 3, 10)


def test_validation_errors_name_the_field(api, c1):
    cases = [
        ({**INVOICE, "due_date": "2025-02-01"}, "due_date"),
        ({**INVOICE, "amount": "0"}, "amount"),
        ({**INVOICE, "amount": "-5.00", "kind": "invoice"}, "amount"),
        ({**INVOICE, "amount": "12.345"}, "amount"),
        ({**INVOICE, "customer_number": "NOPE"}, "customer_number"),
        ({**INVOICE, "invoice_date": "1 March"}, "invoice_date"),
        ({**INVOICE, "vat_amount": "2000.00"}, "vat_amount"),
        ({k: v for k, v in INVOICE.items() if k != "due_date"}, "due_date"),
    ]
    for body, field in cases:
        response = api["controller"].put(f"{URL}/F9", body)
        assert response.status_code == 422, body
        assert field in response.json()["error"]["fields"], (body, response.json())
    assert not Invoice.objects.filter(number="F9").exists()


def test_an_invoice_for_a_new_customer_number_with_a_name_creates_the_customer(api, acme):
    # As a row of the invoice import does: the administration's defaults, audited.
    body = {**INVOICE, "customer_number": "C77", "customer_name": "Smit & Zn"}
    response = api["controller"].put(f"{URL}/F2025-7", body)
    assert response.status_code == 201
    assert (response.json()["customer_number"], response.json()["open_amount"]) == (
        "C77",
        "1210.00",
    )
    customer = Customer.objects.get(administration=acme, number="C77")
    assert (customer.name, customer.country, customer.language, customer.segment,
            customer.customer_type, customer.payment_terms_days) == (
        "Smit & Zn", "NL", "nl", "normal", "business", 30)  # fmt: skip
    created = AuditEvent.objects.get(action="customer.create")
    assert (created.object_id, created.actor.username) == (str(customer.pk), "controller-user")
    assert Invoice.objects.get(administration=acme, number="F2025-7").customer == customer
    again = api["controller"].put(f"{URL}/F2025-7", body)
    assert again.status_code == 200 and again.json() == response.json()
    assert Customer.objects.filter(administration=acme).count() == 1
    assert AuditEvent.objects.filter(action__startswith="customer.").count() == 1


def test_a_new_customer_number_without_a_name_is_refused_naming_the_field(api, acme):
    for name in (None, "", "   "):
        body = {**INVOICE, "customer_number": "C77"}
        if name is not None:
            body["customer_name"] = name
        response = api["controller"].put(f"{URL}/F2025-7", body)
        assert response.status_code == 422, name
        assert response.json()["error"] == {
            "code": "validation_error",
            "message": "the input is not valid",
            "fields": {"customer_number": [
                "no customer C77; send customer_name to create it, or create it first "
                "(PUT …/customers/{number})"
            ]},
        }  # fmt: skip
    too_long = api["controller"].put(f"{URL}/F2025-7", {**INVOICE, "customer_number": "C77",
                                                        "customer_name": "x" * 201})  # fmt: skip
    assert list(too_long.json()["error"]["fields"]) == ["customer_name"]
    assert not Customer.objects.filter(administration=acme).exists()
    assert not Invoice.objects.filter(administration=acme).exists()


def test_a_refused_invoice_leaves_no_new_customer_behind(api, c1, acme):
    # One transaction: the customer made for an invoice goes with it.
    api["controller"].put(f"{URL}/F2025-1", INVOICE)
    new = {"customer_number": "C77", "customer_name": "Smit & Zn"}
    refused = api["controller"].put(f"{URL}/F2025-2", {**INVOICE, **new,
                                                       "due_date": "2025-02-01"})  # fmt: skip
    assert list(refused.json()["error"]["fields"]) == ["due_date"]
    conflict = api["controller"].put(f"{URL}/F2025-1", {**INVOICE, **new})
    assert conflict.status_code == 409
    assert conflict.json()["error"]["fields"] == {"customer": ["is C1 in the ledger, not C77"]}
    assert not Customer.objects.filter(administration=acme, number="C77").exists()
    assert not AuditEvent.objects.filter(action="customer.create").exists()


def test_an_existing_customer_keeps_its_name(api, c1):
    response = api["controller"].put(f"{URL}/F2025-1", {**INVOICE, "customer_name": "Other name"})
    assert response.status_code == 201
    c1.refresh_from_db()
    assert c1.name == "Bakkerij Jansen"
    assert not AuditEvent.objects.filter(action__startswith="customer.").exists()


@pytest.mark.parametrize("role", ["viewer", "sales"])
def test_readers_cannot_push_invoices(api, c1, role):
    response = api[role].put(f"{URL}/F2025-1", INVOICE)
    assert response.status_code == 403
    new = api[role].put(f"{URL}/F2025-1", {**INVOICE, "customer_number": "C77",
                                           "customer_name": "Smit & Zn"})  # fmt: skip
    assert new.status_code == 403
    assert not Invoice.objects.filter(number="F2025-1").exists()
    assert not Customer.objects.filter(number="C77").exists()


@pytest.fixture
def ledger(c1):
    """F1 due 1 Feb (paid 100 of 500 on 10 March), F2 due 1 April, F3 paid in full."""
    f1 = invoice_factory(c1, "F1", "500.00", invoice_date=dt.date(2025, 1, 2),
                         due_date=dt.date(2025, 2, 1))  # fmt: skip
    invoice_factory(c1, "F2", "300.00", invoice_date=dt.date(2025, 3, 2),
                    due_date=dt.date(2025, 4, 1))  # fmt: skip
    f3 = invoice_factory(c1, "F3", "80.00", invoice_date=dt.date(2025, 1, 5),
                         due_date=dt.date(2025, 2, 4))  # fmt: skip
    allocation_factory(f1, "100.00", allocation_date=dt.date(2025, 3, 10))
    allocation_factory(f3, "80.00", allocation_date=dt.date(2025, 2, 1))


def _numbers(response):
    assert response.status_code == 200, response.json()
    return [(item["number"], item["open_amount"]) for item in response.json()["items"]]


def test_the_list_filters_by_status_due_date_and_customer_with_open_amounts(api, ledger):
    viewer = api["viewer"]
    assert _numbers(viewer.get(URL)) == [("F1", "400.00"), ("F2", "300.00"), ("F3", "0.00")]
    assert _numbers(viewer.get(URL, status="open")) == [("F1", "400.00"), ("F2", "300.00")]
    assert _numbers(viewer.get(URL, status="paid")) == [("F3", "0.00")]
    assert _numbers(viewer.get(URL, due_before="2025-03-01")) == [("F1", "400.00"), ("F3", "0.00")]
    assert _numbers(viewer.get(URL, due_after="2025-03-01")) == [("F2", "300.00")]
    # Before the payment of 10 March, F1 was open in full; F2 did not exist yet.
    assert _numbers(viewer.get(URL, status="open", as_of="2025-03-01")) == [("F1", "500.00")]
    assert _numbers(viewer.get(URL, customer="C1", limit=1))[0] == ("F1", "400.00")
    assert viewer.get(URL, customer="NOPE").status_code == 404
    assert viewer.get(URL, status="late").status_code == 422


def test_keyset_pages_of_invoices(api, ledger):
    first = api["viewer"].get(URL, limit=2).json()
    assert [item["number"] for item in first["items"]] == ["F1", "F2"]
    second = api["viewer"].get(URL, limit=2, after=first["next"]).json()
    assert [item["number"] for item in second["items"]] == ["F3"]
    assert second["next"] is None


def test_list_items_are_the_single_invoice_answers_and_keep_to_the_schema(api, ledger):
    """The lists are written from rows (`row_page`), the single invoice through the schema: the
    same invoice reads the same in both, and the list validates against its schema."""
    from debitum.api.invoices import InvoicePage

    for query in ({}, {"as_of": "2025-03-09"}):
        listed = api["viewer"].get(URL, **query)
        assert listed["Content-Type"] == "application/json; charset=utf-8"
        body = listed.json()
        InvoicePage.model_validate(body)
        assert list(body) == ["next", "items"]
        for item in body["items"]:
            single = api["viewer"].get(f"{URL}/{item['number']}", **query).json()
            assert item == single
    assert body["items"][0] == {
        "number": "F1", "kind": "invoice", "customer_number": "C1",
        "invoice_date": "2025-01-02", "due_date": "2025-02-01", "currency": "EUR",
        "amount": "500.00", "vat_amount": body["items"][0]["vat_amount"],
        "description": body["items"][0]["description"], "reference": body["items"][0]["reference"],
        "open_amount": "500.00", "as_of": "2025-03-09",
    }  # fmt: skip


def test_one_invoice_with_its_open_amount_at_a_date(api, ledger):
    assert api["viewer"].get(f"{URL}/F1").json()["open_amount"] == "400.00"
    at = api["viewer"].get(f"{URL}/F1", as_of="2025-03-09").json()
    assert (at["open_amount"], at["as_of"]) == ("500.00", "2025-03-09")
    assert api["viewer"].get(f"{URL}/F1", as_of="yesterday").status_code == 422


def test_open_items_at_a_date(api, ledger):
    url = "/api/administrations/ACME/open-items"
    assert _numbers(api["sales"].get(url)) == [("F1", "400.00"), ("F2", "300.00")]
    assert _numbers(api["sales"].get(url, as_of="2025-02-01")) == [("F1", "500.00")]
