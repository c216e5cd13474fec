"""Creating tasks: idempotent by key, so a job run twice makes each task once."""

from __future__ import annotations

import datetime as dt

from .models import Task


def task_ensure(
    *,
    administration,
    customer,
    kind: str,
    title: str,
    due_date: dt.date,
    key: str,
    detail: str = "",
    dunning_action=None,
    assigned_to=None,
) -> tuple[Task, bool]:
    """The task with `key` in the administration, created when it is not there yet."""
    return Task.objects.get_or_create(
        administration=administration,
        key=key,
        defaults={
            "customer": customer,
            "kind": kind,
            "title": title,
            "detail": detail,
            "due_date": due_date,
            "dunning_action": dunning_action,
            "assigned_to": assigned_to,
        },
    )
