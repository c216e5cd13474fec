"""Two tenants: alice is a member of ACME only, BETA's data must never reach her."""

import pytest
from django.contrib.auth.models import Permission

from debitum.audit.services import audit_record

from .factories import (
    AS_OF,
    PASSWORD,
    administration_make,
    aging_example_make,
    customer_make,
    invoice_make,
    payment_make,
    user_make,
)

BACK_OFFICE_VIEWS = [
    "view_invoice",
    "view_payment",
    "view_customer",
    "view_auditevent",
    "view_administration",
    "view_membership",
    "view_importbatch",
    "view_allocation",
    "view_writeoff",
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Argon2 is slow on purpose; the tests log in dozens of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(db):
    """A staff member who may look at the ledger in the back office."""
    user = user_make("alice", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=BACK_OFFICE_VIEWS))
    return user


@pytest.fixture
def acme(alice):
    administration = administration_make("ACME", "Acme Groothandel BV", members=[alice])
    aging_example_make(administration)
    audit_record(
        administration=administration, actor=None, action="test.acme", summary="acme event"
    )
    return administration


@pytest.fixture
def beta(db):
    """Another tenant, with nothing alice may see."""
    administration = administration_make("BETA", "Beta Secret Holding", country="BE")
    customer = customer_make(administration, "B-777", "Beta Secret Customer")
    invoice_make(
        customer, "BETA-INV-1", "4321.00", invoice_date=AS_OF.replace(day=1), due_date=AS_OF
    )
    payment_make(customer, "12.34", payment_date=AS_OF)
    audit_record(
        administration=administration, actor=None, action="test.beta", summary="beta secret event"
    )
    return administration


@pytest.fixture
def alice_client(client, alice, acme, beta):
    client.login(username="alice", password=PASSWORD)
    return client
