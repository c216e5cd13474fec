"""Property-based checks of the API against its own OpenAPI document (Schemathesis): every
operation, with data generated from the schema, sent to the Django app in-process (WSGI) with
an administrator's token for ACME. No answer may be a server error, and each must match the
document: its status code, content type and body schema. Invalid input must be refused.

Path parameters are either generated or, about half of the time, one of ACME's real rows
(its customer, invoice, promise, dispute, plan, run, action and task), so that the reads and
writes on a row are exercised and not only the 404 for a number that does not exist. ACME's
customer and invoice have the numbers of the document's examples (C1001, F2025-0001), so the
bodies built from the examples name real rows too."""

import datetime as dt
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.core.parameters import ParameterLocation

from debitum.administrations.tests.factories import membership_factory, user_factory
from debitum.api import tokens
from debitum.customers.tests.factories import customer_factory
from debitum.disputes.services import dispute_open
from debitum.dunning.models import DunningAction, DunningRun
from debitum.dunning.services import dunning_run
from debitum.dunning.tests.factories import policy_factory
from debitum.jobs.models import Job
from debitum.ledger.tests.factories import allocation_factory, invoice_factory
from debitum.plans.services import plan_create
from debitum.promises.services import promise_register
from debitum.tasks.models import Task
from debitum.wsgi import application

pytestmark = pytest.mark.django_db

# Bounded so that the thirty operations take about a minute (SQLite 30-45 s, PostgreSQL about
# 60 s); fixed (derandomize) so that a failure in CI is the same failure on a developer's
# machine. DEBITUM_FUZZ_EXAMPLES=200 digs deeper, by hand.
MAX_EXAMPLES = int(os.environ.get("DEBITUM_FUZZ_EXAMPLES", "15"))
KNOWN = "known_row"
# The administrator's token, known before the test's rows are made: Schemathesis builds its
# coverage cases when the module is collected, with the token in them.
TOKEN = "dbt_schemathesis-administrator-of-acme"

schema = schemathesis.openapi.from_wsgi(
    "/api/openapi.json",
    application,
    config=schemathesis.Config.from_dict({
        # Unknown query parameters are ignored, as by most APIs; OpenAPI does not forbid them.
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True,
                       "allow-extra-parameters": False},
        "parameters": {"path.code": "ACME"},
        # Schemathesis sets the token itself, so that it can also leave it out (or spoil it)
        # and expect the 401.
        "auth": {"openapi": {"TokenAuth": {"bearer": TOKEN}}},
        "phases": {"stateful": {"enabled": False}},
        # A request the schema allows may still break a business rule (a due date before the
        # invoice date, a promise in the past): that is a 422 naming the field, not a defect.
        "checks": {"positive_data_acceptance": {"enabled": False}},
    }),
)  # fmt: skip


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """ACME's code always (another administration is test_isolation's business); any other
    parameter either as generated or a marker the test replaces by ACME's real row."""
    return st.fixed_dictionaries({
        name: st.just(value) if name == "code" else st.sampled_from([value, KNOWN])
        for name, value in path_parameters.items()
    })  # fmt: skip


@pytest.fixture
def connection_kept():
    """The test's transaction open across requests. Django closes a connection that is not in
    autocommit at each request's start and end (`close_old_connections`), which inside a
    test's transaction is every request; its test client turns that off, and this is the same
    for the WSGI app Schemathesis calls. (SQLite never closes the in-memory test database, so
    only PostgreSQL notices.)"""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.fixture
def acme_rows(acme, monkeypatch, connection_kept):
    """ACME with one of everything a path can name, and an administrator's token."""
    policy_factory(acme, ladder=[("phone_call", 7, 0, "phone_task", False, False, True)])
    customer = customer_factory(acme, "C1001", name="Bakkerij Jansen", country="NL")
    first = invoice_factory(customer, "F2025-0001", "500.00", invoice_date=dt.date(2025, 1, 2),
                            due_date=dt.date(2025, 2, 1))  # fmt: skip
    second = invoice_factory(customer, "F2025-0002", "300.00", invoice_date=dt.date(2025, 1, 3),
                             due_date=dt.date(2025, 2, 2))  # fmt: skip
    invoice_factory(customer, "F2025-0003", "120.00", invoice_date=dt.date(2025, 1, 4),
                    due_date=dt.date(2025, 2, 3))  # fmt: skip
    allocation_factory(first, "100.00", allocation_date=dt.date(2025, 3, 1))
    # The promise is C2's: a promise pauses its customer's dunning, and F2025-0003 is to be dunned.
    promising = customer_factory(acme, "C2", name="Smit", country="BE", language="fr")
    invoice_factory(promising, "F4", "90.00", invoice_date=dt.date(2025, 1, 2),
                    due_date=dt.date(2025, 2, 1))  # fmt: skip
    promise = promise_register(customer=promising, amount=first.amount, promise_date=dt.date(
        2025, 3, 1), promised_date=dt.date(2025, 3, 25))  # fmt: skip
    dispute = dispute_open(invoice=first, reason="quality", opened_date=dt.date(2025, 3, 1))
    plan = plan_create(customer=customer, instalments=2, first_date=dt.date(2025, 4, 1),
                       start_date=dt.date(2025, 3, 20), invoices=[second],
                       send_confirmation=False)  # fmt: skip
    dunning_run(administration=acme, as_of=dt.date(2025, 3, 20))
    task = Task.objects.create(administration=acme, customer=customer, kind="phone_call",
                               title="Call Jansen", due_date=dt.date(2025, 3, 20))  # fmt: skip
    job = Job.objects.create(administration=acme, kind="dunning.execute", key="fuzz",
                             params={"as_of": "2025-03-20"}, state="queued")  # fmt: skip
    admin = user_factory("admin-user")
    membership_factory(admin, acme, "admin")
    with monkeypatch.context() as patch:
        patch.setattr(tokens.secrets, "token_urlsafe", lambda nbytes: TOKEN.removeprefix("dbt_"))
        _, token = tokens.token_create(user=admin, name="schemathesis")
    assert token == TOKEN
    return {
        "customer_number": "C1001",
        "invoice_number": "F2025-0001",
        "promise_id": promise.pk,
        "dispute_id": dispute.pk,
        "plan_id": plan.pk,
        "run_id": DunningRun.objects.get(administration=acme).pk,
        "action_id": DunningAction.objects.filter(administration=acme).first().pk,
        "task_id": task.pk,
        "job_id": job.pk,
    }


@schema.parametrize()
# acme_rows is made once per operation and shared by its examples (each write sees the ones
# before it, as a client's would); no deadline: a dunning run or a plan with its letter takes
# longer than Hypothesis's 200 ms on a busy machine.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_the_api_keeps_to_its_openapi_document(case, acme_rows):
    if not case.meta or not case.meta.is_negative_at(ParameterLocation.PATH):
        for name, value in (case.path_parameters or {}).items():
            if value == KNOWN:
                case.path_parameters[name] = acme_rows[name]
    case.call_and_validate()
