"""`{% load lookup %}`: `mapping|get_item:key` for keys a template cannot spell (`"90+"`)."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping is not None else None
