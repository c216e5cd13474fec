"""The words the interface shows for stored codes, translated: one table for every page
(`{% load labels %}` then `{{ code|label:"kind" }}`) and for the selectors that build text.

The models of notes, promises, disputes, plans and tasks keep plain English labels (the
command line's and the API's); the choices whose labels are already translated
(`gettext_lazy`) are taken as they are, so no mapping is written twice."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from debitum.administrations.choices import Country, Role
from debitum.customers.choices import CustomerType, RiskClass, Segment
from debitum.dunning.choices import ActionStatus, Channel, RunStatus, StepKind
from debitum.ledger.choices import InvoiceKind
from debitum.outbox.choices import MessageChannel, MessageStatus

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
        "direct_debit": _("direct debit on its way"),
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
    # debitum.tasks.models.TaskKind
    "task_kind": {
        "phone_call": _("Phone call"),
        "approval": _("Approval of a dunning step"),
        "bounce": _("E-mail refused or bounced"),
        "promise_broken": _("Promise broken"),
        "plan_broken": _("Payment plan broken"),
        "handover": _("Hand-over to an agency"),
        "follow_up": _("Follow-up"),
    },
    # Why a dunning run passed an invoice over (dunning/services.py, the run's counts).
    "skip_reason": {
        "disputed": _("disputed"),
        "plan": _("in a payment plan"),
        "direct_debit": _("direct debit on its way"),
        "promise": _("promised"),
        "paused": _("dunning paused"),
        "waiting": _("awaiting approval"),
        "excluded": _("excluded today"),
        "small_balance": _("balance too small"),
    },
    "step_kind": dict(StepKind.choices),
    "channel": dict(Channel.choices),
    "message_channel": dict(MessageChannel.choices),
    "action_status": dict(ActionStatus.choices),
    "run_status": dict(RunStatus.choices),
    "message_status": dict(MessageStatus.choices),
    "segment": dict(Segment.choices),
    "risk_class": dict(RiskClass.choices),
    "customer_type": dict(CustomerType.choices),
    "invoice_kind": dict(InvoiceKind.choices),
    "role": dict(Role.choices),
    "country": dict(Country.choices),
}


def label(kind: str, code) -> str:
    """The label of `code`, or the code itself when it has none (a country outside NL and BE,
    a code a newer version added)."""
    if code is None:
        return ""
    return str(LABELS.get(kind, {}).get(code, code))


def choices(kind: str, order=None) -> list[tuple[str, str]]:
    """(code, lazy label) pairs for a form's choices, in `order` when given."""
    labels = LABELS[kind]
    return [(code, labels[code]) for code in (order or labels)]
