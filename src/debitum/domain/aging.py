"""Aging (ouderdomsanalyse): open items bucketed by days past due at a date.

The buckets are those of issue #2 and of most Dutch and Belgian reports: `current` (not yet
due, including the due date itself), 1-30, 31-60, 61-90 and 90+ days past due. The database
computes the same buckets in one query (`debitum.reports.selectors`); this module is the
definition both are tested against.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

BUCKETS: tuple[str, ...] = ("current", "1-30", "31-60", "61-90", "90+")
# Upper bound (inclusive) of days past due for each bucket but the last.
BUCKET_LIMITS: tuple[tuple[str, int], ...] = (
    ("current", 0),
    ("1-30", 30),
    ("31-60", 60),
    ("61-90", 90),
)


def bucket_for(days_past_due: int) -> str:
    for name, limit in BUCKET_LIMITS:
        if days_past_due <= limit:
            return name
    return "90+"


def days_past_due(due_date: dt.date, as_of: dt.date) -> int:
    return (as_of - due_date).days


@dataclass(frozen=True, slots=True)
class OpenItem:
    """An invoice or credit note with its open amount at the report date (signed)."""

    customer_number: str
    currency: str
    due_date: dt.date
    open_amount: Decimal


@dataclass(slots=True)
class BucketTotals:
    amounts: dict[str, Decimal] = field(
        default_factory=lambda: dict.fromkeys(BUCKETS, Decimal("0.00"))
    )

    def add(self, bucket: str, amount: Decimal) -> None:
        self.amounts[bucket] += amount

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), Decimal("0.00"))

    def as_dict(self) -> dict[str, Decimal]:
        return {**self.amounts, "total": self.total}


def age(items: Iterable[OpenItem], as_of: dt.date) -> dict[tuple[str, str], BucketTotals]:
    """Bucket totals per (customer number, currency); items with nothing open are left out."""
    result: dict[tuple[str, str], BucketTotals] = {}
    for item in items:
        if item.open_amount == 0:
            continue
        totals = result.setdefault((item.customer_number, item.currency), BucketTotals())
        totals.add(bucket_for(days_past_due(item.due_date, as_of)), item.open_amount)
    return result
