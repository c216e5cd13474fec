"""Keyset pagination: `?limit=100&after=<cursor>`; the answer carries `next` (or null).

No exact count over the whole table: at a million rows a COUNT(*) costs more than the page.
The cursor is the last row's primary key; lists are ordered by it.

`page` builds model instances and django-ninja validates the answer against its schema, item by
item. The lists read most (the invoices and open items, what an ERP or a BI tool pages through)
use `row_page` instead: rows as tuples (`values_list`) turned into the answer's JSON directly,
half the time or less per page in process; their tests validate the answer against the schema.
"""

from __future__ import annotations

import json

from django.http import HttpResponse
from ninja import Schema

DEFAULT_LIMIT, MAX_LIMIT = 100, 1000


class Page(Schema):
    next: str | None = None


def _limited(queryset, *, after: str | None, limit: int | None):
    from .errors import ApiError

    limit = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    if after:
        try:
            queryset = queryset.filter(pk__gt=int(after))
        except ValueError:
            raise ApiError(422, "validation_error", "after: not a cursor of this list") from None
    return queryset.order_by("pk"), limit


def page(queryset, *, after: str | None, limit: int | None, serialize) -> dict:
    queryset, limit = _limited(queryset, after=after, limit=limit)
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": [serialize(row) for row in rows],
        "next": str(rows[-1].pk) if more and rows else None,
    }


def row_page(queryset, *, after: str | None, limit: int | None, fields: tuple[str, ...],
             serialize) -> HttpResponse:  # fmt: skip
    """A page read as tuples of `fields` (after the primary key), each made an item by
    `serialize(row)`: a dict of JSON values only (strings for decimals and dates, as the
    schema's encoder writes them), so the standard library's C encoder writes the page."""
    queryset, limit = _limited(queryset, after=after, limit=limit)
    rows = list(queryset.values_list("pk", *fields)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    body = {  # the key order of `Page` answers
        "next": str(rows[-1][0]) if more and rows else None,
        "items": [serialize(row) for row in rows],
    }
    return HttpResponse(json.dumps(body), content_type="application/json; charset=utf-8")
