"""Jobs: asked for once, run once, their outcome kept; the page that follows them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from debitum.administrations.tests.factories import (
    administration_factory,
    membership_factory,
    user_factory,
)
from debitum.audit.models import AuditEvent
from debitum.jobs.models import Job
from debitum.jobs.progress import ProgressReporter, job_progress_get
from debitum.jobs.registry import UnknownJobKind
from debitum.jobs.runner import job_run
from debitum.jobs.services import job_submit

from . import kinds  # noqa: F401 - registers the tests' job kinds

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme():
    return administration_factory("ACME")


def test_a_job_runs_once_and_keeps_its_result(acme):
    anna = user_factory("anna")
    job = job_submit(
        administration=acme, kind="tests.double", key="k1", params={"n": 21}, actor=anna
    )
    assert (job.state, job.result, job.attempts) == (
        "done",
        {"administration": "ACME", "doubled": 42},
        1,
    )
    assert job.started_at <= job.finished_at and job.created_by == anna
    # Asked again with the same key: the same job, not run again.
    again = job_submit(administration=acme, kind="tests.double", key="k1", params={"n": 1})
    assert (again.pk, again.result["doubled"], again.attempts) == (job.pk, 42, 1)
    # Running it by hand (a message delivered twice) does nothing either.
    assert job_run(job.pk) is False
    assert Job.objects.count() == 1
    event = AuditEvent.objects.get(action="job.submit")
    assert (event.administration, event.actor, event.object_id) == (acme, anna, str(job.pk))


def test_a_failure_the_user_can_act_on_is_kept_and_a_new_try_runs_again(acme):
    job = job_submit(administration=acme, kind="tests.refuse", key="k", params={})
    assert (job.state, job.error, job.result) == ("failed", "line 2 is wrong", {"line": 2})
    retried = job_submit(administration=acme, kind="tests.refuse", key="k", params={})
    assert (retried.pk, retried.attempts) == (job.pk, 2)


def test_a_crash_is_kept_on_the_job_and_logged(acme, caplog):
    job = job_submit(administration=acme, kind="tests.crash", key="k", params={})
    assert (job.state, job.error) == ("failed", "RuntimeError: the disk is full")
    assert f"job {job.pk} (tests.crash) failed" in caplog.text


def test_an_unknown_kind_is_refused_when_asked_for(acme):
    with pytest.raises(UnknownJobKind, match="no job kind 'tests.nothing'"):
        job_submit(administration=acme, kind="tests.nothing", key="k", params={})
    assert not Job.objects.exists()


def test_a_running_job_is_left_alone_until_it_is_stale(acme, settings):
    job = Job.objects.create(
        administration=acme,
        kind="tests.double",
        key="k",
        params={"n": 2},
        state="running",
        started_at=timezone.now(),
    )
    assert job_run(job.pk) is False  # another worker has it
    settings.DEBITUM_JOB_STALE_SECONDS = 60
    Job.objects.filter(pk=job.pk).update(started_at=timezone.now() - dt.timedelta(minutes=2))
    assert job_run(job.pk) is True  # its worker died: the work is done again, once
    job.refresh_from_db()
    assert (job.state, job.result["doubled"], job.attempts) == ("done", 4, 1)


def test_the_progress_is_written_at_most_twice_a_second_and_at_each_phase(acme):
    job = Job.objects.create(administration=acme, kind="tests.double", key="k", params={})
    now = [100.0]
    progress = ProgressReporter(job.pk, clock=lambda: now[0])
    progress("reading", 1, 10)
    progress("reading", 2, 10)  # 0 s later: not written
    assert job_progress_get(job.pk).done == 1
    now[0] += 0.6
    progress("reading", 3, 10)
    assert (job_progress_get(job.pk).done, job_progress_get(job.pk).percent) == (3, 30)
    progress("matching", 0, 4)  # a new phase is always written
    assert job_progress_get(job.pk).phase == "matching"
    progress("matching", 4, 4)  # and the end of one
    assert job_progress_get(job.pk).percent == 100


def _login(client, administration, role="viewer", name="vera"):
    user = user_factory(name)
    membership_factory(user, administration, role)
    client.force_login(user)
    return user


def test_the_page_of_a_running_job_polls_and_shows_its_progress(client, acme):
    _login(client, acme)
    job = Job.objects.create(
        administration=acme,
        kind="tests.double",
        key="k",
        params={},
        state="running",
        started_at=timezone.now(),
    )
    ProgressReporter(job.pk)("matching", 250, 1000)
    body = client.get(f"/jobs/ACME/{job.pk}/").content.decode()
    assert f'hx-get="/jobs/ACME/{job.pk}/status/"' in body and 'hx-trigger="every 1s"' in body
    assert "matching: 250 / 1000" in body and 'value="25"' in body
    assert '<meta http-equiv="refresh" content="2">' in body  # without JavaScript


def test_the_page_of_a_finished_job_says_what_it_did_and_stops_polling(client, acme):
    _login(client, acme)
    job = job_submit(administration=acme, kind="tests.double", key="k", params={"n": 5})
    status = client.get(f"/jobs/ACME/{job.pk}/status/").content.decode()
    assert 'data-state="done"' in status and "doubled: 10" in status
    assert "hx-trigger" not in status
    failed = job_submit(administration=acme, kind="tests.refuse", key="r", params={})
    body = client.get(f"/jobs/ACME/{failed.pk}/").content.decode()
    assert 'data-testid="job-error"' in body and "line 2 is wrong" in body
    listing = client.get("/jobs/ACME/").content.decode()
    assert (
        f'href="/jobs/ACME/{job.pk}/"' in listing and f'href="/jobs/ACME/{failed.pk}/"' in listing
    )


def test_another_administrations_job_is_not_found(client, acme):
    beta = administration_factory("BETA")
    job = job_submit(administration=beta, kind="tests.double", key="k", params={"n": 1})
    _login(client, acme)
    assert client.get(f"/jobs/ACME/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/ACME/{job.pk}/status/").status_code == 404
    assert client.get(f"/jobs/BETA/{job.pk}/").status_code == 404
    assert client.get("/jobs/BETA/").status_code == 404
    assert f"/jobs/ACME/{job.pk}/" not in client.get("/jobs/ACME/").content.decode()


def test_the_page_in_dutch(client, acme):
    user = _login(client, acme)
    job = job_submit(administration=acme, kind="tests.refuse", key="k", params={}, actor=user)
    body = client.get(f"/jobs/ACME/{job.pk}/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Mislukt" in body and "Alle achtergrondtaken" in body
