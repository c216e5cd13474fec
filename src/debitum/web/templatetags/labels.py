"""`{% load labels %}`: `{{ item.status|label:"item_status" }}`, the translated word for a stored
code (debitum.web.labels)."""

from django import template

from ..labels import label as _label

register = template.Library()


@register.filter
def label(code, kind: str) -> str:
    return _label(kind, code)
