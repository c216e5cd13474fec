"""The reconciliation queue and the statement upload.

Thin: check the membership and role, read the form, call the selector or service, render a
page or, for htmx, the one line that changed. Every member of the administration sees both
pages; a controller (or more) confirms, splits and sets entries aside and imports statements
(403 below that); another administration's page, entry or upload is a 404, as for what does
not exist. Without JavaScript every action is a plain form: POST, then back to the page.

The statement upload follows the imports page (imports/views.py): the preview is the import
itself as a dry run, the file waits between the two requests in DEBITUM_HOME/uploads under a
token, the size limit is the imports' (DEBITUM_IMPORT_MAX_BYTES), and the import itself is a
background job (jobs.py) that the browser follows on the job's page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from debitum.administrations.choices import Role
from debitum.administrations.selectors import membership_get_for_user, role_has_at_least
from debitum.common.templatetags.money import money
from debitum.imports.uploads import max_upload_bytes, upload_get, upload_store
from debitum.jobs.choices import JobState
from debitum.jobs.selectors import finished_job_for
from debitum.jobs.services import job_submit
from debitum.jobs.views import job_redirect

from .choices import OPEN_OUTCOMES, MatchOutcome
from .forms import IgnoreForm, SplitForm, StatementUploadForm
from .jobs import PREVIEW_ENTRIES, PREVIEW_JOB, STATEMENT_JOB, UPLOAD_KIND
from .models import StatementEntry
from .queue_selectors import queue_lines, statement_history
from .reconcile_services import entry_confirm, entry_ignore
from .selectors import entry_current_decision, queue_count, reconciliation_queue
from .statement_results import result_from_data

PAGE_SIZE = 50
HISTORY_SHOWN = 30


def _is_htmx(request) -> bool:
    return "HX-Request" in request.headers and "HX-History-Restore-Request" not in request.headers


def _access(request, code: str, minimum_role: str = Role.VIEWER):
    membership = membership_get_for_user(user=request.user, code=code)
    if not role_has_at_least(membership.role, minimum_role):
        raise PermissionDenied
    return membership


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _queue_url(administration) -> str:
    return reverse("banking:queue", kwargs={"administration_code": administration.code})


# --- the queue -----------------------------------------------------------------------------


@login_required
@require_GET
def queue_page(request, administration_code: str) -> HttpResponse:
    """The entries that wait for a person, oldest first, 50 a page (keyset on the entry)."""
    membership = _access(request, administration_code)
    administration = membership.administration
    after = _int(request.GET.get("after"))
    decisions = reconciliation_queue(
        administration=administration, after_entry_id=after, limit=PAGE_SIZE
    )
    return render(
        request,
        "banking/queue.html",
        {
            "administration": administration,
            "lines": queue_lines(administration=administration, decisions=decisions),
            "waiting": queue_count(administration=administration),
            "can_act": role_has_at_least(membership.role, Role.CONTROLLER),
            "next_after": decisions[-1].entry_id if len(decisions) == PAGE_SIZE else None,
            "is_next_page": after is not None,
        },
    )


def _entry(administration, entry_id: int) -> StatementEntry:
    entry = (
        StatementEntry.objects.select_related("statement")
        .filter(administration=administration, pk=entry_id)
        .first()
    )
    if entry is None:
        raise Http404("No such entry")
    return entry


def _line(administration, entry):
    decision = entry_current_decision(entry=entry)
    if decision is None:
        raise Http404("The entry has no decision")
    decision.entry = entry
    (line,) = queue_lines(administration=administration, decisions=[decision])
    return line


def _render_line(
    request, membership, line, *, error="", split_form=None, ignore_form=None, count=None
):
    response = render(
        request,
        "banking/_line.html",
        {
            "administration": membership.administration,
            "line": line,
            "can_act": role_has_at_least(membership.role, Role.CONTROLLER),
            "error": error,
            "split_form": split_form,
            "ignore_form": ignore_form,
            # After an action, the count in the tab follows (an htmx out-of-band swap).
            "count_now": count,
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def _decided_already(line) -> str:
    return _("This entry was decided already (%(outcome)s); nothing was changed.") % {
        "outcome": str(MatchOutcome(line.decision.outcome).label).lower()
    }


def _done(request, membership, entry, *, message: str = "", error: str = "") -> HttpResponse:
    """After an action: htmx gets the line as it is now; a plain form goes back to the queue
    with the message."""
    if _is_htmx(request):
        administration = membership.administration
        return _render_line(
            request,
            membership,
            _line(administration, entry),
            error=error,
            count=queue_count(administration=administration),
        )
    if error:
        messages.error(request, error)
    elif message:
        messages.success(request, message)
    return redirect(_queue_url(membership.administration))


def _what(entry) -> str:
    return _("The entry of %(date)s (%(currency)s %(amount)s)") % {
        "date": date_format(entry.booking_date, "SHORT_DATE_FORMAT"),
        "currency": entry.currency,
        "amount": money(entry.amount),
    }


def _confirmed_message(entry, decision) -> str:
    if decision.invoices:
        return _("%(entry)s is matched to %(customer)s: %(invoices)s.") % {
            "entry": _what(entry),
            "customer": decision.customer.number,
            "invoices": ", ".join(f"{i['number']} {money(i['amount'])}" for i in decision.invoices),
        }
    return _("%(entry)s is booked on the account of %(customer)s.") % {
        "entry": _what(entry),
        "customer": decision.customer.number,
    }


@login_required
@require_GET
def entry_line(request, administration_code: str, entry_id: int) -> HttpResponse:
    """One line of the queue as it is now (htmx: a form closed again)."""
    membership = _access(request, administration_code)
    entry = _entry(membership.administration, entry_id)
    if not _is_htmx(request):
        return redirect(_queue_url(membership.administration))
    return _render_line(request, membership, _line(membership.administration, entry))


@login_required
@require_POST
def entry_confirm_view(request, administration_code: str, entry_id: int) -> HttpResponse:
    """One click: apply the entry as its proposal (`suggestion` 0) or another suggestion says."""
    membership = _access(request, administration_code, Role.CONTROLLER)
    entry = _entry(membership.administration, entry_id)
    line = _line(membership.administration, entry)
    if not line.is_open:
        return _done(request, membership, entry, error=_decided_already(line))
    try:
        decision = entry_confirm(
            entry=entry,
            use_suggestion=_int(request.POST.get("suggestion")) or 0,
            actor=request.user,
        )
    except ValidationError as error:
        return _done(request, membership, entry, error=" ".join(error.messages))
    return _done(request, membership, entry, message=_confirmed_message(entry, decision))


@login_required
@require_http_methods(["GET", "POST"])
def entry_split(request, administration_code: str, entry_id: int) -> HttpResponse:
    """GET: the split form (prefilled from the proposal; `?customer=` and the lines typed so
    far when the customer changes or a line is added). POST: apply the entry to the invoices
    and amounts named; errors come back next to their line."""
    membership = _access(request, administration_code, Role.CONTROLLER)
    administration = membership.administration
    entry = _entry(administration, entry_id)
    line = _line(administration, entry)
    if not line.is_open:
        return _done(request, membership, entry, error=_decided_already(line))
    status = 200
    if request.method == "POST":
        form = SplitForm(request.POST, administration=administration, line=line)
        if form.is_valid():
            try:
                decision = entry_confirm(
                    entry=entry,
                    customer_number=form.chosen_customer.number,
                    allocations=form.allocations,
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                return _done(
                    request, membership, entry, message=_confirmed_message(entry, decision)
                )
        status = 200 if _is_htmx(request) else 400
    else:
        form = SplitForm(
            administration=administration, line=line, **_split_initial(request.GET, line)
        )
    if _is_htmx(request):
        response = _render_line(request, membership, line, split_form=form)
        response.status_code = status
        return response
    return render(
        request,
        "banking/entry_split.html",
        {
            "administration": administration,
            "line": line,
            "can_act": True,
            "split_form": form,
        },
        status=status,
    )


def _split_initial(query, line) -> dict:
    """What the split form starts with: the proposal, or what the person typed so far."""
    proposal = line.proposal
    proposed_customer = proposal.customer.number if proposal and proposal.customer else ""
    if "customer" not in query:
        lines = [(i.number, i.amount) for i in proposal.invoices] if proposal else []
        return {"initial": {"customer": proposed_customer, "lines": lines}}
    rows = max(0, min(_int(query.get("rows")) or 0, 30))
    lines = [
        (query.get(f"invoice_{index}", ""), query.get(f"amount_{index}", ""))
        for index in range(rows)
    ]
    lines = [(number, amount) for number, amount in lines if number or amount]
    customer = query.get("customer", "").strip()
    if customer == proposed_customer and not lines and proposal:
        lines = [(i.number, i.amount) for i in proposal.invoices]
    # "Add a line" asks for one empty line more than the form has.
    grown = rows + 1 if query.get("add") else 0
    return {
        "initial": {"customer": customer, "lines": lines},
        "rows": max(len(lines) + 2, grown),
    }


@login_required
@require_POST
def entry_ignore_view(request, administration_code: str, entry_id: int) -> HttpResponse:
    """Set the entry aside: not a customer payment (with an optional note)."""
    membership = _access(request, administration_code, Role.CONTROLLER)
    entry = _entry(membership.administration, entry_id)
    line = _line(membership.administration, entry)
    if not line.is_open:
        return _done(request, membership, entry, error=_decided_already(line))
    form = IgnoreForm(request.POST)
    if not form.is_valid():
        if _is_htmx(request):
            return _render_line(request, membership, line, ignore_form=form)
        return _done(request, membership, entry, error=" ".join(form.errors.get("note", [])))
    try:
        entry_ignore(entry=entry, note=form.cleaned_data["note"], actor=request.user)
    except ValidationError as error:
        return _done(request, membership, entry, error=" ".join(error.messages))
    return _done(
        request,
        membership,
        entry,
        message=_("%(entry)s is set aside: not a customer payment.") % {"entry": _what(entry)},
    )


# --- the statement upload ------------------------------------------------------------------


def _statements_page(request, membership, *, form=None, preview=None, status=200):
    administration = membership.administration
    before = _int(request.GET.get("before"))
    statements = statement_history(
        administration=administration, before_id=before, limit=HISTORY_SHOWN
    )
    return render(
        request,
        "banking/statements.html",
        {
            "administration": administration,
            "form": form or StatementUploadForm(),
            "preview": preview,
            "max_bytes": max_upload_bytes(),
            "can_import": role_has_at_least(membership.role, Role.CONTROLLER),
            "statements": statements,
            "next_before": statements[-1].pk if len(statements) == HISTORY_SHOWN else None,
            "waiting": queue_count(administration=administration),
        },
        status=status,
    )


def _preview(result, outcomes) -> dict:
    """The dry run's statements with the entries its job kept (the first PREVIEW_ENTRIES);
    `outcomes` counts all the entries of the file."""
    shown = [(statement, statement.entries) for statement in result.statements]
    return {
        "result": result,
        "statements": shown,
        "entry_count": sum(outcomes.values()),
        "outcomes": [(value, outcomes[value]) for value in MatchOutcome.values if outcomes[value]],
        "waiting": sum(outcomes[value] for value in OPEN_OUTCOMES),
        "shown_limit": PREVIEW_ENTRIES,
    }


@login_required
@require_GET
def statements_page(request, administration_code: str) -> HttpResponse:
    """The page; with `?preview=<job>`, the finished preview of a file this user uploaded."""
    membership = _access(request, administration_code)
    job = finished_job_for(
        administration=membership.administration,
        user=request.user,
        kind=PREVIEW_JOB,
        job_id=request.GET.get("preview"),
    )
    if job is None:
        return _statements_page(request, membership)
    data = job.result or {}
    preview = {"job": job, "file_name": data.get("file_name") or job.params.get("file_name")}
    if job.state == JobState.FAILED:
        preview["error"] = data.get("error") or {
            "file_name": preview["file_name"],
            "where": "",
            "message": job.error,
        }
    else:
        result, outcomes = result_from_data(data["result"])
        preview.update(_preview(result, outcomes), token=data["token"])
    return _statements_page(
        request,
        membership,
        form=StatementUploadForm(initial={"mapping": job.params.get("mapping", "")}),
        preview=preview,
    )


@login_required
@require_POST
def statements_preview(request, administration_code: str) -> HttpResponse:
    """Keep the uploaded bank file and check it as a background job (the import as a dry
    run, writing nothing); the browser follows the job, then sees the preview on this page."""
    membership = _access(request, administration_code, Role.CONTROLLER)
    administration = membership.administration
    form = StatementUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _statements_page(request, membership, form=form, status=400)
    preset = form.cleaned_data["mapping"]
    upload = upload_store(
        uploaded_file=form.cleaned_data["file"],
        kind=f"{UPLOAD_KIND}:{preset}",
        administration=administration,
        user=request.user,
    )
    job = job_submit(
        administration=administration,
        kind=PREVIEW_JOB,
        key=f"statement-preview:{upload.token}",
        params={"token": upload.token, "file_name": upload.file_name, "mapping": preset},
        actor=request.user,
    )
    return job_redirect(request, job)


@login_required
@require_POST
def statements_run(request, administration_code: str) -> HttpResponse:
    """Import the bank file previewed before (named by its token), as a background job: the
    browser goes to the job's page, which shows its progress and then the outcomes."""
    membership = _access(request, administration_code, Role.CONTROLLER)
    administration = membership.administration
    page_url = reverse("banking:statements", kwargs={"administration_code": administration.code})
    upload = upload_get(
        token=request.POST.get("token", ""), administration=administration, user=request.user
    )
    kind, _sep, preset = (upload.kind if upload else "").partition(":")
    if upload is None or kind != UPLOAD_KIND:
        messages.error(request, _("The uploaded file is no longer there; upload it again."))
        return redirect(page_url)
    job = job_submit(
        administration=administration,
        kind=STATEMENT_JOB,
        key=f"statement:{upload.token}",  # a second click on the same preview: the same job
        params={"token": upload.token, "file_name": upload.file_name, "mapping": preset},
        actor=request.user,
    )
    return job_redirect(request, job)
