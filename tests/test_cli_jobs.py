"""`debitum jobs list|run` and `debitum worker` as a user types them."""

import json

import pytest

from debitum.administrations.tests.factories import administration_factory
from debitum.cli import main
from debitum.jobs.models import Job
from debitum.jobs.tests import kinds  # noqa: F401 - registers the tests' job kinds

pytestmark = pytest.mark.django_db


def test_the_waiting_jobs_run_from_the_command_line_and_are_listed(capsys):
    acme = administration_factory("ACME")
    beta = administration_factory("BETA")
    job = Job.objects.create(administration=acme, kind="tests.double", key="a", params={"n": 3})
    refused = Job.objects.create(administration=acme, kind="tests.refuse", key="b", params={})
    other = Job.objects.create(administration=beta, kind="tests.double", key="a", params={"n": 1})

    assert main(["jobs", "run", "--administration", "ACME"]) == 1  # one of them failed
    out = capsys.readouterr().out
    assert f"#{job.pk} tests.double: done" in out
    assert f"#{refused.pk} tests.refuse: failed: line 2 is wrong" in out
    assert Job.objects.get(pk=other.pk).state == "queued"  # BETA's job is BETA's

    assert main(["jobs", "list", "--administration", "ACME", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(row["id"], row["state"]) for row in rows] == [
        (refused.pk, "failed"),
        (job.pk, "done"),
    ]
    assert rows[1]["result"] == {"administration": "ACME", "doubled": 6}


def test_the_worker_needs_a_broker(capsys, settings):
    settings.DEBITUM_BROKER_URL = None
    assert main(["worker"]) == 1
    assert "DEBITUM_BROKER_URL is not set" in capsys.readouterr().err
