"""Reads of claims: what is open per invoice and customer at a day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from .models import Claim

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class OpenClaim:
    claim_id: int
    invoice_number: str
    kind: str
    currency: str
    claim_date: dt.date
    amount: Decimal
    open_amount: Decimal


def open_claims(*, administration, as_of: dt.date, customer_ids=None) -> list[OpenClaim]:
    """Claims dated on or before `as_of` with something open, oldest first."""
    claims = Claim.objects.filter(administration=administration, claim_date__lte=as_of)
    if customer_ids is not None:
        claims = claims.filter(customer_id__in=list(customer_ids))
    rows = (
        claims.annotate(
            settled=Sum(
                "settlements__amount",
                filter=Q(settlements__settlement_date__lte=as_of),
                default=0,
            )
        )
        .order_by("claim_date", "id")
        .values_list("id", "invoice__number", "kind", "currency", "claim_date", "amount", "settled")
    )
    result = []
    for claim_id, number, kind, currency, claim_date, amount, settled in rows:
        settled = settled or ZERO  # the Sum of a MoneyField is a Decimal amount
        open_amount = amount - settled
        if open_amount > 0:
            result.append(
                OpenClaim(claim_id, number, kind, currency, claim_date, amount, open_amount)
            )
    return result


def claimed_interest(*, administration, invoice_ids) -> dict[int, Decimal]:
    """Interest claimed so far per invoice (settled or not)."""
    totals: dict[int, Decimal] = {}
    for invoice_id, amount in Claim.objects.filter(
        administration=administration, invoice_id__in=list(invoice_ids), kind="interest"
    ).values_list("invoice_id", "amount"):
        totals[invoice_id] = totals.get(invoice_id, ZERO) + amount
    return totals
