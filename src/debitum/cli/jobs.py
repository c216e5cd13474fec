"""`debitum worker` (a Celery worker for the background jobs) and `debitum jobs list|run`."""

from __future__ import annotations

import json

from .common import EXIT_FAILED, EXIT_OK, CommandError, administration_by_code


def cmd_worker(args) -> int:
    from django.conf import settings

    from debitum.jobs.worker import celery_app

    if not settings.DEBITUM_BROKER_URL:
        raise CommandError(
            "DEBITUM_BROKER_URL is not set: e.g. DEBITUM_BROKER_URL=redis://127.0.0.1:6379/0 "
            "(without a broker, `debitum serve` runs the jobs itself)"
        )
    argv = ["worker", f"--loglevel={args.loglevel}", f"--concurrency={args.concurrency}"]
    argv.append(f"--queues={settings.DEBITUM_JOB_QUEUE}")
    celery_app().worker_main(argv)
    return EXIT_OK


def _row(job) -> dict:
    return {
        "id": job.pk,
        "kind": job.kind,
        "state": job.state,
        "created_at": job.created_at.isoformat(),
        "created_by": job.created_by.get_username() if job.created_by else None,
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "attempts": job.attempts,
        "error": job.error,
        "result": job.result,
    }


def cmd_jobs_list(args) -> int:
    from debitum.jobs.selectors import jobs_recent

    jobs = jobs_recent(administration=administration_by_code(args.administration), limit=args.limit)
    rows = [_row(job) for job in jobs]
    if args.format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    for row in rows:
        print(
            f"#{row['id']:<6} {row['kind']:<20} {row['state']:<8} {row['created_at'][:19]}  "
            f"{row['created_by'] or '':<12} {row['error']}"
        )
    if not rows:
        print("no jobs")
    return EXIT_OK


def cmd_jobs_run(args) -> int:
    """Run the waiting jobs of an administration here and now (no worker, no server)."""
    from debitum.jobs.models import Job
    from debitum.jobs.runner import job_run

    administration = administration_by_code(args.administration)
    waiting = Job.objects.filter(administration=administration, state="queued").order_by("pk")
    failed = 0
    for job_id in waiting.values_list("pk", flat=True):
        job_run(job_id)
        job = Job.objects.get(pk=job_id)
        failed += job.state == "failed"
        print(f"#{job.pk} {job.kind}: {job.state}" + (f": {job.error}" if job.error else ""))
    return EXIT_FAILED if failed else EXIT_OK


def register(commands) -> None:
    worker = commands.add_parser(
        "worker", help="run a Celery worker for the background jobs (DEBITUM_BROKER_URL)"
    )
    worker.add_argument("--concurrency", type=int, default=2, help="jobs at once (default 2)")
    worker.add_argument("--loglevel", default="INFO")
    worker.set_defaults(handler=cmd_worker)

    jobs = commands.add_parser("jobs", help="background jobs: list, run the waiting ones")
    sub = jobs.add_subparsers(dest="jobs_command", required=True)
    listing = sub.add_parser("list", help="the latest jobs of an administration")
    listing.add_argument("--administration", required=True)
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--format", choices=["text", "json"], default="text")
    listing.set_defaults(handler=cmd_jobs_list)
    run = sub.add_parser("run", help="run the waiting jobs of an administration in this process")
    run.add_argument("--administration", required=True)
    run.set_defaults(handler=cmd_jobs_run)
