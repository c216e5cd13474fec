"""The Celery app of Debitum: one task, `debitum.jobs.run`, that runs a job by its id.

The broker is DEBITUM_BROKER_URL (redis://127.0.0.1:6379/0 or amqp://guest:guest@127.0.0.1//);
`debitum worker` starts a worker. A message is acknowledged after the job ran (acks_late), so
a worker that dies half-way leaves it to the next one, and a message delivered twice does the
work once (runner.py claims the job).
"""

from __future__ import annotations

from celery import Celery

app = Celery("debitum")


def configure(app: Celery = app) -> Celery:
    from django.conf import settings

    app.conf.update(
        broker_url=settings.DEBITUM_BROKER_URL,
        task_default_queue=settings.DEBITUM_JOB_QUEUE,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        timezone=settings.TIME_ZONE,
    )
    return app


@app.task(name="debitum.jobs.run")
def run_job_task(job_id: int) -> None:
    from .runner import job_run

    job_run(job_id)
