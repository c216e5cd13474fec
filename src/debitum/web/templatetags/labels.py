"""`{% load labels %}`: `{{ item.status|label:"item_status" }}`, the translated word for a stored
code (debitum.web.labels); `{{ "2026-07-14"|iso_date|date:"SHORT_DATE_FORMAT" }}` for a date
kept as text (a run's decisions)."""

import datetime as dt

from django import template

from ..labels import label as _label

register = template.Library()


@register.filter
def label(code, kind: str) -> str:
    return _label(kind, code)


@register.filter
def iso_date(value):
    """A YYYY-MM-DD text as a date (for the `date` filter); anything else as it is."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value
