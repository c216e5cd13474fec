"""Tasks on the collectors' lists: list, close as done."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from debitum.tasks.models import Task
from debitum.tasks.services import task_close

from .auth import administration_for, administration_for_write
from .errors import READ_ERRORS, WRITE_ERRORS
from .pagination import Page, page
from .schemas import BodyIn, IsoDate

router = Router(tags=["tasks"])


class TaskOut(Schema):
    id: int
    customer_number: str
    kind: str
    title: str
    detail: str
    due_date: dt.date
    status: str
    assigned_to: str | None
    outcome: str
    closed_at: dt.datetime | None


class TaskPage(Page):
    items: list[TaskOut]


class DoneIn(BodyIn):
    outcome: str = Field("", description="what came of it")

    model_config = {"json_schema_extra": {"examples": [{"outcome": "Called; pays on Friday"}]}}


def _out(task: Task) -> dict:
    return {
        "id": task.pk,
        "customer_number": task.customer.number,
        "kind": task.kind,
        "title": task.title,
        "detail": task.detail,
        "due_date": task.due_date,
        "status": task.status,
        "assigned_to": task.assigned_to.get_username() if task.assigned_to_id else None,
        "outcome": task.outcome,
        "closed_at": task.closed_at,
    }


@router.get("/{code}/tasks", response={200: TaskPage, **READ_ERRORS})
def tasks_list(request, code: str, status: Literal["open", "done", "cancelled"] = "open",
               due_before: IsoDate | None = None,
               after: str | None = None, limit: int | None = None):  # fmt: skip
    """Tasks (default the open ones) in the order they were made; filter by due date."""
    administration = administration_for(request, code)
    tasks = Task.objects.filter(administration=administration, status=status).select_related(
        "customer", "assigned_to"
    )
    if due_before:
        tasks = tasks.filter(due_date__lte=due_before)
    return page(tasks, after=after, limit=limit, serialize=_out)


@router.post("/{code}/tasks/{task_id}/done", response={200: TaskOut, **WRITE_ERRORS})
def task_done(request, code: str, task_id: int, body: DoneIn):
    """Mark an open task done with its outcome (422 when it is closed already). Role
    controller or higher."""
    administration = administration_for_write(request, code)
    task = get_object_or_404(Task, administration=administration, pk=task_id)
    task = task_close(task=task, outcome=body.outcome, actor=request.auth)
    return _out(Task.objects.select_related("customer", "assigned_to").get(pk=task.pk))
