"""Every route of the OpenAPI document, tried by users of ACME on OTHER's rows: with OTHER's
code and with ACME's code, always 404 in the one error shape, never a byte of OTHER's data.
A new route with a path parameter this test does not know fails it: add the parameter."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client

from debitum.customers.models import Customer
from debitum.customers.tests.factories import customer_factory
from debitum.disputes.services import dispute_open
from debitum.dunning.models import DunningAction, DunningRun
from debitum.dunning.services import dunning_run
from debitum.dunning.tests.factories import policy_factory
from debitum.jobs.models import Job
from debitum.ledger.models import Invoice
from debitum.ledger.tests.factories import invoice_factory
from debitum.plans.services import plan_create
from debitum.promises.services import promise_register
from debitum.tasks.models import Task

pytestmark = pytest.mark.django_db

NOT_FOUND = {"error": {"code": "not_found", "message": "not found"}}
SECRETS = ("Beta Secret", "B-777", "BETA-", "4321", "Other Secret", "999.99")


@pytest.fixture
def other_rows(other):
    """OTHER's customer B-777 with invoices, a promise, a dispute, a plan, a run with an
    action waiting for approval, and a task: one of everything an id can name."""
    policy_factory(other, country="BE",
                   ladder=[("phone_call", 7, 0, "phone_task", False, False, True)])  # fmt: skip
    customer = customer_factory(other, "B-777", name="Beta Secret Customer", country="BE")
    first = invoice_factory(customer, "BETA-1", "4321.00", invoice_date=dt.date(2025, 1, 2),
                            due_date=dt.date(2025, 2, 1))  # fmt: skip
    second = invoice_factory(customer, "BETA-2", "4321.00", invoice_date=dt.date(2025, 1, 3),
                             due_date=dt.date(2025, 2, 2))  # fmt: skip
    promise = promise_register(customer=customer, amount=first.amount, promise_date=dt.date(
        2025, 3, 1), promised_date=dt.date(2025, 3, 2))  # fmt: skip
    dispute = dispute_open(invoice=first, reason="quality", opened_date=dt.date(2025, 3, 1))
    plan = plan_create(customer=customer, instalments=2, first_date=dt.date(2025, 4, 1),
                       start_date=dt.date(2025, 3, 20), invoices=[second],
                       send_confirmation=False)  # fmt: skip
    third = invoice_factory(customer, "BETA-3", "4321.00", invoice_date=dt.date(2025, 1, 3),
                            due_date=dt.date(2025, 2, 2))  # fmt: skip
    dunning_run(administration=other, as_of=dt.date(2025, 3, 20))
    action = DunningAction.objects.get(administration=other)
    task = Task.objects.create(administration=other, customer=customer, kind="phone_call",
                               title="Call Beta Secret", due_date=dt.date(2025, 3, 20))  # fmt: skip
    assert third.pk and action.status == "awaiting_approval"
    job = Job.objects.create(administration=other, kind="dunning.execute", key="beta",
                             params={"as_of": "2025-03-20"}, state="done",
                             result={"note": "Beta Secret"})  # fmt: skip
    return {
        "customer_number": "B-777",
        "invoice_number": "BETA-1",
        "promise_id": promise.pk,
        "dispute_id": dispute.pk,
        "plan_id": plan.pk,
        "run_id": DunningRun.objects.get(administration=other).pk,
        "action_id": action.pk,
        "task_id": task.pk,
        "job_id": job.pk,
    }


def _operations():
    document = Client().get("/api/openapi.json").json()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            body = {}
            content = operation.get("requestBody", {}).get("content", {})
            if content:
                ref = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
                schema = document["components"]["schemas"][ref]
                body = (schema.get("examples") or [{}])[0]
            yield path, method, body


def _call(client, method, url, body):
    return getattr(client, method)(url, data=body, content_type="application/json")


@pytest.mark.parametrize("role", ["admin", "viewer"])
def test_every_route_on_another_administrations_rows_is_404(api, c1, other, other_rows, role):
    client = api[role].client
    tried = 0
    for path, method, body in _operations():
        parameters = set(re.findall(r"{(\w+)}", path)) - {"code"}
        unknown = parameters - set(other_rows)
        assert not unknown, f"{path}: teach this test the parameter(s) {unknown}"
        # A viewer of ACME writing in ACME gets 403 whatever the number (its role, not the row,
        # decides), so ACME's code with OTHER's numbers is walked by the admin.
        for code in ("OTHER", "ACME") if role == "admin" else ("OTHER",):
            if code == "ACME" and (not parameters or method == "put"):
                # ACME's own lists, and PUT by number, which makes ACME's own row of that
                # number: not another administration's rows (checked untouched below).
                continue
            url = path.replace("{code}", code)
            for name in parameters:
                url = url.replace(f"{{{name}}}", str(other_rows[name]))
            response = _call(client, method, url, body)
            text = response.content.decode()
            assert response.status_code == 404, (method, url, response.status_code, text)
            assert response.json() == NOT_FOUND, (method, url, text)
            assert not any(secret in text for secret in SECRETS), (method, url, text)
            tried += 1
    assert tried >= (30 if role == "admin" else 20)
    customer = Customer.objects.get(administration=other, number="B-777")
    assert customer.name == "Beta Secret Customer"
    invoice = Invoice.objects.get(administration=other, number="BETA-1")
    assert (invoice.amount, invoice.description) == (Decimal("4321.00"), "")
    assert DunningAction.objects.get(administration=other).status == "awaiting_approval"
    assert Task.objects.get(pk=other_rows["task_id"]).status == "open"


def test_an_invoice_push_creates_a_customer_only_in_its_own_administration(api, c1, other_rows):
    """B-777 is OTHER's customer: pushed in OTHER it is 404 and nothing is made there; pushed
    in ACME with a name it is ACME's own new customer B-777, and OTHER's stays as it was."""
    body = {"customer_number": "B-777", "customer_name": "Made by ACME", "amount": "10.00",
            "invoice_date": "2025-03-01", "due_date": "2025-03-31"}  # fmt: skip
    client = api["admin"]
    response = client.put("/api/administrations/OTHER/invoices/NEW-1", body)
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert not Invoice.objects.filter(number="NEW-1").exists()
    without_name = client.put("/api/administrations/ACME/invoices/NEW-1",
                              {k: v for k, v in body.items() if k != "customer_name"})  # fmt: skip
    assert list(without_name.json()["error"]["fields"]) == ["customer_number"]
    assert not any(secret in without_name.content.decode() for secret in SECRETS[:1])
    created = client.put("/api/administrations/ACME/invoices/NEW-1", body)
    assert created.status_code == 201
    ours = Customer.objects.get(number="B-777", name="Made by ACME")
    assert ours.administration.code == "ACME"
    theirs = Customer.objects.get(number="B-777", administration__code="OTHER")
    assert theirs.name == "Beta Secret Customer"
    assert not Invoice.objects.filter(administration__code="OTHER", number="NEW-1").exists()
