"""Reading the statutory rates: the shipped table with what administrators added."""

from __future__ import annotations

from django.db import DatabaseError, connection

from debitum.domain.interest_rates import ADDED, RateRow, RateTable, shipped_rate_table

from .models import StatutoryRate


def added_rate_rows() -> list[RateRow]:
    return [
        RateRow(
            table=rate.regime,
            start=rate.start_date,
            end=rate.end_date,
            rate=rate.rate,
            source=rate.source,
            origin=ADDED,
        )
        for rate in StatutoryRate.objects.order_by("regime", "start_date")
    ]


def rate_table_get() -> RateTable:
    """The rates in force: shipped ones, and added ones for the periods after them.

    Works before `debitum init` too (then only the shipped rates are known), so that anyone can
    check a figure with `debitum calc interest` without setting up a database.
    """
    shipped = shipped_rate_table()
    if StatutoryRate._meta.db_table not in _tables():
        return shipped
    return shipped.with_added(added_rate_rows())


def _tables() -> list[str]:
    try:
        return connection.introspection.table_names()
    except DatabaseError:
        return []
