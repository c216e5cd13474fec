"""Background jobs: what a long request asked for (a dunning run with `background: true`) and
how far it is. The same jobs as the web pages' (docs/jobs.md)."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from debitum.jobs.models import Job
from debitum.jobs.progress import job_progress_get

from .auth import administration_for
from .errors import READ_ERRORS

router = Router(tags=["jobs"])


class ProgressOut(Schema):
    phase: str
    done: int
    total: int


class JobOut(Schema):
    id: int
    kind: str = Field(description="imports.file, imports.preview, banking.statement, "
                      "banking.statement_preview, dunning.preview, dunning.execute")  # fmt: skip
    state: str = Field(description="queued, running, done or failed")
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    progress: ProgressOut | None = Field(description="while it runs: the phase and how far")
    result: dict | None = Field(description="when done: what it did (per kind); when failed: "
                                "what the user can act on")  # fmt: skip
    error: str = Field(description="why it failed; empty otherwise")


def progress_out(progress) -> dict:
    return {"phase": progress.phase, "done": progress.done, "total": progress.total}


def job_out(job: Job) -> dict:
    progress = None if job.is_finished else job_progress_get(job.pk)
    return {
        "id": job.pk,
        "kind": job.kind,
        "state": job.state,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "progress": None if progress is None else progress_out(progress),
        "result": job.result,
        "error": job.error,
    }


@router.get("/{code}/jobs/{job_id}", response={200: JobOut, **READ_ERRORS})
def job_get(request, code: str, job_id: int):
    """A background job of the administration: its state, its progress while it runs, its
    result when done. Poll it (a second apart is plenty) until `state` is done or failed."""
    administration = administration_for(request, code)
    return job_out(get_object_or_404(Job, administration=administration, pk=job_id))
