"""Running one job: claim it, do its work, keep the result. Safe to call twice or from two
workers at once: only the call that moves the job from waiting to running does the work.

A job that has been running for longer than DEBITUM_JOB_STALE_SECONDS is taken to have died
with its worker (a Celery message is delivered again after a lost worker, see worker.py) and
may be claimed again. The work itself is idempotent (an import of the same file, the run of a
day that has run), so running it a second time after a crash completes it without doing
anything twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.db.models import F, Q
from django.utils import timezone, translation

from .choices import JobState
from .models import Job
from .progress import ProgressReporter, job_progress_clear
from .registry import JobFailed, job_kind_get

logger = logging.getLogger(__name__)


def claimable(now) -> Q:
    """The jobs a runner may take at `now`: waiting, or running for longer than
    DEBITUM_JOB_STALE_SECONDS (their worker died)."""
    stale = now - dt.timedelta(seconds=settings.DEBITUM_JOB_STALE_SECONDS)
    return Q(state=JobState.QUEUED) | Q(state=JobState.RUNNING, started_at__lt=stale)


def _claim(job_id: int) -> bool:
    now = timezone.now()
    return bool(
        Job.objects.filter(claimable(now), pk=job_id).update(
            state=JobState.RUNNING, started_at=now, attempts=F("attempts") + 1
        )
    )


def _finish(job_id: int, *, state: str, result: dict | None, error: str = "") -> None:
    Job.objects.filter(pk=job_id).update(
        state=state, result=result, error=error, finished_at=timezone.now()
    )


def job_run(job_id: int) -> bool:
    """Do the work of job `job_id` if it is waiting (or stale). Returns whether this call did
    it. Never raises for the work's own failure: that is kept on the job."""
    if not _claim(job_id):
        return False
    job = Job.objects.select_related("administration", "created_by").get(pk=job_id)
    try:
        kind = job_kind_get(job.kind)
        # Messages of the work (an import's errors) are in the language of whoever asked.
        with translation.override(job.language or settings.LANGUAGE_CODE):
            result = kind.run(
                administration=job.administration,
                params=job.params,
                actor=job.created_by,
                progress=ProgressReporter(job.pk),
            )
    except JobFailed as failed:
        _finish(job.pk, state=JobState.FAILED, result=failed.result, error=failed.message)
    except Exception as error:  # the job keeps the failure; the log keeps the traceback
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(
            job.pk, state=JobState.FAILED, result=None, error=f"{type(error).__name__}: {error}"
        )
    else:
        _finish(job.pk, state=JobState.DONE, result=result)
    finally:
        job_progress_clear(job.pk)
    return True


THREAD_RETRIES = 8


def job_run_in_thread(job_id: int, *, sleep=time.sleep) -> None:
    """job_run in a thread of its own, with a database connection of its own, closed after.
    A database that is not there for a moment (locked, restarting) is tried again with a
    growing pause, as the Celery task does; the job waits meanwhile."""
    try:
        for attempt in range(THREAD_RETRIES):
            close_old_connections()
            try:
                job_run(job_id)
                return
            except (OperationalError, InterfaceError):
                if attempt == THREAD_RETRIES - 1:
                    raise
                connections.close_all()
                sleep(min(0.1 * 2**attempt, 10))
    finally:
        connections.close_all()
