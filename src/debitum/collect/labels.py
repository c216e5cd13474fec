"""The words the work bench shows for stored codes, translated. The models of notes,
promises, disputes, plans and tasks keep plain English labels (the command line's); the
interface speaks the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from debitum.customers.choices import Segment
from debitum.dunning.choices import ActionStatus
from debitum.outbox.choices import MessageStatus

LABELS = {
    "outcome": {
        "reached": _("Reached the customer"),
        "promise": _("Promise to pay"),
        "dispute": _("Dispute raised"),
        "paid": _("Says it is paid"),
        "no_answer": _("No answer"),
        "voicemail": _("Left a voicemail"),
        "wrong_number": _("Wrong number"),
        "refused": _("Refuses to pay"),
        "call_back": _("Call back later"),
    },
    "promise_status": {
        "open": _("open"),
        "kept": _("kept"),
        "broken": _("broken"),
        "cancelled": _("cancelled"),
    },
    "dispute_reason": {
        "wrong_amount": _("Wrong price or amount"),
        "not_delivered": _("Not delivered"),
        "quality": _("Quality"),
        "already_paid": _("Already paid"),
        "wrong_addressee": _("Wrong addressee"),
        "other": _("Other"),
    },
    "dispute_status": {"open": _("open"), "resolved": _("resolved")},
    "resolution": {
        "upheld": _("The customer was right (credit note)"),
        "rejected": _("The invoice stands"),
        "withdrawn": _("Withdrawn by the customer"),
    },
    "plan_status": {
        "active": _("active"),
        "completed": _("completed"),
        "broken": _("broken"),
        "cancelled": _("cancelled"),
    },
    "plan_every": {
        "month": _("every month"),
        "2weeks": _("every two weeks"),
        "week": _("every week"),
    },
    "item_status": {
        "disputed": _("disputed"),
        "in_plan": _("in plan"),
        "paused": _("paused"),
        "promised": _("promised"),
        "awaiting_approval": _("awaiting approval"),
    },
    "next_step_kind": {
        "task": _("Task"),
        "approval": _("Approve"),
        "dunning_step": _("Next step"),
    },
    "action_status": dict(ActionStatus.choices),
    "message_status": dict(MessageStatus.choices),
    "segment": dict(Segment.choices),
}


def label(kind: str, code: str) -> str:
    """The label of `code`, or the code itself when it has none."""
    return str(LABELS.get(kind, {}).get(code, code))


def choices(kind: str) -> list[tuple[str, str]]:
    return list(LABELS[kind].items())
