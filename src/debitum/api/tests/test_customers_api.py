"""Customers through the API: created and updated by number, checked as the importer checks,
idempotent, written by controllers and above only."""

import pytest

from debitum.audit.models import AuditEvent
from debitum.customers.models import Customer

pytestmark = pytest.mark.django_db

URL = "/api/administrations/ACME/customers"


def test_put_creates_a_customer_with_checked_identifiers(api, acme):
    response = api["controller"].put(f"{URL}/C100", {
        "name": "Bakkerij De Korenschoof B.V.", "country": "nl", "vat_number": "NL004495445B01",
        "kvk_number": "12345678", "iban": "NL91 ABNA 0417 1643 00", "payment_terms_days": 14,
        "customer_type": "b2b",
    })  # fmt: skip
    assert response.status_code == 201
    body = response.json()
    assert body["number"] == "C100"
    assert body["country"] == "NL"
    assert body["vat_number"] == "NL004495445B01"
    assert body["iban"] == "NL91ABNA0417164300"
    assert body["customer_type"] == "business"
    assert body["segment"] == "normal"  # the default: a business by its risk class
    assert body["payment_terms_days"] == 14
    customer = Customer.objects.get(administration=acme, number="C100")
    assert (
        AuditEvent.objects.filter(action="customer.create", object_id=str(customer.pk)).count() == 1
    )


def test_the_same_put_twice_changes_nothing(api, acme):
    body = {"name": "Jansen", "email": "ap@jansen.example"}
    assert api["controller"].put(f"{URL}/C7", body).status_code == 201
    again = api["controller"].put(f"{URL}/C7", body)
    assert again.status_code == 200
    assert again.json()["email"] == "ap@jansen.example"
    assert Customer.objects.filter(administration=acme).count() == 1
    assert AuditEvent.objects.filter(action__startswith="customer.").count() == 1


def test_patch_changes_only_the_fields_sent_and_audits_them(api, c1):
    response = api["controller"].patch(f"{URL}/C1", {"segment": "high", "phone": "+31 20 123"})
    assert response.status_code == 200
    assert response.json()["segment"] == "high"
    assert response.json()["name"] == "Bakkerij Jansen"
    event = AuditEvent.objects.get(action="customer.update")
    assert event.changes == {"segment": ["normal", "high"], "phone": ["", "+31 20 123"]}


def test_patch_of_an_unknown_customer_is_404(api, c1):
    assert api["controller"].patch(f"{URL}/NOPE", {"name": "x"}).status_code == 404


def test_invalid_values_are_named_per_field_and_nothing_is_written(api, c1):
    response = api["controller"].patch(f"{URL}/C1", {
        "vat_number": "NL123", "iban": "NL00ABNA0000000000", "email": "not-an-address",
        "segment": "gold",
    })  # fmt: skip
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert set(error["fields"]) == {"vat_number", "iban", "email", "segment"}
    c1.refresh_from_db()
    assert (c1.vat_number, c1.segment, c1.email) == ("", "normal", "")


def test_an_empty_risk_class_or_country_is_refused_and_an_empty_email_clears_it(api, c1):
    # Found by Schemathesis: "" was stored as "no value" in every field, and the database's
    # check on the risk class refused it (a 500).
    c1.email = "ap@jansen.example"
    c1.save()
    response = api["controller"].patch(f"{URL}/C1", {"risk_class": "", "country": " "})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "risk_class": ["'' is not one of high, low, normal"],
        "country": ["'' is not a two-letter country code (NL, BE, ...)"],
    }
    created = api["controller"].put(f"{URL}/C5", {"name": "Smit", "segment": ""})
    assert list(created.json()["error"]["fields"]) == ["segment"]
    assert not Customer.objects.filter(number="C5").exists()
    cleared = api["controller"].patch(f"{URL}/C1", {"email": ""})
    assert (cleared.status_code, cleared.json()["email"], cleared.json()["risk_class"]) == (
        200,
        "",
        "normal",
    )


def test_a_new_customer_needs_a_name(api, acme):
    response = api["controller"].put(f"{URL}/C9", {"country": "BE"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"name": ["a new customer needs a name"]}
    assert not Customer.objects.filter(administration=acme).exists()


def test_schema_errors_name_the_field(api, c1):
    response = api["controller"].patch(f"{URL}/C1", {"payment_terms_days": 400})
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["payment_terms_days"]


@pytest.mark.parametrize("role", ["viewer", "sales"])
def test_readers_may_read_but_not_write(api, c1, role):
    assert api[role].get(f"{URL}/C1").status_code == 200
    response = api[role].patch(f"{URL}/C1", {"name": "Hacked"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    c1.refresh_from_db()
    assert c1.name == "Bakkerij Jansen"


def test_the_same_number_in_another_administration_is_not_touched(api, c1, other):
    api["controller"].patch(f"{URL}/C1", {"name": "Jansen & Zn"})
    assert Customer.objects.get(administration=other, number="C1").name == "Other Secret Customer"
    assert (
        api["admin"].put("/api/administrations/OTHER/customers/C1", {"name": "x"}).status_code
        == 404
    )
