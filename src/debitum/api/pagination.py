"""Keyset pagination: `?limit=100&after=<cursor>`; the answer carries `next` (or null).

No exact count over the whole table: at a million rows a COUNT(*) costs more than the page.
The cursor is the last row's primary key; lists are ordered by it.
"""

from __future__ import annotations

from ninja import Schema

DEFAULT_LIMIT, MAX_LIMIT = 100, 1000


class Page(Schema):
    next: str | None = None


def page(queryset, *, after: str | None, limit: int | None, serialize) -> dict:
    from .errors import ApiError

    limit = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    if after:
        try:
            queryset = queryset.filter(pk__gt=int(after))
        except ValueError:
            raise ApiError(422, "validation_error", "after: not a cursor of this list") from None
    rows = list(queryset.order_by("pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": [serialize(row) for row in rows],
        "next": str(rows[-1].pk) if more and rows else None,
    }
