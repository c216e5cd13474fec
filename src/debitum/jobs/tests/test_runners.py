"""The runners of jobs: a thread of the server's process (the embedded default) and a Celery
worker on the real brokers of this machine (Redis and RabbitMQ on localhost, as in
production). The job is handed over only when the transaction that asked for it commits."""

from __future__ import annotations

import time
import uuid

import pytest
from django.db import OperationalError, transaction

from debitum.administrations.tests.factories import administration_factory
from debitum.jobs.models import Job
from debitum.jobs.services import job_submit, jobs_resume

from . import kinds  # noqa: F401 - registers the tests' job kinds

pytestmark = pytest.mark.django_db(transaction=True)


def _wait_until_finished(job_id: int, timeout: float = 60.0) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            job = Job.objects.get(pk=job_id)
        except OperationalError:  # SQLite's in-memory test database locks whole tables
            job = None
        if job is not None and job.is_finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still {Job.objects.get(pk=job_id).state} after {timeout} s")


def test_a_thread_of_the_process_runs_the_job_after_commit(settings):
    settings.DEBITUM_JOBS = "thread"
    acme = administration_factory("ACME")
    with transaction.atomic():
        job = job_submit(administration=acme, kind="tests.double", key="k", params={"n": 4})
        time.sleep(0.2)
        assert Job.objects.get(pk=job.pk).state == "queued"  # not before the commit
    job = _wait_until_finished(job.pk)
    assert (job.state, job.result["doubled"]) == ("done", 8)


def test_waiting_jobs_are_taken_up_again_when_the_server_starts(settings):
    settings.DEBITUM_JOBS = "thread"
    acme = administration_factory("ACME")
    left = Job.objects.create(administration=acme, kind="tests.double", key="k", params={"n": 1})
    assert jobs_resume() == 1
    assert _wait_until_finished(left.pk).result["doubled"] == 2


@pytest.mark.parametrize(
    "broker", ["redis://127.0.0.1:6379/15", "amqp://guest:guest@127.0.0.1:5672//"]
)
def test_a_celery_worker_runs_the_job(settings, broker):
    from celery.contrib.testing.worker import start_worker

    from debitum.jobs.worker import celery_app

    settings.DEBITUM_JOBS = "celery"
    settings.DEBITUM_BROKER_URL = broker
    settings.DEBITUM_JOB_QUEUE = f"debitum-test-{uuid.uuid4().hex}"  # no message of another run
    app = celery_app()
    acme = administration_factory("ACME")
    with start_worker(app, perform_ping_check=False, queues=[settings.DEBITUM_JOB_QUEUE]):
        job = job_submit(administration=acme, kind="tests.double", key="k", params={"n": 50})
        job = _wait_until_finished(job.pk)
        failed = job_submit(administration=acme, kind="tests.crash", key="c", params={})
        failed = _wait_until_finished(failed.pk)
    assert (job.state, job.result["doubled"], job.attempts) == ("done", 100, 1)
    assert (failed.state, failed.error) == ("failed", "RuntimeError: the disk is full")
