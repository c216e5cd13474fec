"""ACME with the work list's worked example and one user per role; BETA, another tenant, with
its own customer and a user of its own."""

import pytest

from debitum.administrations.models import Membership
from debitum.ledger.tests.factories import invoice_factory
from debitum.web.tests.factories import PASSWORD, administration_make, user_make

from .factories import AS_OF, customer_make, worklist_example_make


@pytest.fixture(autouse=True)
def fast_password_hashing(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBITUM_DOCUMENTS_DIR = tmp_path / "documents"


@pytest.fixture
def users(db):
    return {role: user_make(role) for role in ("admin", "manager", "controller", "sales", "viewer")}


@pytest.fixture
def acme(users):
    administration = administration_make("ACME", "Acme Groothandel BV")
    for role, user in users.items():
        Membership.objects.create(administration=administration, user=user, role=role)
    return administration


@pytest.fixture
def customers(acme):
    return worklist_example_make(acme)


@pytest.fixture
def beta(db):
    outsider = user_make("outsider")
    administration = administration_make("BETA", "Beta Secret Holding", country="BE")
    Membership.objects.create(administration=administration, user=outsider, role="admin")
    customer = customer_make(administration, "B-777", "Beta Secret Customer")
    invoice_factory(
        customer,
        "BETA-1",
        "4321.00",
        invoice_date=AS_OF.replace(day=1),
        due_date=AS_OF.replace(day=2),
    )
    return administration


def login(client, username):
    client.login(username=username, password=PASSWORD)
    return client
