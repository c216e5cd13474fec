"""A dunning run as a background job through the API, and the job's state."""

import datetime as dt

import pytest

from debitum.dunning.models import DunningRun
from debitum.dunning.tests.factories import policy_factory
from debitum.jobs.models import Job
from debitum.ledger.tests.factories import invoice_factory

pytestmark = pytest.mark.django_db

BASE = "/api/administrations/ACME"


@pytest.fixture
def overdue(acme, c1):
    policy_factory(acme, ladder=[("phone_call", 7, 0, "phone_task", False, False, False)])
    return invoice_factory(c1, "F1", "500.00", invoice_date=dt.date(2025, 1, 2),
                           due_date=dt.date(2025, 2, 1))  # fmt: skip


def test_a_run_in_the_background_answers_202_with_its_job(api, overdue):
    body = {"as_of": "2025-03-20", "background": True, "request_id": "erp-2025-03-20"}
    response = api["controller"].post(f"{BASE}/dunning-runs", body)
    assert response.status_code == 202
    job = response.json()
    # (jobs run at once in tests: the job is done when the answer comes)
    assert (job["kind"], job["state"], job["error"], job["progress"]) == (
        "dunning.execute", "done", "", None
    )  # fmt: skip
    assert job["result"]["executed"] == 1 and job["result"]["as_of"] == "2025-03-20"
    assert DunningRun.objects.get().as_of == dt.date(2025, 3, 20)
    # The same request_id again (a retry): the same job, nothing run twice.
    again = api["controller"].post(f"{BASE}/dunning-runs", body).json()
    assert again["id"] == job["id"] and Job.objects.count() == 1
    # Anyone of the administration reads it.
    read = api["viewer"].get(f"{BASE}/jobs/{job['id']}")
    assert read.status_code == 200 and read.json() == job


def test_a_background_dry_run_is_refused_and_a_viewer_may_not_run(api, overdue):
    refused = api["controller"].post(f"{BASE}/dunning-runs", {"background": True, "dry_run": True})
    assert refused.status_code == 422
    assert list(refused.json()["error"]["fields"]) == ["background"]
    assert api["viewer"].post(f"{BASE}/dunning-runs", {"background": True}).status_code == 403
    assert not Job.objects.exists()
