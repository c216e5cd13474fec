"""The collector's work list: one line per customer with work due, highest priority first
(`debitum.collect.selectors.worklist`), with its own keyset cursor."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from debitum.collect.selectors import UNASSIGNED, worklist

from .auth import administration_for
from .errors import READ_ERRORS, ApiError
from .pagination import DEFAULT_LIMIT, MAX_LIMIT, Page
from .schemas import IsoDate

router = Router(tags=["work list"])


class WorkItemOut(Schema):
    customer_number: str
    customer_name: str
    currency: str
    balance: Decimal = Field(description="all that is open, credit notes included")
    overdue_amount: Decimal
    oldest_due_date: dt.date | None
    days_overdue: int
    segment: str
    risk_class: str
    country: str
    language: str
    collector: str | None = Field(description="the collector's user name")
    due_tasks: int
    broken_promises: int
    next_step: str = Field(description="what to do next, in words")
    next_step_kind: str = Field(description="task, approval, dunning_step or empty")
    score: int


class WorkListPage(Page):
    items: list[WorkItemOut]


class WorkListFilters(Schema):
    as_of: IsoDate | None = Field(None, description="default today")
    collector: str | None = Field(None, description=f"a user name, or `{UNASSIGNED}` for the "
                                  "customers without a collector")  # fmt: skip
    segment: str | None = None
    country: str | None = None
    language: str | None = None


@router.get("/{code}/worklist", response={200: WorkListPage, **READ_ERRORS})
def work_list(request, code: str, filters: Query[WorkListFilters], after: str | None = None,
              limit: int | None = None):  # fmt: skip
    """Today's work (or at `as_of`), best first: the largest and oldest overdue balances
    weighted by segment, broken promises and due tasks, each with the next step proposed.
    Pass `next` as `after` for the following page."""
    administration = administration_for(request, code)
    limit = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    collector = filters.collector
    usernames: dict[int, str] = {}
    if collector and collector != UNASSIGNED:
        user = get_user_model().objects.filter(username=collector).first()
        if user is None:
            raise ApiError(422, "validation_error", "the input is not valid",
                           {"collector": [f"no user {collector}"]})  # fmt: skip
        collector = user
    try:
        items = worklist(
            administration=administration, as_of=filters.as_of or timezone.localdate(),
            collector=collector, segment=filters.segment, country=filters.country,
            language=filters.language, limit=limit, after=after,
        )  # fmt: skip
    except ValueError as error:
        raise ApiError(422, "validation_error", "the input is not valid",
                       {"after": [str(error)]}) from None  # fmt: skip
    ids = {item.collector_id for item in items if item.collector_id}
    if ids:
        usernames = dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "username"))
    return {
        "items": [
            {
                **{
                    field: getattr(item, field)
                    for field in WorkItemOut.model_fields
                    if field != "collector"
                },
                "collector": usernames.get(item.collector_id),
            }
            for item in items
        ],  # fmt: skip
        "next": items[-1].cursor if len(items) == limit else None,
    }
