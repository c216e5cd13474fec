"""Asking for background work: `job_submit` keeps a job and hands it to whoever runs jobs.

DEBITUM_JOBS says who that is:
- "thread" (the embedded default): a thread of the process that asked (`debitum serve`), one
  job at a time; waiting jobs are taken up again when the server starts.
- "celery": a Celery worker (`debitum worker`) through the broker DEBITUM_BROKER_URL.
- "eager": at once, in the caller (tests, and scripts that want the result).
The job is handed over when the transaction that made it commits, so a worker never looks
for a job that is not there yet.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from debitum.audit.services import audit_record

from .choices import JobState
from .models import Job
from .registry import job_kind_get
from .runner import claimable, job_run, job_run_in_thread

logger = logging.getLogger(__name__)
_executor: concurrent.futures.ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _thread_pool() -> concurrent.futures.ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=settings.DEBITUM_JOB_THREADS, thread_name_prefix="debitum-job"
            )
        return _executor


def _log_failure(future: concurrent.futures.Future) -> None:
    if future.exception() is not None:  # the runner keeps the work's failures: this is its own
        logger.error("the job runner failed", exc_info=future.exception())


def job_dispatch(job_id: int) -> None:
    """Hand job `job_id` to the runner DEBITUM_JOBS names."""
    mode = settings.DEBITUM_JOBS
    if mode == "eager":
        job_run(job_id)
    elif mode == "thread":
        _thread_pool().submit(job_run_in_thread, job_id).add_done_callback(_log_failure)
    else:
        from .worker import job_send

        job_send(job_id)


def job_submit(*, administration, kind: str, key: str, params: dict, actor=None) -> Job:
    """Keep a job of `kind` and hand it over (after commit). Asking again with the same `key`
    returns the job of the first time, unless that one failed: then it is tried again."""
    job_kind_get(kind)  # an unknown kind fails here, not in the worker
    user = actor if actor is not None and actor.pk else None
    language = translation.get_language() or settings.LANGUAGE_CODE
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(administration=administration, key=key).first()
        if job is not None and job.state != JobState.FAILED:
            return job
        if job is not None:
            job.state, job.result, job.error = JobState.QUEUED, None, ""
            job.params, job.created_by, job.finished_at = params, user, None
            job.language = language
            job.save(
                update_fields=[
                    "state",
                    "result",
                    "error",
                    "params",
                    "created_by",
                    "finished_at",
                    "language",
                ]
            )
        else:
            try:
                with transaction.atomic():
                    job = Job.objects.create(
                        administration=administration,
                        kind=kind,
                        key=key,
                        params=params,
                        created_by=user,
                        language=language,
                    )
            except IntegrityError:  # the same work asked for at the same moment
                return Job.objects.get(administration=administration, key=key)
        audit_record(
            administration=administration,
            actor=actor,
            action="job.submit",
            obj=job,
            summary=f"{kind} job #{job.pk} asked for",
        )
    if settings.DEBITUM_JOBS == "eager":
        job_dispatch(job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: job_dispatch(job.pk))
    return job


def jobs_resume() -> int:
    """Hand over again the jobs that wait (a server stopped before it ran them); returns how
    many. The thread runner calls it when `debitum serve` starts."""
    waiting = list(
        Job.objects.filter(claimable(timezone.now())).order_by("pk").values_list("pk", flat=True)
    )
    for job_id in waiting:
        job_dispatch(job_id)
    return len(waiting)
