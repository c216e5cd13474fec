from __future__ import annotations

from django.http import Http404

from .choices import FINISHED
from .models import Job

RECENT_SHOWN = 50


def job_get(*, administration, job_id: int) -> Job:
    """The job `job_id` of `administration`, else 404 (another administration's job too)."""
    job = (
        Job.objects.select_related("created_by")
        .filter(administration=administration, pk=job_id)
        .first()
    )
    if job is None:
        raise Http404("No such job")
    return job


def jobs_recent(*, administration, limit: int = RECENT_SHOWN) -> list[Job]:
    return list(
        Job.objects.filter(administration=administration)
        .select_related("created_by")
        .order_by("-created_at", "-pk")[:limit]
    )


def finished_job_for(*, administration, user, kind: str, job_id) -> Job | None:
    """The finished job `job_id` of `kind` that `user` asked for in `administration`, else
    None (a page that shows a job's result, such as a preview, shows it to its asker only)."""
    try:
        job_id = int(job_id)
    except (TypeError, ValueError):
        return None
    return Job.objects.filter(
        administration=administration,
        pk=job_id,
        kind=kind,
        created_by=user,
        state__in=FINISHED,
    ).first()
