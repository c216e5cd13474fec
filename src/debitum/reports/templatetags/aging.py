"""`{% load aging %}`: the aging buckets of a row in their fixed order."""

from django import template

from debitum.domain.aging import BUCKETS

register = template.Library()


@register.filter
def bucket_amounts(amounts: dict) -> list:
    """The amounts of `current`, 1-30, 31-60, 61-90 and 90+, in that order, for a table row."""
    return [amounts[bucket] for bucket in BUCKETS]
