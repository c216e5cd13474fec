"""The work list, the customer dossier and the actions on a customer. Thin: check access, read
the form, call the selector or service, render a page or an htmx fragment.

Access: a member of the administration with any role reads (404 for everyone else, as for
data that does not exist); an action needs its role (403 below it): controllers work the
customers, managers also approve, assign and write off, administrators do everything.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from debitum.administrations.choices import ROLE_RANK, Role
from debitum.administrations.models import Membership
from debitum.administrations.selectors import administration_get_for_user
from debitum.customers.choices import Segment
from debitum.customers.models import Customer
from debitum.disputes.models import Dispute
from debitum.domain.plans import PlanError, plan_schedule_preview
from debitum.dunning.choices import ActionStatus
from debitum.dunning.models import DunningAction
from debitum.outbox.models import Document
from debitum.outbox.services import documents_dir

from .actions import ACTIONS
from .dossier_selectors import dossier_header, dossier_open_items, dossier_timeline
from .filtersets import WORKLIST_FILTERS, worklist_filters
from .forms import AssignForm
from .selectors import worklist
from .services import customers_assign

PAGE_SIZE = 50


def _is_htmx(request) -> bool:
    return "HX-Request" in request.headers and "HX-History-Restore-Request" not in request.headers


def _access(request, code: str, minimum_role: str = Role.VIEWER):
    """The administration and the user's role there: 404 for a non-member, 403 below
    `minimum_role`."""
    administration = administration_get_for_user(user=request.user, code=code)
    role = Role(
        Membership.objects.filter(administration=administration, user=request.user)
        .values_list("role", flat=True)
        .get()
    )
    if ROLE_RANK[role] < ROLE_RANK[Role(minimum_role)]:
        raise PermissionDenied(_("Your role may not do this."))
    return administration, role


def _can(role: str) -> dict[str, bool]:
    rank = ROLE_RANK[Role(role)]
    return {
        "work": rank >= ROLE_RANK[Role.CONTROLLER],
        "manage": rank >= ROLE_RANK[Role.MANAGER],
        "actions": [
            action for action in ACTIONS.values() if rank >= ROLE_RANK[Role(action.minimum_role)]
        ],
    }


def _collectors(administration):
    ids = Membership.objects.filter(
        administration=administration,
        role__in=[Role.CONTROLLER, Role.MANAGER, Role.ADMIN],
    ).values_list("user_id", flat=True)
    return list(get_user_model().objects.filter(pk__in=ids).order_by("username"))


@login_required
@require_GET
def worklist_view(request, administration_code: str) -> HttpResponse:
    """Today's work list, with the filters; htmx asks for the table alone."""
    administration, role = _access(request, administration_code)
    filters = {name: request.GET.get(name) or None for name in WORKLIST_FILTERS}
    # A collector who is no member (an old link) is no filter here; the API says so.
    chosen, _errors = worklist_filters(
        request.GET, administration=administration, user=request.user
    )
    as_of = _as_of(request)
    items = worklist(
        administration=administration,
        as_of=as_of,
        **chosen,
        limit=PAGE_SIZE,
        after=request.GET.get("after") or None,
    )
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "administration": administration,
        "items": items,
        "as_of": as_of,
        "filters": filters,
        "can": _can(role),
        "collectors": _collectors(administration),
        "segments": Segment.choices,
        "countries": ["NL", "BE"],
        "languages": [("nl", "Nederlands"), ("fr", "Français"), ("en", "English")],
        "next_query": f"{query.urlencode()}&after={items[-1].cursor}"
        if len(items) == PAGE_SIZE
        else "",
        "is_next_page": bool(request.GET.get("after")),
    }
    template = "collect/_worklist_rows.html" if _is_htmx(request) else "collect/worklist.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def worklist_assign(request, administration_code: str) -> HttpResponse:
    """Make a collector (or nobody) the collector of the ticked customers. Managers only."""
    administration, _role = _access(request, administration_code, Role.MANAGER)
    form = AssignForm(request.POST, collectors=_collectors(administration))
    ids = [int(value) for value in request.POST.getlist("customer_ids") if value.isdigit()]
    if form.is_valid() and ids:
        collector = (
            get_user_model().objects.get(pk=form.cleaned_data["collector"])
            if form.cleaned_data["collector"]
            else None
        )
        try:
            changed = customers_assign(
                administration=administration,
                customer_ids=ids,
                collector=collector,
                actor=request.user,
            )
        except ValidationError as error:
            return HttpResponse(" ".join(error.messages), status=400)
        message = _("%(count)s customers assigned.") % {"count": changed}
    else:
        message = _("Tick the customers and choose a collector.")
    url = reverse("collect:worklist", kwargs={"administration_code": administration.code})
    if _is_htmx(request):
        return HttpResponse(message, headers={"HX-Trigger": "collect-changed"})
    return redirect(url)


OPEN_ITEMS_SHOWN = 200


def _as_of(request):
    """Today, or the day asked for (`?as_of=`: how the list looked or will look)."""
    try:
        return dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()


def _customer(administration, number: str) -> Customer:
    return get_object_or_404(Customer, administration=administration, number=number)


def _action_context(customer, as_of) -> dict:
    open_items = dossier_open_items(customer=customer, as_of=as_of)
    return {
        "open_items": open_items,
        "open_disputes": list(
            Dispute.objects.filter(
                administration_id=customer.administration_id, customer=customer, status="open"
            ).select_related("invoice")
        ),
        "awaiting": list(
            DunningAction.objects.filter(
                administration_id=customer.administration_id,
                customer=customer,
                status=ActionStatus.AWAITING_APPROVAL,
            ).select_related("step")
        ),
    }


@login_required
@require_GET
def dossier_view(request, administration_code: str, number: str) -> HttpResponse:
    """Everything about one customer on one page; `?part=` gives one section to htmx."""
    administration, role = _access(request, administration_code)
    customer = _customer(administration, number)
    as_of = timezone.localdate()
    context = _action_context(customer, as_of)
    context.update(
        administration=administration,
        customer=customer,
        as_of=as_of,
        can=_can(role),
        header=dossier_header(customer=customer, open_items=context["open_items"], as_of=as_of),
        # A key account's thousand open items are listed a page at a time (`?items=all`: all).
        items_shown=context["open_items"]
        if request.GET.get("items") == "all"
        else context["open_items"][:OPEN_ITEMS_SHOWN],
        timeline=dossier_timeline(customer=customer),
        contacts=list(customer.contacts.all()),
    )
    part = request.GET.get("part")
    templates = {
        "timeline": "collect/_timeline.html",
        "items": "collect/_open_items.html",
        "header": "collect/_dossier_header.html",
    }
    template = (
        templates.get(part, "collect/dossier.html") if _is_htmx(request) else "collect/dossier.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def customer_panel(request, administration_code: str, number: str) -> HttpResponse:
    """A work list line opened in place: the header figures and the action buttons."""
    administration, role = _access(request, administration_code)
    customer = _customer(administration, number)
    as_of = timezone.localdate()
    open_items = dossier_open_items(customer=customer, as_of=as_of)
    return render(
        request,
        "collect/_panel.html",
        {
            "administration": administration,
            "customer": customer,
            "open_items": open_items,
            "header": dossier_header(customer=customer, open_items=open_items, as_of=as_of),
            "timeline": dossier_timeline(customer=customer, limit=3)[:5],
            "can": _can(role),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def customer_action(request, administration_code: str, number: str, action: str) -> HttpResponse:
    """GET: the action's form (an htmx fragment). POST: do it through its service; errors come
    back in the form, next to their field."""
    definition = ACTIONS.get(action)
    if definition is None:
        raise Http404("No such action")
    administration, _role = _access(request, administration_code, definition.minimum_role)
    customer = _customer(administration, number)
    as_of = timezone.localdate()
    context = _action_context(customer, as_of)
    message = ""
    status = 200
    if request.method == "POST":
        form = definition.form(request.POST, customer=customer, context=context)
        if form.is_valid():
            try:
                message = definition.perform(form.cleaned_data, customer, request.user, as_of)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                if not _is_htmx(request):
                    return redirect(
                        "collect:dossier", administration_code=administration.code, number=number
                    )
                context = _action_context(customer, as_of)
                form = definition.form(customer=customer, context=context)
        if form.errors and not _is_htmx(request):
            status = 400
    else:
        form = definition.form(customer=customer, context=context)
    response = render(
        request,
        "collect/_action_form.html",
        {
            "administration": administration,
            "customer": customer,
            "action": definition,
            "form": form,
            "message": message,
            "preview_url": reverse(
                "collect:plan_preview",
                kwargs={"administration_code": administration.code, "number": number},
            ),
        },
        status=status,
    )
    if message:
        response["HX-Trigger"] = "collect-changed"
    return response


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


@login_required
@require_GET
def plan_preview(request, administration_code: str, number: str) -> HttpResponse:
    """The schedule of the plan being filled in, before anything is saved."""
    administration, _role = _access(request, administration_code, Role.CONTROLLER)
    customer = _customer(administration, number)
    as_of = timezone.localdate()
    form = ACTIONS["plan"].form(request.GET, customer=customer)
    schedule, error, total, currency = [], "", None, administration.currency
    open_items = [
        item
        for item in dossier_open_items(customer=customer, as_of=as_of)
        if item.open_amount > 0
        and item.invoice.kind == "invoice"
        and "in_plan" not in item.statuses
    ]
    if open_items:
        currency = open_items[0].invoice.currency
        total = sum(item.open_amount for item in open_items if item.invoice.currency == currency)
    if form.is_valid() and total:
        try:
            schedule = plan_schedule_preview(
                total=total,
                instalments=form.cleaned_data["instalments"],
                first=form.cleaned_data["first_date"],
                every=form.cleaned_data["every"],
            )
        except PlanError as exception:
            error = str(exception)
    elif not total:
        error = _("Nothing is open outside a plan.")
    return render(
        request,
        "collect/_plan_preview.html",
        {"schedule": schedule, "error": error, "total": total, "currency": currency},
    )


@login_required
@require_GET
def document_view(request, administration_code: str, document_id: int) -> FileResponse:
    """A stored letter (PDF), to members of its administration only."""
    administration, _role = _access(request, administration_code)
    document = get_object_or_404(Document, administration=administration, pk=document_id)
    root = documents_dir().resolve()
    path = (root / document.path).resolve()
    if root not in path.parents or not path.is_file():
        raise Http404("No such document")
    return FileResponse(path.open("rb"), content_type="application/pdf", filename=path.name)
