"""ACME with one API user per role, its customer C1 and an invoice; OTHER, another tenant,
with rows under the same numbers and some of its own (which ACME's users must never see)."""

import datetime as dt

import pytest
from django.test import Client

from debitum.administrations.tests.factories import (
    administration_factory,
    membership_factory,
    user_factory,
)
from debitum.api.tokens import token_create
from debitum.customers.tests.factories import customer_factory
from debitum.ledger.tests.factories import invoice_factory

ROLES = ("admin", "manager", "controller", "sales", "viewer")
TODAY = dt.date(2025, 3, 20)


class Api:
    """A test client that sends a user's token and JSON bodies."""

    def __init__(self, user):
        _, token = token_create(user=user, name="test")
        self.client = Client(headers={"Authorization": f"Bearer {token}"})

    def get(self, url, **params):
        return self.client.get(url, params)

    def send(self, method, url, body=None):
        return getattr(self.client, method)(url, data=body or {}, content_type="application/json")

    def put(self, url, body):
        return self.send("put", url, body)

    def patch(self, url, body):
        return self.send("patch", url, body)

    def post(self, url, body=None):
        return self.send("post", url, body)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBITUM_DOCUMENTS_DIR = tmp_path / "documents"
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def acme(db):
    return administration_factory("ACME")


@pytest.fixture
def other(db):
    administration = administration_factory("OTHER", country="BE")
    customer = customer_factory(administration, "C1", name="Other Secret Customer")
    invoice_factory(customer, "F1", "999.99", invoice_date=dt.date(2025, 1, 1),
                    description="other secret")  # fmt: skip
    return administration


@pytest.fixture
def api(acme, other):
    """api[role]: a client of a user with that role in ACME (and nothing in OTHER)."""
    clients = {}
    for role in ROLES:
        user = user_factory(f"{role}-user")
        membership_factory(user, acme, role)
        clients[role] = Api(user)
    return clients


@pytest.fixture
def c1(acme):
    return customer_factory(acme, "C1", name="Bakkerij Jansen", country="NL")
