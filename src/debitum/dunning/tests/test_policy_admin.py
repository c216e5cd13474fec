"""A manager edits the ladders of their own administration in the back office, and only those."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from debitum.administrations.tests.factories import (
    administration_factory,
    membership_factory,
    user_factory,
)
from debitum.audit.models import AuditEvent
from debitum.customers.models import Customer
from debitum.dunning.models import DunningAction, DunningRun, Policy, Step
from debitum.dunning.policy_services import policies_import

pytestmark = pytest.mark.django_db

LADDER = """
policies:
- segment: normal
  country: {country}
  name: {name}
  steps:
  - {{kind: reminder, name: Reminder, day_offset: 7, channel: email}}
  - {{kind: phone_call, name: Call, day_offset: 14, min_days_since_previous: 5, channel: phone_task}}
  - {{kind: demand, name: Demand, day_offset: 21, min_days_since_previous: 5, channel: letter,
      charges_fees: true, charges_interest: true}}
"""
STEP_FIELDS = (
    "position",
    "kind",
    "name",
    "day_offset",
    "min_days_since_previous",
    "channel",
    "template",
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def acme():
    administration = administration_factory("ACME")
    policies_import(administration=administration, text=LADDER.format(country="NL", name="Acme"))
    return administration


@pytest.fixture
def beta():
    administration = administration_factory("BETA", country="BE", name="Beta Secret Holding")
    policies_import(
        administration=administration, text=LADDER.format(country="BE", name="Beta Secret")
    )
    return administration


@pytest.fixture
def manager_client(client, acme):
    user = user_factory("marie", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="dunning",
            codename__in=[
                f"{action}_{model}"
                for action in ("view", "change", "add", "delete")
                for model in ("policy", "step", "messagetemplate")
            ],
        )
    )
    membership_factory(user, acme, role="manager")
    client.force_login(user)
    return client


def _form(policy: Policy, changes: dict | None = None) -> dict:
    """The change form of `policy` as the browser posts it, with `changes` per step position."""
    steps = list(policy.steps.order_by("position"))
    data = {
        "segment": policy.segment,
        "country": policy.country,
        "name": policy.name,
        "description": policy.description,
        "minimum_amount": str(policy.minimum_amount),
        "pay_within_days": policy.pay_within_days,
        "promise_grace_days": policy.promise_grace_days,
        "is_active": "on",
        "steps-TOTAL_FORMS": len(steps),
        "steps-INITIAL_FORMS": len(steps),
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 1000,
    }
    for index, step in enumerate(steps):
        prefix = f"steps-{index}-"
        data[prefix + "id"] = step.pk
        data[prefix + "policy"] = policy.pk
        for name in STEP_FIELDS:
            data[prefix + name] = getattr(step, name)
        for name in ("charges_fees", "charges_interest", "needs_approval"):
            if getattr(step, name):
                data[prefix + name] = "on"
        for name, value in (changes or {}).get(step.position, {}).items():
            data[prefix + name] = value
    return data


def _ladder(policy: Policy):
    return list(policy.steps.order_by("position").values_list("position", "kind", "day_offset"))


def test_the_manager_sees_only_the_policies_of_their_administration(manager_client, beta):
    html = manager_client.get("/admin/dunning/policy/").content.decode()

    assert "Acme" in html and "Beta Secret" not in html
    other = Policy.objects.get(administration=beta)
    assert manager_client.get(f"/admin/dunning/policy/{other.pk}/change/").status_code == 302


def test_a_valid_change_is_saved_and_audited(manager_client, acme):
    policy = Policy.objects.get(administration=acme)

    response = manager_client.post(
        f"/admin/dunning/policy/{policy.pk}/change/",
        _form(policy, {3: {"day_offset": 28, "needs_approval": "on", "template": ""}}),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    demand = policy.steps.get(position=3)
    assert (demand.day_offset, demand.needs_approval, demand.template) == (28, True, "demand")
    assert AuditEvent.objects.filter(administration=acme, action="step.change").exists()


def test_a_ladder_that_goes_back_in_time_is_refused_with_the_reason(manager_client, acme):
    policy = Policy.objects.get(administration=acme)
    before = _ladder(policy)

    response = manager_client.post(
        f"/admin/dunning/policy/{policy.pk}/change/", _form(policy, {3: {"day_offset": 10}})
    )

    assert response.status_code == 200
    assert "The ladder is not valid: step 3 (Demand) comes before step 2 (Call)" in (
        response.content.decode()
    )
    assert _ladder(policy) == before


def test_a_gap_in_the_positions_is_refused(manager_client, acme):
    policy = Policy.objects.get(administration=acme)

    response = manager_client.post(
        f"/admin/dunning/policy/{policy.pk}/change/", _form(policy, {3: {"position": 5}})
    )

    assert "numbered 1, 2, 3 ... without gaps" in response.content.decode()
    assert _ladder(policy)[2][0] == 3


def test_two_steps_can_swap_places(manager_client, acme):
    policy = Policy.objects.get(administration=acme)

    response = manager_client.post(
        f"/admin/dunning/policy/{policy.pk}/change/",
        _form(
            policy,
            {1: {"position": 2, "day_offset": 14}, 2: {"position": 1, "day_offset": 7}},
        ),
    )

    assert response.status_code == 302
    assert _ladder(policy) == [(1, "phone_call", 7), (2, "reminder", 14), (3, "demand", 21)]


def test_a_step_with_history_cannot_be_deleted(manager_client, acme):
    policy = Policy.objects.get(administration=acme)
    demand = policy.steps.get(position=3)
    run = DunningRun.objects.create(
        administration=acme, as_of=dt.date(2026, 3, 2), status="completed"
    )
    customer = Customer.objects.create(administration=acme, number="C1", name="Bakkerij")
    DunningAction.objects.create(
        administration=acme,
        run=run,
        customer=customer,
        step=demand,
        position=3,
        kind="demand",
        channel="letter",
        currency="EUR",
        principal=Decimal("100.00"),
        status="executed",
    )

    response = manager_client.post(
        f"/admin/dunning/policy/{policy.pk}/change/", _form(policy, {3: {"DELETE": "on"}})
    )

    assert response.status_code == 200
    assert (
        "Deleting step 3. Demand would require deleting the following protected related "
        "objects: dunning action demand to"
    ) in response.content.decode()
    assert Step.objects.filter(pk=demand.pk).exists()


def test_message_templates_are_in_the_back_office(manager_client):
    assert manager_client.get("/admin/dunning/messagetemplate/").status_code == 200
