"""The collector's work list: one line per customer with work due, highest priority first
(`debitum.collect.selectors.worklist`), with its own keyset cursor."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.contrib.auth import get_user_model
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from debitum.collect.filtersets import ME, worklist_filters
from debitum.collect.selectors import UNASSIGNED, worklist
from debitum.customers.choices import Segment

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
    """The work list page's filters (`debitum.collect.filtersets`: read by both the same way)."""

    as_of: IsoDate | None = Field(None, description="default today")
    collector: str | None = Field(None, description=f"`{ME}` (the token's user), "
                                  f"`{UNASSIGNED}` (the customers without a collector), or a "
                                  "member of the administration by user name")  # fmt: skip
    segment: Literal[tuple(Segment.values)] | None = None  # type: ignore[valid-type]
    country: str | None = Field(None, max_length=2, description="ISO 3166 two-letter code")
    language: Literal["nl", "fr", "en"] | None = None


@router.get("/{code}/worklist", response={200: WorkListPage, **READ_ERRORS})
def work_list(request, code: str, filters: Query[WorkListFilters], after: str | None = None,
              limit: int | None = None):  # fmt: skip
    """Today's work (or at `as_of`), best first: the largest and oldest overdue balances
    weighted by segment, broken promises and due tasks, each with the next step proposed.
    Pass `next` as `after` for the following page."""
    administration = administration_for(request, code)
    limit = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    chosen, errors = worklist_filters(filters.model_dump(), administration=administration,
                                      user=request.auth)  # fmt: skip
    if errors:
        raise ApiError(422, "validation_error", "the input is not valid", errors)
    usernames: dict[int, str] = {}
    try:
        items = worklist(
            administration=administration, as_of=filters.as_of or timezone.localdate(),
            **chosen, limit=limit, after=after,
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
