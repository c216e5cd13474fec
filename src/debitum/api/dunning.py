"""Dunning runs: run (or preview) a day, list runs, a run with its actions, approve or reject
an action that waits for approval."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from debitum.dunning.jobs import RUN_JOB
from debitum.dunning.models import DunningAction, DunningRun
from debitum.dunning.services import _action_dict, action_approve, action_reject, dunning_run
from debitum.jobs.services import job_submit

from .auth import administration_for, administration_for_write
from .errors import READ_ERRORS, WRITE_ERRORS, ApiError
from .jobs import JobOut, job_out
from .pagination import Page, page
from .schemas import BodyBool, BodyIn, IsoDate

router = Router(tags=["dunning"])


class ActionOut(Schema):
    """One letter, e-mail, call task or hand-over for one customer. Amounts have two decimals."""

    id: int | None = Field(description="null in a dry run")
    customer_number: str
    customer_name: str
    kind: str
    step: str
    position: int
    channel: str
    currency: str
    invoices: list[str]
    principal: str
    fee: str
    interest: str
    named_costs: str
    pay_before: dt.date | None
    status: str = Field(description="awaiting_approval, approved, pending, executed, rejected, "
                        "excluded")  # fmt: skip
    documents: list[str]
    notes: list[str]


class RunResultOut(Schema):
    as_of: dt.date
    administration: str
    dry_run: bool
    already_run: bool = Field(description="a run for this day existed: nothing new was decided")
    actions: list[ActionOut]
    skipped: dict[str, int] = Field(description="invoices left out, per reason")


class RunIn(BodyIn):
    as_of: IsoDate | None = Field(None, description="default today")
    dry_run: BodyBool = Field(False, description="decide and answer, keep nothing")
    background: BodyBool = Field(False, description="run it as a background job (no dry run): "
                                 "the answer is 202 with the job, to follow at "
                                 "/jobs/{id}; for an administration whose run takes minutes")  # fmt: skip
    request_id: str | None = Field(None, min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$",
                                   description="with background: the same request_id asks for "
                                   "the same job (a retry after a lost answer)")  # fmt: skip

    model_config = {"json_schema_extra": {"examples": [{"as_of": "2025-04-01", "dry_run": True}]}}


class RunOut(Schema):
    id: int
    as_of: dt.date
    status: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    counts: dict


class RunDetailOut(RunOut):
    actions: list[ActionOut]


class RunPage(Page):
    items: list[RunOut]


class RejectIn(BodyIn):
    reason: str = Field(min_length=1)
    pause_until: IsoDate = Field(description="the customer's dunning pauses until this date")

    model_config = {"json_schema_extra": {"examples": [
        {"reason": "in talks about a plan", "pause_until": "2025-04-15"}
    ]}}  # fmt: skip


def _run_out(run: DunningRun) -> dict:
    return {field: getattr(run, field) for field in RunOut.model_fields if field != "id"} | {
        "id": run.pk
    }


def _action_out(action: DunningAction) -> dict:
    numbers = list(action.lines.order_by("position").values_list("invoice__number", flat=True))
    return _action_dict(action, numbers, customer=action.customer)


def _action(administration, action_id: int) -> DunningAction:
    return get_object_or_404(
        DunningAction.objects.select_related("customer", "step", "run"),
        administration=administration, pk=action_id,
    )  # fmt: skip


@router.post("/{code}/dunning-runs", response={200: RunResultOut, 202: JobOut, **WRITE_ERRORS})
def run_create(request, code: str, body: RunIn):
    """Run dunning for a day: decide the due steps and carry out those that need no approval.
    A dry run answers what would be done and keeps nothing; a day already run decides nothing
    new. With `background`, the run is a job: 202 and the job. Role controller or higher."""
    administration = administration_for_write(request, code)
    as_of = body.as_of or timezone.localdate()
    if body.background:
        if body.dry_run:
            raise ApiError(422, "validation_error", "the input is not valid",
                           {"background": ["a dry run answers at once; ask without background"]})  # fmt: skip
        job = job_submit(
            administration=administration,
            kind=RUN_JOB,
            key=f"api-dunning:{as_of.isoformat()}:{body.request_id or secrets.token_urlsafe(16)}",
            params={"as_of": as_of.isoformat()},
            actor=request.auth,
        )
        return Status(202, job_out(job))
    result = dunning_run(administration=administration, as_of=as_of, dry_run=body.dry_run,
                         actor=request.auth)  # fmt: skip
    return result.as_dict()


@router.get("/{code}/dunning-runs", response={200: RunPage, **READ_ERRORS})
def runs_list(request, code: str, after: str | None = None, limit: int | None = None):
    """The administration's runs in the order they were made."""
    administration = administration_for(request, code)
    runs = DunningRun.objects.filter(administration=administration)
    return page(runs, after=after, limit=limit, serialize=_run_out)


@router.get("/{code}/dunning-runs/{run_id}", response={200: RunDetailOut, **READ_ERRORS})
def run_get(request, code: str, run_id: int,
            status: Literal["awaiting_approval", "approved", "pending", "executed", "rejected",
                            "excluded"] | None = None):  # fmt: skip
    """One run with its actions; filter the actions by status."""
    administration = administration_for(request, code)
    run = get_object_or_404(DunningRun, administration=administration, pk=run_id)
    actions = run.actions.filter(administration=administration).select_related("customer", "step")
    if status:
        actions = actions.filter(status=status)
    return {**_run_out(run), "actions": [_action_out(action) for action in actions.order_by("pk")]}


@router.post("/{code}/dunning-actions/{action_id}/approve",
             response={200: ActionOut, **WRITE_ERRORS})  # fmt: skip
def action_approve_endpoint(request, code: str, action_id: int):
    """Approve a step that waits for approval and carry it out. Role manager or higher; 409
    when the action does not wait for approval."""
    administration = administration_for_write(request, code, "manager")
    action = _action(administration, action_id)
    try:
        action = action_approve(action=action, actor=request.auth)
    except ValueError as error:
        raise ApiError(409, "conflict", str(error)) from None
    return _action_out(_action(administration, action.pk))


@router.post("/{code}/dunning-actions/{action_id}/reject",
             response={200: ActionOut, **WRITE_ERRORS})  # fmt: skip
def action_reject_endpoint(request, code: str, action_id: int, body: RejectIn):
    """Refuse a step: it is not taken and the customer's dunning pauses until `pause_until`.
    Role manager or higher; 409 when the action does not wait for approval."""
    administration = administration_for_write(request, code, "manager")
    action = _action(administration, action_id)
    try:
        action = action_reject(action=action, actor=request.auth, reason=body.reason,
                               pause_until=body.pause_until)  # fmt: skip
    except ValueError as error:
        raise ApiError(409, "conflict", str(error)) from None
    return _action_out(_action(administration, action.pk))
