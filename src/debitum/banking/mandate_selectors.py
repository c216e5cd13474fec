"""Reads of SEPA mandates and direct debits. Every function takes the administration."""

from __future__ import annotations

from django.db.models import QuerySet

from .choices import DirectDebitStatus
from .models import DirectDebitItem, Mandate


def mandate_list(*, administration, is_active: bool | None = None) -> QuerySet[Mandate]:
    """The administration's mandates, by mandate id."""
    mandates = Mandate.objects.filter(administration=administration).select_related("customer")
    if is_active is not None:
        mandates = mandates.filter(is_active=is_active)
    return mandates.order_by("mandate_id")


def mandate_get(*, administration, mandate_id: str) -> Mandate:
    """One mandate of the administration by its id; LookupError when there is none."""
    try:
        return Mandate.objects.select_related("customer", "customer__administration").get(
            administration=administration, mandate_id=mandate_id
        )
    except Mandate.DoesNotExist:
        raise LookupError(f"no mandate {mandate_id!r} in {administration.code}") from None


def invoice_ids_in_submitted_debits(*, administration) -> set[int]:
    """Invoices in a direct debit file not yet seen on a statement: the money is on its way,
    so dunning leaves them alone and the next collection does not take them again."""
    return set(
        DirectDebitItem.objects.filter(
            administration=administration, status=DirectDebitStatus.SUBMITTED
        ).values_list("invoice_id", flat=True)
    )
