"""The imports page: upload a file, see what it would do (or every error by line and column)
before anything is written, then import it; and the history of imported files.

The preview is the import itself run as a dry run (`dry_run=True`: every check, then rolled
back), so what it promises is what the import does. The file waits between the two requests
in DEBITUM_HOME/uploads (uploads.py), named by a token in the form. Both the preview and the
import are background jobs (jobs.py): the browser follows them on the job's page, and comes
back here to see a finished preview (`?preview=<job>`).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from debitum.administrations.choices import Role
from debitum.administrations.selectors import membership_get_for_user, role_has_at_least
from debitum.jobs.choices import JobState
from debitum.jobs.models import Job
from debitum.jobs.selectors import finished_job_for
from debitum.jobs.services import job_submit
from debitum.jobs.views import job_redirect

from .choices import ImportKind
from .jobs import IMPORT_JOB, PREVIEW_JOB
from .models import ImportBatch
from .services import IMPORTERS, ImportResult, RowError
from .uploads import max_upload_bytes, upload_get, upload_store

HISTORY_SHOWN = 50


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if uploaded.size > limit:
            raise forms.ValidationError(
                _(
                    "The file is %(size)s; the limit is %(limit)s. Split it, or import it on the "
                    "server with debitum import."
                )
                % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)}
            )
        return uploaded


def _access(request, code: str, minimum_role: str = Role.VIEWER):
    membership = membership_get_for_user(user=request.user, code=code)
    if not role_has_at_least(membership.role, minimum_role):
        raise PermissionDenied
    return membership


def _page(request, membership, *, form=None, preview=None, status=200) -> HttpResponse:
    administration = membership.administration
    return render(
        request,
        "imports/import_page.html",
        {
            "administration": administration,
            "form": form or UploadForm(),
            "preview": preview,
            "max_bytes": max_upload_bytes(),
            "can_import": role_has_at_least(membership.role, Role.CONTROLLER),
            "batches": ImportBatch.objects.filter(administration=administration)
            .select_related("imported_by")
            .order_by("-imported_at")[:HISTORY_SHOWN],
        },
        status=status,
    )


@login_required
@require_GET
def import_page(request, administration_code: str) -> HttpResponse:
    """The page; with `?preview=<job>`, the finished preview of a file this user uploaded."""
    membership = _access(request, administration_code)
    job = finished_job_for(
        administration=membership.administration,
        user=request.user,
        kind=PREVIEW_JOB,
        job_id=request.GET.get("preview"),
    )
    if job is None:
        return _page(request, membership)
    preview = _preview_from(job)
    return _page(
        request,
        membership,
        form=UploadForm(initial={"kind": preview["kind"]}),
        preview=preview,
    )


def _preview_from(job: Job) -> dict:
    data = job.result or {}
    kind = data.get("kind") or job.params.get("kind", "")
    preview = {
        "job": job,
        "kind": kind,
        "kind_label": ImportKind(kind).label if kind in ImportKind.values else kind,
        "file_name": data.get("file_name") or job.params.get("file_name", ""),
    }
    if job.state == JobState.FAILED:
        preview["errors"] = [RowError(**error) for error in data.get("errors", [])] or [
            RowError(preview["file_name"], None, None, None, job.error)
        ]
        preview["more_errors"] = data.get("more_errors", 0)
        return preview
    header = data["header"]
    preview.update(
        token=data["token"],
        header=header,
        rows=[(line, dict(zip(header, cells, strict=True))) for line, cells in data["rows"]],
        row_count=data["row_count"],
        result=ImportResult(**data["result"]),
    )
    return preview


@login_required
@require_POST
def import_preview(request, administration_code: str) -> HttpResponse:
    """Keep the uploaded file and check it as a background job (the import as a dry run,
    writing nothing); the browser follows the job, then sees the preview on this page."""
    membership = _access(request, administration_code, Role.CONTROLLER)
    administration = membership.administration
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, membership, form=form, status=400)
    kind = form.cleaned_data["kind"]
    upload = upload_store(
        uploaded_file=form.cleaned_data["file"],
        kind=kind,
        administration=administration,
        user=request.user,
    )
    job = job_submit(
        administration=administration,
        kind=PREVIEW_JOB,
        key=f"preview:{upload.token}",
        params={"token": upload.token, "kind": kind, "file_name": upload.file_name},
        actor=request.user,
    )
    return job_redirect(request, job)


@login_required
@require_POST
def import_run(request, administration_code: str) -> HttpResponse:
    """Import the file previewed before (named by its token), as a background job: the
    browser goes to the job's page, which shows its progress and then what it did."""
    membership = _access(request, administration_code, Role.CONTROLLER)
    administration = membership.administration
    page_url = reverse("imports:page", kwargs={"administration_code": administration.code})
    upload = upload_get(
        token=request.POST.get("token", ""), administration=administration, user=request.user
    )
    # A bank statement's upload (banking views) is not one of these imports.
    if upload is None or upload.kind not in IMPORTERS:
        messages.error(request, _("The uploaded file is no longer there; upload it again."))
        return redirect(page_url)
    job = job_submit(
        administration=administration,
        kind=IMPORT_JOB,
        key=f"import:{upload.token}",  # a second click on the same preview finds the same job
        params={"token": upload.token, "kind": upload.kind, "file_name": upload.file_name},
        actor=request.user,
    )
    return job_redirect(request, job)
