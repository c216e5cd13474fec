"""The Celery side of Debitum: one task, `debitum.jobs.run`, that runs a job by its id.

The broker is DEBITUM_BROKER_URL (redis://127.0.0.1:6379/0 or amqp://guest:guest@127.0.0.1//);
`debitum worker` starts a worker on the queue DEBITUM_JOB_QUEUE. A message is acknowledged
after the job ran (acks_late), so a worker that dies half-way leaves it to the next one, and a
message delivered twice does the work once (runner.py claims the job).
"""

from __future__ import annotations

from celery import Celery
from django.db import InterfaceError, OperationalError

TASK = "debitum.jobs.run"
_apps: dict[tuple[str, str], Celery] = {}


def _run(job_id: int) -> None:
    from .runner import job_run

    job_run(job_id)


def _make(broker_url: str, queue: str, time_zone: str) -> Celery:
    app = Celery("debitum", set_as_current=False)
    app.conf.update(
        broker_url=broker_url,
        task_default_queue=queue,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=10,
        worker_hijack_root_logger=False,
        timezone=time_zone,
    )
    app.task(
        name=TASK,
        # The database was not there for a moment (a restart, a lock): the job stays waiting
        # and the message comes back later, up to about an hour in all.
        autoretry_for=(OperationalError, InterfaceError),
        retry_backoff=2,
        retry_backoff_max=600,
        max_retries=12,
    )(_run)
    return app


def celery_app() -> Celery:
    """The Celery app for the configured broker and queue (one per process)."""
    from django.conf import settings

    key = (settings.DEBITUM_BROKER_URL, settings.DEBITUM_JOB_QUEUE)
    if key not in _apps:
        _apps[key] = _make(*key, settings.TIME_ZONE)
    return _apps[key]


def job_send(job_id: int) -> None:
    celery_app().send_task(TASK, args=[job_id])
