"""A job's page: its progress while it runs (htmx asks for the status every second; without
JavaScript the page reloads itself), then its result; and the administration's recent jobs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from debitum.administrations.selectors import membership_get_for_user

from .choices import JobState
from .progress import job_progress_get
from .registry import job_kind_find
from .selectors import job_get, jobs_recent


def job_redirect(request, job) -> HttpResponse:
    """Send the browser to the job's page."""
    return _redirect(
        request,
        reverse(
            "jobs:detail",
            kwargs={"administration_code": job.administration.code, "job_id": job.pk},
        ),
    )


def _redirect(request, url: str) -> HttpResponse:
    """To `url`; for htmx by HX-Redirect, so that the whole page and the address bar follow."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _context(job) -> dict:
    kind = job_kind_find(job.kind)
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
        "summary": kind.summary(job.result or {}) if kind and job.state == JobState.DONE else "",
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
    kind = job_kind_find(job.kind)
    if not job.is_finished or kind is None or kind.done_url is None:
        return None
    return kind.done_url(job)


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
        return _redirect(request, done_url)  # the page that shows the result
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
    rows = [(job, getattr(job_kind_find(job.kind), "label", job.kind)) for job in jobs]
    return render(request, "jobs/job_list.html", {"administration": administration, "rows": rows})
