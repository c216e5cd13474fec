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


def task_close(*, task: Task, outcome: str = "", status: str = "done", actor=None) -> Task:
    """Mark an open task done (or cancelled) with what came of it; a closed task stays as it
    was (ValidationError)."""
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django.utils import timezone

    from debitum.audit.services import audit_record

    from .models import TaskStatus

    if status not in (TaskStatus.DONE, TaskStatus.CANCELLED):
        raise ValidationError({"status": ["a task is closed as done or cancelled"]})
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(
            pk=task.pk, administration_id=task.administration_id
        )
        if locked.status != TaskStatus.OPEN:
            raise ValidationError({"status": [f"task {task.pk} is {locked.status}, not open"]})
        locked.status, locked.outcome, locked.closed_at = status, outcome.strip(), timezone.now()
        locked.save(update_fields=["status", "outcome", "closed_at"])
        audit_record(
            administration=locked.administration,
            actor=actor,
            action=f"task.{status}",
            obj=locked,
            summary=f"task {locked.pk} ({locked.kind}) {status}",
            changes={"status": ["open", status]},
            reason=outcome.strip(),
        )
    return locked
