"""The aging report at a date: the JSON of `debitum report aging --format json`."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Router, Schema
from pydantic import create_model

from debitum.reports.exports import COLUMNS, EXTRA_COLUMNS, aging_as_dict
from debitum.reports.selectors import aging_report

from .auth import administration_for
from .errors import READ_ERRORS
from .schemas import IsoDate

router = Router(tags=["reports"])


def _field_name(column: str) -> str:
    return "b_" + column.replace("-", "_").replace("+", "_plus")


# The bucket names ("1-30", "90+") are the keys of the JSON; Python names stand in for them.
_AMOUNTS = {
    _field_name(column): (str, Field(alias=column, description="amount, two decimals"))
    for column in (*COLUMNS, *EXTRA_COLUMNS)
}
AgingTotals = create_model("AgingTotals", __base__=Schema, **_AMOUNTS)
AgingCustomer = create_model(
    "AgingCustomer",
    __base__=Schema,
    customer_number=(str, ...),
    name=(str, ...),
    currency=(str, ...),
    **_AMOUNTS,
)


class AgingOut(Schema):
    as_of: dt.date
    administration: str
    currencies: dict[str, AgingTotals] = Field(description="totals per currency")  # type: ignore[valid-type]
    customers: list[AgingCustomer]  # type: ignore[valid-type]


@router.get("/{code}/aging", response={200: AgingOut, **READ_ERRORS}, by_alias=True)
def aging(request, code: str, as_of: IsoDate | None = None):
    """What is open per customer and currency in age buckets at `as_of` (default today), with
    the totals per currency: the same JSON as `debitum report aging --format json`."""
    administration = administration_for(request, code)
    report = aging_report(administration=administration, as_of=as_of or timezone.localdate())
    return aging_as_dict(report)
