"""A job's page: its progress while it runs (htmx asks for the status every second; without
JavaScript the page reloads itself), then its result; and the administration's recent jobs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from debitum.administrations.selectors import membership_get_for_user

from .progress import job_progress_get
from .registry import UnknownJobKind, job_kind_get
from .selectors import job_get, jobs_recent


def _context(job) -> dict:
    try:
        kind = job_kind_get(job.kind)
    except UnknownJobKind:
        kind = None
    back_url = None
    if kind is not None:
        try:
            back_url = reverse(kind.page, kwargs={"administration_code": job.administration.code})
        except NoReverseMatch:
            back_url = None
    return {
        "job": job,
        "kind": kind,
        "label": kind.label if kind else job.kind,
        "summary": kind.summary(job.result or {}) if kind and job.state == "done" else "",
        "result_template": kind.template if kind else None,
        "result": job.result or {},
        "progress": None if job.is_finished else job_progress_get(job.pk),
        "back_url": back_url,
        "seconds": (job.finished_at - job.started_at).total_seconds()
        if job.finished_at and job.started_at
        else None,
    }


def _job(request, administration_code: str, job_id: int):
    """The administration (the user's, else 404) and its job `job_id` (else 404)."""
    administration = membership_get_for_user(
        user=request.user, code=administration_code
    ).administration
    return administration, job_get(administration=administration, job_id=job_id)


def _done_url(job) -> str | None:
    if not job.is_finished:
        return None
    try:
        kind = job_kind_get(job.kind)
    except UnknownJobKind:
        return None
    return kind.done_url(job) if kind.done_url else None


@login_required
@require_GET
def job_page(request, administration_code: str, job_id: int) -> HttpResponse:
    administration, job = _job(request, administration_code, job_id)
    if done_url := _done_url(job):
        return redirect(done_url)
    return render(
        request, "jobs/job_page.html", {"administration": administration, **_context(job)}
    )


@login_required
@require_GET
def job_status(request, administration_code: str, job_id: int) -> HttpResponse:
    """The status fragment htmx polls; it stops polling once the job has finished."""
    administration, job = _job(request, administration_code, job_id)
    if done_url := _done_url(job):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = done_url  # htmx follows it: the page shows the result
        return response
    return render(
        request, "jobs/_job_status.html", {"administration": administration, **_context(job)}
    )


@login_required
@require_GET
def job_list(request, administration_code: str) -> HttpResponse:
    administration = membership_get_for_user(
        user=request.user, code=administration_code
    ).administration
    jobs = jobs_recent(administration=administration)
    rows = []
    for job in jobs:
        try:
            label = job_kind_get(job.kind).label
        except UnknownJobKind:
            label = job.kind
        rows.append((job, label))
    return render(request, "jobs/job_list.html", {"administration": administration, "rows": rows})
