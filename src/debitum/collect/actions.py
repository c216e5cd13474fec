"""The actions on a customer: which form, which role, which service. The dossier and the
work list's lines show the same forms and post to the same view (`views.customer_action`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from debitum.administrations.choices import Role
from debitum.disputes.models import Dispute
from debitum.disputes.services import dispute_open, dispute_resolve
from debitum.dunning.models import DunningAction
from debitum.dunning.services import action_approve, action_reject, dunning_pause
from debitum.ledger.models import Invoice
from debitum.ledger.services import invoice_write_off
from debitum.notes.services import note_add
from debitum.plans.services import plan_create
from debitum.promises.services import promise_register

from . import forms
from .services import customer_segment_change, escalation_request


@dataclass(frozen=True)
class Action:
    name: str
    title: str
    form: type[forms.CustomerForm]
    minimum_role: str
    perform: Callable  # (data, customer, actor, as_of) -> a message


def _call(data, customer, actor, as_of):
    note_add(
        customer=customer,
        kind="call",
        outcome=data["outcome"],
        text=data["text"],
        note_date=as_of,
        actor=actor,
    )
    return _("Call logged.")


def _note(data, customer, actor, as_of):
    note_add(customer=customer, kind="note", text=data["text"], note_date=as_of, actor=actor)
    return _("Note added.")


def _promise(data, customer, actor, as_of):
    promise_register(
        customer=customer,
        amount=Decimal(data["amount"]),
        promised_date=data["promised_date"],
        promise_date=as_of,
        note=data["note"],
        actor=actor,
    )
    return _("Promise registered.")


def _invoice(customer, invoice_id) -> Invoice:
    return Invoice.objects.get(
        administration_id=customer.administration_id, customer=customer, pk=invoice_id
    )


def _dispute(data, customer, actor, as_of):
    dispute_open(
        invoice=_invoice(customer, data["invoice"]),
        reason=data["reason"],
        opened_date=as_of,
        amount=data["amount"],
        note=data["note"],
        actor=actor,
    )
    return _("Dispute opened.")


def _dispute_resolve(data, customer, actor, as_of):
    dispute = Dispute.objects.get(
        administration_id=customer.administration_id, customer=customer, pk=data["dispute"]
    )
    dispute_resolve(
        dispute=dispute,
        resolution=data["resolution"],
        resolved_date=as_of,
        credit_amount=data["credit_amount"],
        note=data["note"],
        actor=actor,
    )
    return _("Dispute resolved.")


def _plan(data, customer, actor, as_of):
    plan_create(
        customer=customer,
        instalments=data["instalments"],
        first_date=data["first_date"],
        start_date=as_of,
        every=data["every"],
        note=data["note"],
        actor=actor,
    )
    return _("Payment plan created; the confirmation is in the outbox.")


def _pause(data, customer, actor, as_of):
    try:
        dunning_pause(
            administration=customer.administration,
            customer=customer,
            until=data["until"],
            reason=data["reason"],
            as_of=as_of,
            actor=actor,
        )
    except ValueError as error:
        raise ValidationError({"until": str(error)}) from None
    return _("Dunning paused.")


def _segment(data, customer, actor, as_of):
    customer_segment_change(
        customer=customer, segment=data["segment"], reason=data["reason"], actor=actor
    )
    return _("Segment changed.")


def _escalate(data, customer, actor, as_of):
    escalation_request(customer=customer, reason=data["reason"], as_of=as_of, actor=actor)
    return _("Escalation requested: a task for the managers.")


def _approval(data, customer, actor, as_of):
    action = DunningAction.objects.get(
        administration_id=customer.administration_id, customer=customer, pk=data["action"]
    )
    try:
        if data["decision"] == "approve":
            action_approve(action=action, actor=actor)
            return _("Step approved and carried out.")
        action_reject(
            action=action, actor=actor, reason=data["reason"], pause_until=data["pause_until"]
        )
    except ValueError as error:
        raise ValidationError({"action": str(error)}) from None
    return _("Step rejected; dunning paused.")


def _write_off(data, customer, actor, as_of: dt.date):
    invoice_write_off(
        invoice=_invoice(customer, data["invoice"]),
        amount=Decimal(data["amount"]),
        write_off_date=as_of,
        reason=data["reason"],
        actor=actor,
    )
    return _("Written off.")


ACTIONS = {
    action.name: action
    for action in (
        Action("call", _("Log a call"), forms.CallForm, Role.CONTROLLER, _call),
        Action("note", _("Add a note"), forms.NoteForm, Role.CONTROLLER, _note),
        Action("promise", _("Register a promise"), forms.PromiseForm, Role.CONTROLLER, _promise),
        Action("dispute", _("Open a dispute"), forms.DisputeForm, Role.CONTROLLER, _dispute),
        Action(
            "dispute_resolve",
            _("Resolve a dispute"),
            forms.DisputeResolveForm,
            Role.CONTROLLER,
            _dispute_resolve,
        ),
        Action("plan", _("Payment plan"), forms.PlanForm, Role.CONTROLLER, _plan),
        Action("pause", _("Pause dunning"), forms.PauseForm, Role.CONTROLLER, _pause),
        Action("segment", _("Change the segment"), forms.SegmentForm, Role.CONTROLLER, _segment),
        Action(
            "escalate", _("Request escalation"), forms.EscalationForm, Role.CONTROLLER, _escalate
        ),
        Action(
            "approval", _("Approve or reject a step"), forms.ApprovalForm, Role.MANAGER, _approval
        ),
        Action("write_off", _("Write off"), forms.WriteOffForm, Role.MANAGER, _write_off),
    )
}
