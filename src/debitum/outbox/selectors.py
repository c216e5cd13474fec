"""Reading the outbox."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet

from .models import Document, OutboundMessage


def outbound_message_list(
    *, administration, status: str | None = None, channel: str | None = None
) -> QuerySet[OutboundMessage]:
    """The administration's messages, newest first, with their customer."""
    queryset = OutboundMessage.objects.filter(administration=administration).select_related(
        "customer"
    )
    if status:
        queryset = queryset.filter(status=status)
    if channel:
        queryset = queryset.filter(channel=channel)
    return queryset.order_by("-created_at", "-pk")


def plan_document_paths(*, plan) -> list[str]:
    """The absolute paths of the documents of a payment plan (its confirmation), oldest
    first."""
    return [
        str(Path(settings.DEBITUM_DOCUMENTS_DIR) / path)
        for path in Document.objects.filter(
            administration_id=plan.administration_id, payment_plan=plan
        )
        .order_by("created_at", "pk")
        .values_list("path", flat=True)
    ]
