"""Reading the outbox."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import OutboundMessage


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
