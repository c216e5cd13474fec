"""Adding a statutory rate that was published after this release."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from debitum.audit.services import audit_record
from debitum.domain.interest_rates import (
    ADDED,
    TABLE_OF_REGIME,
    RateError,
    RateRow,
    shipped_rate_table,
)

from .models import StatutoryRate
from .selectors import added_rate_rows


def statutory_rate_add(
    *,
    regime: str,
    start_date: dt.date,
    end_date: dt.date,
    rate: Decimal,
    source: str,
    actor=None,
) -> StatutoryRate:
    """Add the rate of a period the shipped table does not cover.

    Refused: a period the shipped table already has (it is the published figure), a period that
    overlaps one added before, and a row without its source.
    """
    row = statutory_rate_check(
        regime=regime, start_date=start_date, end_date=end_date, rate=rate, source=source
    )
    with transaction.atomic():
        # Serialise concurrent additions to one regime, then check again under the lock.
        list(StatutoryRate.objects.select_for_update().filter(regime=row.table))
        statutory_rate_check(
            regime=regime, start_date=start_date, end_date=end_date, rate=rate, source=source
        )
        statutory_rate = StatutoryRate.objects.create(
            regime=row.table,
            start_date=start_date,
            end_date=end_date,
            rate=rate,
            source=row.source,
            created_by=actor if actor is not None and actor.pk else None,
        )
        audit_record(
            administration=None,
            actor=actor,
            action="statutory_rate.add",
            obj=statutory_rate,
            summary=f"{row.table} rate {rate}% from {start_date} to {end_date}",
            changes={"source": row.source},
        )
    return statutory_rate


def statutory_rate_check(
    *, regime: str, start_date: dt.date, end_date: dt.date, rate: Decimal, source: str
) -> RateRow:
    """The row to add, or ValidationError naming the field that is wrong."""
    table = TABLE_OF_REGIME.get(regime)
    if table is None:
        raise ValidationError(
            {
                "regime": f"unknown regime {regime!r}: use one of {', '.join(sorted(TABLE_OF_REGIME))}"
            }
        )
    if not (source or "").strip():
        raise ValidationError({"source": "say where the rate was published"})
    if end_date < start_date:
        raise ValidationError({"end_date": f"the period ends ({end_date}) before it starts"})
    if not isinstance(rate, Decimal) or not Decimal(0) <= rate <= Decimal(100):
        raise ValidationError({"rate": f"a rate of {rate}% per year is not plausible"})
    row = RateRow(
        table=table, start=start_date, end=end_date, rate=rate, source=source.strip(), origin=ADDED
    )
    shipped = shipped_rate_table()
    if shipped.superseded(row):
        raise ValidationError(
            {"start_date": f"Debitum already ships the {table} rate for part of this period"}
        )
    try:
        shipped.with_added([*added_rate_rows(), row])
    except RateError as error:
        raise ValidationError({"start_date": str(error)}) from None
    return row
