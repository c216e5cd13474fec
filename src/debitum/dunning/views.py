"""The dunning run page: preview a day, exclude customers or invoices, execute, approve.

Thin: check the membership and role, read the form, call run_services / services, render.
Everyone of the administration sees the page; a controller previews, excludes and executes; a
manager approves or rejects. Another administration's page is a 404, an action above the
user's role a 403.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from debitum.administrations.choices import Role
from debitum.administrations.selectors import membership_get_for_user, role_has_at_least
from debitum.customers.models import Customer
from debitum.jobs.services import job_submit
from debitum.jobs.views import job_redirect
from debitum.ledger.models import Invoice

from .choices import ActionStatus
from .jobs import RUN_JOB
from .models import DunningAction, DunningRun, Exclusion
from .run_services import (
    PREVIEW_JOB,
    PREVIEW_KEY,
    exclusion_add,
    exclusion_remove,
    run_preview,
)
from .services import action_approve, action_reject

RUNS_SHOWN = 30
REQUEST_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# A rejected step pauses the customer this long unless the manager says otherwise (as the CLI).
REJECT_PAUSE = dt.timedelta(days=14)


class DayForm(forms.Form):
    as_of = forms.DateField(
        label=gettext_lazy("Run date"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ExcludeForm(DayForm):
    customer = forms.CharField(max_length=50)
    invoice = forms.CharField(max_length=50, required=False)
    reason = forms.CharField(max_length=500, required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)
    pause_until = forms.DateField(
        label=gettext_lazy("Pause until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def _access(request, code: str, minimum_role: str = Role.VIEWER):
    membership = membership_get_for_user(user=request.user, code=code)
    if not role_has_at_least(membership.role, minimum_role):
        raise PermissionDenied
    return membership


def _page_url(code: str, as_of: dt.date | None = None) -> str:
    url = reverse("dunning:run", kwargs={"administration_code": code})
    return f"{url}?as_of={as_of.isoformat()}" if as_of else url


def _day(request, form: forms.Form) -> dt.date:
    if not form.is_valid():
        raise Http404("bad date")  # only a forged form gets here; the page sends a date
    return form.cleaned_data["as_of"]


@login_required
@require_GET
def run_page(request, administration_code: str) -> HttpResponse:
    """The run of a day (default today): its preview or, once it ran, its decisions; the day's
    exclusions, the steps waiting for approval, the past runs."""
    membership = _access(request, administration_code)
    administration = membership.administration
    form = DayForm(data={"as_of": request.GET.get("as_of") or timezone.localdate().isoformat()})
    context = {
        "administration": administration,
        "form": form,
        "can_execute": role_has_at_least(membership.role, Role.CONTROLLER),
        "can_approve": role_has_at_least(membership.role, Role.MANAGER),
        "request_id": secrets.token_urlsafe(16),
        "runs": DunningRun.objects.filter(administration=administration).order_by("-as_of")[
            :RUNS_SHOWN
        ],
        "waiting": DunningAction.objects.filter(
            administration=administration, status=ActionStatus.AWAITING_APPROVAL
        )
        .select_related("customer", "step", "run")
        .order_by("run__as_of", "customer__number"),
    }
    status = 200
    if form.is_valid():
        as_of = form.cleaned_data["as_of"]
        preview = run_preview(administration=administration, as_of=as_of)
        context.update(
            as_of=as_of,
            preview=preview,
            exclusions=Exclusion.objects.filter(administration=administration, as_of=as_of)
            .select_related("customer", "invoice", "created_by")
            .order_by("customer__number", "invoice__number"),
            skipped_total=sum(preview.result.skipped.values()),
        )
    else:
        status = 400
    return render(request, "dunning/run_page.html", context, status=status)


@login_required
@require_POST
def exclude(request, administration_code: str) -> HttpResponse:
    membership = _access(request, administration_code, Role.CONTROLLER)
    administration = membership.administration
    form = ExcludeForm(request.POST)
    as_of = _day(request, form)
    customer = Customer.objects.filter(
        administration=administration, number=form.cleaned_data["customer"]
    ).first()
    if customer is None:
        raise Http404("No such customer")
    invoice = None
    if form.cleaned_data["invoice"]:
        invoice = Invoice.objects.filter(
            administration=administration,
            customer=customer,
            number=form.cleaned_data["invoice"],
        ).first()
        if invoice is None:
            raise Http404("No such invoice")
    try:
        exclusion_add(
            administration=administration,
            as_of=as_of,
            customer=customer,
            invoice=invoice,
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        if invoice is None:
            text = _("%(customer)s is left out of the run of %(date)s.")
        else:
            text = _("Invoice %(invoice)s of %(customer)s is left out of the run of %(date)s.")
        messages.success(
            request,
            text
            % {
                "customer": customer.name,
                "invoice": invoice.number if invoice else "",
                "date": as_of.isoformat(),
            },
        )
    return redirect(_page_url(administration.code, as_of))


@login_required
@require_POST
def exclusion_undo(request, administration_code: str, exclusion_id: int) -> HttpResponse:
    membership = _access(request, administration_code, Role.CONTROLLER)
    administration = membership.administration
    exclusion = Exclusion.objects.filter(administration=administration, pk=exclusion_id).first()
    if exclusion is None:
        raise Http404("No such exclusion")
    try:
        exclusion_remove(
            administration=administration, exclusion_id=exclusion.pk, actor=request.user
        )
    except ValueError as error:
        messages.error(request, str(error))
    return redirect(_page_url(administration.code, exclusion.as_of))


@login_required
@require_POST
def execute(request, administration_code: str) -> HttpResponse:
    """Decide and carry out the run of the day, as a background job: the browser goes to the
    job's page, which shows its progress and then what was sent."""
    return _day_job(request, administration_code, kind=RUN_JOB, key="dunning")


@login_required
@require_POST
def preview_start(request, administration_code: str) -> HttpResponse:
    """Compute the preview of a day in the background (a large administration's run page):
    the browser follows the job, then comes back to the page with the preview."""
    return _day_job(request, administration_code, kind=PREVIEW_JOB, key=PREVIEW_KEY)


def _day_job(request, administration_code: str, *, kind: str, key: str) -> HttpResponse:
    """A job for the day of the form. The form's `request_id` makes a second click on the same
    page find the same job."""
    membership = _access(request, administration_code, Role.CONTROLLER)
    administration = membership.administration
    as_of = _day(request, DayForm(request.POST))
    request_id = request.POST.get("request_id", "")
    if not REQUEST_ID.match(request_id):
        request_id = secrets.token_urlsafe(16)
    job = job_submit(
        administration=administration,
        kind=kind,
        key=f"{key}:{as_of.isoformat()}:{request_id}",
        params={"as_of": as_of.isoformat()},
        actor=request.user,
    )
    return job_redirect(request, job)


def _waiting_action(administration, action_id: int) -> DunningAction:
    action = (
        DunningAction.objects.select_related("customer", "step", "run")
        .filter(administration=administration, pk=action_id)
        .first()
    )
    if action is None:
        raise Http404("No such action")
    return action


@login_required
@require_POST
def approve(request, administration_code: str, action_id: int) -> HttpResponse:
    membership = _access(request, administration_code, Role.MANAGER)
    administration = membership.administration
    action = _waiting_action(administration, action_id)
    try:
        action = action_approve(action=action, actor=request.user)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("'%(step)s' for %(customer)s approved and carried out.")
            % {"step": action.step.name, "customer": action.customer.name},
        )
    return redirect(_page_url(administration.code, action.run.as_of))


@login_required
@require_POST
def reject(request, administration_code: str, action_id: int) -> HttpResponse:
    membership = _access(request, administration_code, Role.MANAGER)
    administration = membership.administration
    action = _waiting_action(administration, action_id)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A rejection needs its reason."))
        return redirect(_page_url(administration.code, action.run.as_of))
    pause_until = form.cleaned_data["pause_until"] or action.run.as_of + REJECT_PAUSE
    try:
        action_reject(
            action=action,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            pause_until=pause_until,
        )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("'%(step)s' for %(customer)s rejected; dunning paused until %(date)s.")
            % {
                "step": action.step.name,
                "customer": action.customer.name,
                "date": pause_until.isoformat(),
            },
        )
    return redirect(_page_url(administration.code, action.run.as_of))
