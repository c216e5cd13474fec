"""Input is taken as the OpenAPI document describes it. Each case was found by the Schemathesis
test (test_schema_fuzz.py): pydantic's lax mode bent it into something else, or it was a 500
or an undocumented status."""

import datetime as dt

import pytest

from debitum.customers.models import Customer
from debitum.dunning.models import DunningRun
from debitum.ledger.models import Invoice
from debitum.ledger.tests.factories import invoice_factory

pytestmark = pytest.mark.django_db

BASE = "/api/administrations/ACME"
INVOICE = {"customer_number": "C1", "invoice_date": "2025-03-01", "due_date": "2025-03-31",
           "amount": "1210.00"}  # fmt: skip


def _fields(response) -> dict:
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    return error["fields"]


def test_a_date_sent_as_a_number_is_refused_not_read_as_seconds_since_1970(api, c1):
    # A number was read as seconds since 1970: as_of=0 was 1 January 1970, 1740787200 was
    # 1 March 2025, and 20250301 was refused as "a datetime without zero time".
    for number in (1740787200, 20250301):
        response = api["controller"].put(f"{BASE}/invoices/F7",
                                         {**INVOICE, "invoice_date": number})  # fmt: skip
        assert _fields(response) == {"invoice_date": ["Value error, a date is written YYYY-MM-DD"]}
    assert not Invoice.objects.filter(number="F7").exists()
    at = api["viewer"].get(f"{BASE}/aging", as_of="0")
    assert _fields(at) == {"as_of": ["Value error, a date is written YYYY-MM-DD"]}
    assert list(_fields(api["viewer"].get(f"{BASE}/worklist", as_of="2025-03-20T00:00"))) == [
        "as_of"
    ]
    assert api["viewer"].get(f"{BASE}/aging", as_of="2025-03-20").status_code == 200


def test_an_integer_or_boolean_in_a_body_is_a_json_integer_or_boolean(api, c1):
    # false was 0 days of payment terms; "yes" was a dry run of True.
    assert list(_fields(api["controller"].patch(f"{BASE}/customers/C1",
                                                {"payment_terms_days": False}))) == [
        "payment_terms_days"
    ]  # fmt: skip
    assert list(_fields(api["controller"].patch(f"{BASE}/customers/C1",
                                                {"payment_terms_days": "14"}))) == [
        "payment_terms_days"
    ]  # fmt: skip
    c1.refresh_from_db()
    assert c1.payment_terms_days == 30
    assert list(_fields(api["controller"].post(f"{BASE}/dunning-runs", {"dry_run": "yes"}))) == [
        "dry_run"
    ]
    assert not DunningRun.objects.exists()
    ok = api["controller"].patch(f"{BASE}/customers/C1", {"payment_terms_days": 14})
    assert ok.json()["payment_terms_days"] == 14


def test_a_body_that_is_not_an_object_is_refused(api, c1):
    # [] posted to the dunning runs ran one with every field at its default.
    invoice_factory(c1, "F1", "500.00", invoice_date=dt.date(2025, 1, 2),
                    due_date=dt.date(2025, 2, 1))  # fmt: skip
    for body in ("[]", "[null, null]", '"2025-03-20"', "7"):
        response = api["controller"].client.post(f"{BASE}/dunning-runs", data=body,
                                                 content_type="application/json")  # fmt: skip
        assert _fields(response) == {"__all__": ["Value error, the body is a JSON object"]}, body
    assert not DunningRun.objects.exists()


def test_a_body_that_is_not_json_is_a_documented_400_in_the_error_shape(api, c1):
    response = api["controller"].client.put(f"{BASE}/customers/C9", data=b"{name: x",
                                            content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "bad_request", "message": "Cannot parse request body"}
    }
    assert not Customer.objects.filter(number="C9").exists()
    from debitum.api.urls import api as ninja_api

    put = ninja_api.get_openapi_schema()["paths"]["/api/administrations/{code}/customers/{customer_number}"]["put"]  # fmt: skip
    assert put["responses"][400]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }
