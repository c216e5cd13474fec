"""The outbox page: every e-mail and letter of an administration with its status, the letter
PDFs (served only to members of the administration), resending a failed e-mail, marking
letters printed. Viewers see; controllers act."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from debitum.administrations.choices import Role
from debitum.administrations.selectors import membership_get_for_user, role_has_at_least

from .choices import MessageStatus
from .models import Document, OutboundMessage
from .selectors import outbound_message_list
from .services import documents_dir, outbox_mark_printed, outbox_message_resend

PAGE_SIZE = 100


def _access(request, code: str, minimum_role: str = Role.VIEWER):
    membership = membership_get_for_user(user=request.user, code=code)
    if not role_has_at_least(membership.role, minimum_role):
        raise PermissionDenied
    return membership


def _page_url(code: str, status: str = "") -> str:
    url = reverse("outbox:list", kwargs={"administration_code": code})
    return f"{url}?status={status}" if status else url


@login_required
@require_GET
def message_list(request, administration_code: str) -> HttpResponse:
    membership = _access(request, administration_code)
    administration = membership.administration
    status = request.GET.get("status", "")
    if status not in MessageStatus.values:
        status = ""
    messages_page = Paginator(
        outbound_message_list(administration=administration, status=status or None), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "outbox/message_list.html",
        {
            "administration": administration,
            "status": status,
            "statuses": MessageStatus.choices,
            "page": messages_page,
            "can_act": role_has_at_least(membership.role, Role.CONTROLLER),
        },
    )


@login_required
@require_GET
def message_document(request, administration_code: str, message_id: int) -> FileResponse:
    """The letter (PDF) of a message, to members of its administration only."""
    administration = _access(request, administration_code).administration
    message = OutboundMessage.objects.filter(administration=administration, pk=message_id).first()
    if message is None or not message.attachments:
        raise Http404("No such document")
    relative_path = message.attachments[0]
    # The path must be a document of this administration, and stay inside the documents folder.
    if not Document.objects.filter(administration=administration, path=relative_path).exists():
        raise Http404("No such document")
    root = documents_dir().resolve()
    path = (root / relative_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise Http404("No such document")
    return FileResponse(path.open("rb"), content_type="application/pdf", filename=Path(path).name)


@login_required
@require_POST
def message_resend(request, administration_code: str, message_id: int) -> HttpResponse:
    administration = _access(request, administration_code, Role.CONTROLLER).administration
    try:
        message = outbox_message_resend(
            administration=administration,
            message_id=message_id,
            actor=request.user,
            now=timezone.now(),
        )
    except OutboundMessage.DoesNotExist:
        raise Http404("No such message") from None
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The e-mail to %(address)s is queued again.") % {"address": message.to_address},
        )
    return redirect(_page_url(administration.code, request.POST.get("status", "")))


@login_required
@require_POST
def mark_printed(request, administration_code: str) -> HttpResponse:
    administration = _access(request, administration_code, Role.CONTROLLER).administration
    ids = [int(value) for value in request.POST.getlist("message") if value.isdigit()]
    moved = outbox_mark_printed(administration=administration, message_ids=ids, now=timezone.now())
    messages.success(request, _("%(count)s letters marked printed.") % {"count": moved})
    return redirect(_page_url(administration.code, request.POST.get("status", "")))
