"""`{% load money %}`: amounts in the reader's language (1.234,56 in Dutch, 1,234.56 in English)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def money(value) -> str:
    """An amount with two decimals and thousands grouped by the active language's rules.
    Empty for None; a float is refused, because it is not money."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        raise TypeError("money is a Decimal, never a float")
    if not isinstance(value, Decimal):
        value = Decimal(value)
    # force_grouping: USE_THOUSAND_SEPARATOR is off site-wide (it would group years and ids too).
    return number_format(value, 2, force_grouping=True)
