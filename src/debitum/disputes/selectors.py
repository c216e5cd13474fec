"""Reads of disputes. Every function takes the administration."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Dispute, DisputeStatus


def dispute_list(*, administration, status: str | None = None) -> QuerySet[Dispute]:
    """The administration's disputes, latest first."""
    disputes = Dispute.objects.filter(administration=administration).select_related(
        "invoice", "customer", "credit_note"
    )
    if status:
        disputes = disputes.filter(status=status)
    return disputes.order_by("-opened_date", "-id")


def dispute_open_get(*, invoice) -> Dispute:
    """The open dispute over `invoice`; LookupError when there is none."""
    try:
        return Dispute.objects.select_related("invoice", "customer").get(
            administration_id=invoice.administration_id,
            invoice=invoice,
            status=DisputeStatus.OPEN,
        )
    except Dispute.DoesNotExist:
        raise LookupError(f"invoice {invoice.number} has no open dispute") from None
