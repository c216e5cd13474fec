"""Writes of the work bench that belong to no other app: assigning customers to a collector,
changing a customer's segment, asking a manager to escalate. Each writes an audit event in
its transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from debitum.administrations.choices import ROLE_RANK, Role
from debitum.administrations.models import Membership
from debitum.audit.services import audit_record
from debitum.customers.choices import Segment
from debitum.customers.models import Customer
from debitum.tasks.models import Task, TaskKind


def customers_assign(*, administration, customer_ids, collector, actor) -> int:
    """Make `collector` (None: nobody) the collector of the customers `customer_ids` of
    `administration`. The collector must be a controller or more there. Returns the number of
    customers changed; ids of other administrations are ignored."""
    if collector is not None:
        role = (
            Membership.objects.filter(administration=administration, user=collector)
            .values_list("role", flat=True)
            .first()
        )
        if role is None or ROLE_RANK[Role(role)] < ROLE_RANK[Role.CONTROLLER]:
            raise ValidationError({"collector": "the collector must be a credit controller here"})
    with transaction.atomic():
        customers = list(
            Customer.objects.select_for_update()
            .filter(administration=administration, pk__in=list(customer_ids))
            .exclude(collector=collector)
            .order_by("pk")
        )
        Customer.objects.filter(pk__in=[customer.pk for customer in customers]).update(
            collector=collector
        )
        name = collector.get_username() if collector is not None else "nobody"
        for customer in customers:
            audit_record(
                administration=administration,
                actor=actor,
                action="customer.assign",
                obj=customer,
                summary=f"{customer.number} assigned to {name}",
                changes={"collector": [customer.collector_id, getattr(collector, "pk", None)]},
            )
    return len(customers)


def customer_segment_change(
    *, customer: Customer, segment: str, reason: str = "", actor
) -> Customer:
    """Move a customer to another segment: its next dunning step follows that segment's policy."""
    if segment not in Segment.values:
        raise ValidationError({"segment": f"{segment!r} is not a segment"})
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        before = customer.segment
        if before == segment:
            return customer
        customer.segment = segment
        customer.save(update_fields=["segment", "updated_at"])
        audit_record(
            administration=customer.administration,
            actor=actor,
            action="customer.segment",
            obj=customer,
            summary=f"{customer.number} moved from segment {before} to {segment}",
            changes={"segment": [before, segment]},
            reason=reason.strip(),
        )
    return customer


def escalation_request(*, customer: Customer, reason: str, as_of: dt.date, actor) -> Task:
    """A collector asks for the customer's case to go further (agency, lawyer): a task for the
    managers, with the reason. A manager decides (approves the step, or hands over)."""
    if not reason.strip():
        raise ValidationError({"reason": "say why the case should be escalated"})
    with transaction.atomic():
        task = Task.objects.create(
            administration_id=customer.administration_id,
            customer=customer,
            kind=TaskKind.HANDOVER,
            title=f"Escalation requested for {customer.name}",
            detail=reason.strip(),
            due_date=as_of,
        )
        audit_record(
            administration=customer.administration,
            actor=actor,
            action="customer.escalation_request",
            obj=customer,
            summary=f"escalation of {customer.number} requested",
            reason=reason.strip(),
        )
    return task
