"""The API's ground rules: tokens, the error shape, tenant isolation, keyset pages, OpenAPI."""

import pytest
from django.test import Client

from debitum.administrations.tests.factories import (
    administration_factory,
    membership_factory,
    user_factory,
)
from debitum.api.tokens import token_create
from debitum.customers.tests.factories import customer_factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    acme, other = administration_factory("ACME"), administration_factory("OTHER")
    anna = user_factory("anna")
    membership_factory(anna, acme, "controller")
    for n in range(5):
        customer_factory(acme, f"C{n}")
    customer_factory(other, "X1")
    _, token = token_create(user=anna, name="erp")
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_without_a_valid_token_the_answer_is_401_in_the_error_shape(setting):
    response = Client().get("/api/administrations/ACME/customers")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    bad = Client(headers={"Authorization": "Bearer dbt_nope"}).get(
        "/api/administrations/ACME/customers"
    )
    assert bad.status_code == 401


def test_another_administrations_rows_are_404_never_the_data(setting):
    client = setting
    for url in ("/api/administrations/OTHER/customers", "/api/administrations/OTHER/customers/X1",
                "/api/administrations/ACME/customers/X1"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"error": {"code": "not_found", "message": "not found"}}


def test_keyset_pages_walk_the_whole_list(setting):
    client = setting
    numbers, after = [], None
    while True:
        url = "/api/administrations/ACME/customers?limit=2" + (f"&after={after}" if after else "")
        body = client.get(url).json()
        numbers += [customer["number"] for customer in body["items"]]
        after = body["next"]
        if after is None:
            break
    assert numbers == ["C0", "C1", "C2", "C3", "C4"]
    bad = client.get("/api/administrations/ACME/customers?after=x")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_error"


def test_the_openapi_document_is_served(setting):
    document = Client().get("/api/openapi.json").json()
    assert document["info"]["title"] == "Debitum API"
    assert "/api/administrations/{code}/customers" in document["paths"]
    assert Client().get("/api/docs").status_code == 200
