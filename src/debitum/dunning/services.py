"""Dunning runs: decide every communication of a day, then carry each one out exactly once.

A run has two phases.

1. **Decide**, in one transaction: the due steps of every open invoice (`selectors.due_steps`,
   one SQL statement), less the invoices on hold, grouped into one communication per customer,
   currency and step, with the costs, interest and pay-before date the law allows
   (`domain.dunning_charges`). Written as new rows: the run, its actions and their invoices.
2. **Execute**, one action per transaction: letters and e-mails go to the outbox, calls become
   tasks, hand-overs become tasks for the agency file. An action is marked executed in the same
   transaction that queued its messages, and the outbox is keyed by the action: a run that
   crashed half-way is run again and sends each message once.

A second run for the same day finds the first: it finishes what is left and decides nothing new.
A dry run decides as a run would and writes none of its decisions: it answers them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from debitum.audit.services import audit_record
from debitum.common.bulk import bulk_insert
from debitum.customers.models import Customer
from debitum.domain.dunning import grouping
from debitum.domain.dunning_charges import ChargedInvoice, TakenStep, communication_charges
from debitum.domain.interest import Payment
from debitum.domain.money import to_minor_units

from .choices import ActionStatus, Channel, RunStatus
from .models import DunningAction, DunningActionInvoice, DunningRun, Policy, Step
from .selectors import ONE_PASS_ABOVE, due_steps, holds, invoice_step_history

ZERO = Decimal("0.00")


@dataclass
class RunResult:
    as_of: dt.date
    administration: str
    actions: list[dict] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    already_run: bool = False
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "administration": self.administration,
            "dry_run": self.dry_run,
            "already_run": self.already_run,
            "actions": self.actions,
            "skipped": self.skipped,
        }


class _Rollback(Exception):
    """Leaves a dry run's transaction without keeping anything."""


def _no_progress(phase: str, done: int, total: int) -> None:
    return None


def dunning_run(
    *,
    administration,
    as_of: dt.date,
    dry_run: bool = False,
    execute: bool = True,
    actor=None,
    progress=_no_progress,
) -> RunResult:
    """Run dunning for `administration` on `as_of` (see the module's docstring).

    With `execute=False` the run only decides: its actions wait as pending until a later run
    (or `action_execute`) carries them out. `progress(phase, done, total)` hears of the
    deciding and of each action carried out (a background job's progress bar).
    """
    result = RunResult(as_of=as_of, administration=administration.code, dry_run=dry_run)
    if dry_run:
        if DunningRun.objects.filter(administration=administration, as_of=as_of).exists():
            # The day was run: a run would decide nothing new, and deciding again would
            # collide with that day's run row (one run per administration and day).
            result.already_run = True
            return result
        try:
            with transaction.atomic():
                _decide(
                    administration=administration,
                    as_of=as_of,
                    actor=actor,
                    result=result,
                    write_actions=False,
                )
                raise _Rollback
        except _Rollback:
            pass
        return result
    run = DunningRun.objects.filter(administration=administration, as_of=as_of).first()
    if run is not None:
        result.already_run = True
    else:
        progress("deciding", 0, 1)
        with transaction.atomic():
            run = _decide(administration=administration, as_of=as_of, actor=actor, result=result)
        progress("deciding", 1, 1)
    if execute:
        _execute(administration=administration, run=run, result=result, progress=progress)
    return result


def _decide(
    *, administration, as_of: dt.date, actor, result: RunResult, write_actions: bool = True
) -> DunningRun:
    """Decide the day's actions into `result`, and (`write_actions`) write them with their
    invoices as the run's. A dry run decides only: writing a million invoice rows to roll them
    back was a third of its time, and what it answers has no ids (`"id": null`)."""
    _review_arrangements(administration=administration, as_of=as_of)
    due = due_steps(administration=administration, as_of=as_of)
    hold = holds(administration=administration, as_of=as_of)
    skipped: dict[str, int] = defaultdict(int)
    steps = {step.pk: step for step in Step.objects.filter(pk__in={row.step_id for row in due})}
    groups: dict[tuple, list] = defaultdict(list)
    for row in due:
        amount = row.open_amount
        if row.invoice_id in hold.disputed:
            disputed = hold.disputed[row.invoice_id]
            amount = ZERO if disputed is None else max(amount - disputed, ZERO)
            if amount <= 0:
                skipped["disputed"] += 1
                continue
        if row.invoice_id in hold.in_plan:
            skipped["plan"] += 1
        elif row.invoice_id in hold.collecting:
            skipped["direct_debit"] += 1
        elif row.customer_id in hold.promised:
            skipped["promise"] += 1
        elif row.customer_id in hold.paused_customers or row.invoice_id in hold.paused_invoices:
            skipped["paused"] += 1
        elif row.invoice_id in hold.waiting:
            skipped["waiting"] += 1
        elif row.customer_id in hold.excluded_customers or row.invoice_id in hold.excluded_invoices:
            skipped["excluded"] += 1
        else:
            key = (row.customer_id, row.currency, grouping(steps[row.step_id]))
            groups[key].append((row, amount))

    policies = {
        p.pk: p for p in Policy.objects.filter(pk__in={s.policy_id for s in steps.values()})
    }
    customers = {
        c.pk: c
        for c in Customer.objects.filter(
            administration=administration, pk__in={k[0] for k in groups}
        )
    }
    invoice_ids = [row.invoice_id for members in groups.values() for row, _ in members]
    history = invoice_step_history(administration=administration, invoice_ids=invoice_ids)
    payments = _payments_since_due(administration=administration, as_of=as_of, due=groups)
    rates = _rates()

    run = DunningRun.objects.create(
        administration=administration,
        as_of=as_of,
        status=RunStatus.DECIDING,
        actor=actor if actor is not None and actor.pk else None,
    )
    planned = []
    for (customer_id, currency, _), members in sorted(
        groups.items(), key=lambda item: (customers[item[0][0]].number, item[0][1], item[0][2])
    ):
        # One communication at the highest step among its invoices; each invoice keeps its own.
        step = max((steps[row.step_id] for row, _ in members), key=lambda s: s.position)
        customer = customers[customer_id]
        policy = policies[step.policy_id]
        members.sort(key=lambda member: (member[0].due_date, member[0].invoice_number))
        principal = sum((amount for _, amount in members), ZERO)
        if principal < policy.minimum_amount:
            skipped["small_balance"] += len(members)
            continue
        charged = [
            ChargedInvoice(
                number=row.invoice_number,
                due_date=row.due_date,
                amount=amount,
                paid_since_due=tuple(payments.get(row.invoice_id, ())),
                history=tuple(
                    TakenStep(kind=kind, as_of=day, channel=channel, fee=fee)
                    for _, kind, day, channel, fee in history.get(row.invoice_id, [])
                ),
                step_kind=steps[row.step_id].kind,
                charges_fees=steps[row.step_id].charges_fees,
                charges_interest=steps[row.step_id].charges_interest,
            )
            for row, amount in members
        ]
        law_country = (
            customer.country if customer.country in ("NL", "BE") else administration.country
        )
        charges = communication_charges(
            country=law_country,
            is_consumer=customer.customer_type == "consumer",
            step_kind=step.kind,
            channel=step.channel,
            charges_fees=step.charges_fees,
            charges_interest=step.charges_interest,
            invoices=charged,
            as_of=as_of,
            pay_within_days=policy.pay_within_days,
            rates=rates,
        )
        needs_approval = step.needs_approval
        action = DunningAction(
            administration=administration,
            run=run,
            customer=customer,
            step=step,
            position=step.position,
            kind=step.kind,
            channel=step.channel,
            currency=currency,
            principal=principal,
            fee=charges.fee,
            interest=charges.interest,
            pay_before=charges.pay_before,
            status=ActionStatus.AWAITING_APPROVAL if needs_approval else ActionStatus.PENDING,
            calculation=charges.calculation,
        )
        planned.append((action, members, charges))

    if write_actions:
        _actions_write(administration, run, as_of, planned)
    run.status = RunStatus.EXECUTING
    run.counts = {
        "actions": len(planned),
        "invoices": sum(len(members) for _, members, _ in planned),
        "awaiting_approval": sum(
            1 for action, _, _ in planned if action.status == ActionStatus.AWAITING_APPROVAL
        ),
        "skipped": dict(skipped),
    }
    run.save(update_fields=["status", "counts"])
    audit_record(
        administration=administration,
        actor=actor,
        action="dunning.run",
        obj=run,
        summary=f"dunning run {as_of}: {len(planned)} communications, "
        f"{run.counts['invoices']} invoices",
        changes=run.counts,
    )
    result.skipped = dict(skipped)
    result.actions = [
        _action_dict(action, [row.invoice_number for row, _ in members], customer=action.customer)
        for action, members, _ in planned
    ]
    return run


def _actions_write(administration, run: DunningRun, as_of: dt.date, planned: list) -> None:
    """The run's actions, a row per invoice of each, and a task for each action that waits
    for approval."""
    _actions_insert(run, [action for action, _, _ in planned])
    # One row per invoice, as plain tuples: a model instance each cost a run over a million
    # open invoices more than the decisions themselves.
    lines = [
        (
            administration.pk,
            action.pk,
            row.invoice_id,
            row.position,
            as_of,
            to_minor_units(amount),
            to_minor_units(charges.fee_per_invoice.get(row.invoice_number, ZERO)),
            to_minor_units(charges.interest_per_invoice.get(row.invoice_number, ZERO)),
        )
        for action, members, charges in planned
        for row, amount in members
    ]
    bulk_insert(
        DunningActionInvoice._meta.db_table,
        (
            "administration_id",
            "action_id",
            "invoice_id",
            "position",
            "as_of",
            "amount_cents",
            "fee_cents",
            "interest_cents",
        ),
        lines,
        row_count=len(lines),
    )
    for action, _, _ in planned:
        if action.status == ActionStatus.AWAITING_APPROVAL:
            _approval_task(action)


def _execute(*, administration, run: DunningRun, result: RunResult, progress=_no_progress) -> None:
    """Carry out every action of the administration that is ready, one per transaction."""
    ready = list(
        DunningAction.objects.filter(
            administration=administration,
            status__in=[ActionStatus.PENDING, ActionStatus.APPROVED],
            run__as_of__lte=run.as_of,
        )
        .order_by("run__as_of", "pk")
        .values_list("pk", flat=True)
    )
    documents: dict[int, list[str]] = {}
    for done, action_id in enumerate(ready):
        progress("carrying out", done, len(ready))
        documents[action_id] = action_execute(action_id=action_id)
    progress("carrying out", len(ready), len(ready))
    for entry in result.actions:
        if entry.get("id") in documents:
            entry["documents"] = documents[entry["id"]]
            entry["status"] = ActionStatus.EXECUTED.value
    if result.already_run:
        result.actions = [
            _action_dict(
                action,
                list(
                    action.lines.order_by("invoice__due_date", "invoice__number").values_list(
                        "invoice__number", flat=True
                    )
                ),
                customer=action.customer,
            )
            for action in DunningAction.objects.filter(pk__in=list(documents)).select_related(
                "customer", "step"
            )
        ]
    if run.status != RunStatus.COMPLETED:
        run.status = RunStatus.COMPLETED
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at"])


def action_execute(*, action_id: int) -> list[str]:
    """Carry out one action if it is still to be done; returns the paths of its letters.

    The action row is claimed under a lock and marked executed in the transaction that queues
    its messages or creates its task: done once, whatever crashes around it.
    """
    with transaction.atomic():
        action = (
            DunningAction.objects.select_for_update()
            .select_related("customer", "step")
            .filter(pk=action_id, status__in=[ActionStatus.PENDING, ActionStatus.APPROVED])
            .first()
        )
        if action is None:
            return []
        documents: list[str] = []
        if action.channel in (Channel.EMAIL, Channel.LETTER, Channel.EMAIL_AND_LETTER):
            from debitum.outbox.services import action_communicate

            documents = action_communicate(action=action)
        elif action.channel == Channel.PHONE_TASK:
            _task(
                action, kind="phone_call", title=f"Call {action.customer.name}: {action.step.name}"
            )
        else:
            _task(
                action,
                kind="handover",
                title=f"Hand over {action.customer.name} to the collection agency",
            )
        if action.fee or action.interest:
            from debitum.claims.services import claims_record_for_action

            claims_record_for_action(action=action)
        action.status = ActionStatus.EXECUTED
        action.executed_at = timezone.now()
        action.documents = documents
        action.save(update_fields=["status", "executed_at", "documents"])
    return documents


def _task(action: DunningAction, *, kind: str, title: str) -> None:
    from debitum.tasks.services import task_ensure

    task_ensure(
        administration=action.administration,
        customer=action.customer,
        kind=kind,
        title=title,
        detail=_summary(action),
        due_date=action.run.as_of,
        key=f"action-{action.pk}-{kind}",
        dunning_action=action,
        assigned_to=action.customer.account_manager if kind == "approval" else None,
    )


ACTION_COLUMNS = (
    "administration_id", "run_id", "customer_id", "step_id", "position", "kind", "channel",
    "currency", "principal_cents", "fee_cents", "interest_cents", "pay_before", "status",
    "calculation", "documents",
)  # fmt: skip


def _actions_insert(run: DunningRun, actions: list[DunningAction]) -> None:
    """Insert a run's new actions as plain rows and give each its id.

    The ORM's bulk_create builds the SQL of every row field by field; on SQLite it batches by
    the parameter limit too (58 actions a statement): 250 µs an action, 25 s for 100,000.
    The run was made in this transaction, so its actions' ids, in order, are the rows just
    inserted, in order (SQLite's rowids and PostgreSQL's identity both count up row by row).
    """
    calculation = DunningAction._meta.get_field("calculation")
    bulk_insert(
        DunningAction._meta.db_table,
        ACTION_COLUMNS,
        (
            (
                action.administration_id,
                run.pk,
                action.customer_id,
                action.step_id,
                action.position,
                action.kind,
                action.channel,
                action.currency,
                to_minor_units(action.principal),
                to_minor_units(action.fee),
                to_minor_units(action.interest),
                action.pay_before,
                action.status,
                json.dumps(action.calculation, cls=calculation.encoder),
                "[]",
            )
            for action in actions
        ),
        row_count=len(actions),
    )
    ids = list(
        DunningAction.objects.filter(administration_id=run.administration_id, run=run)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(ids) != len(actions):
        raise RuntimeError(f"run {run.pk}: {len(ids)} actions stored for {len(actions)} decided")
    for action, pk in zip(actions, ids, strict=True):
        action.pk = pk
        action._state.adding = False
        action._state.db = "default"


def _approval_task(action: DunningAction) -> None:
    _task(action, kind="approval", title=f"Approve '{action.step.name}' for {action.customer.name}")


def _summary(action: DunningAction) -> str:
    return (
        f"{action.step.name}: {action.currency} {action.principal:.2f} open"
        + (f", costs {action.fee:.2f}" if action.fee else "")
        + (f", interest {action.interest:.2f}" if action.interest else "")
    )


def action_approve(*, action: DunningAction, actor, execute: bool = True) -> DunningAction:
    """Approve a step that waits for approval, and carry it out (unless `execute` is false)."""
    with transaction.atomic():
        locked = DunningAction.objects.select_for_update().get(pk=action.pk)
        if locked.status != ActionStatus.AWAITING_APPROVAL:
            raise ValueError(f"action {action.pk} is {locked.status}, not awaiting approval")
        locked.status = ActionStatus.APPROVED
        locked.decided_by = actor if actor is not None and actor.pk else None
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        _close_approval_task(locked)
        audit_record(
            administration=locked.administration,
            actor=actor,
            action="dunning.approve",
            obj=locked,
            summary=f"approved {locked.kind} for customer {locked.customer_id}",
        )
    if execute:
        action_execute(action_id=locked.pk)
    locked.refresh_from_db()
    return locked


def action_reject(
    *, action: DunningAction, actor, reason: str, pause_until: dt.date
) -> DunningAction:
    """Refuse a step: it is not taken, and the customer's dunning pauses until `pause_until`."""
    from .models import Pause

    with transaction.atomic():
        locked = DunningAction.objects.select_for_update().get(pk=action.pk)
        if locked.status != ActionStatus.AWAITING_APPROVAL:
            raise ValueError(f"action {action.pk} is {locked.status}, not awaiting approval")
        locked.status = ActionStatus.REJECTED
        locked.decided_by = actor if actor is not None and actor.pk else None
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        Pause.objects.create(
            administration=locked.administration,
            customer=locked.customer,
            start_date=locked.run.as_of,
            end_date=max(pause_until, locked.run.as_of),
            reason=f"step '{locked.step.name}' rejected: {reason}",
            created_by=locked.decided_by,
        )
        _close_approval_task(locked)
        audit_record(
            administration=locked.administration,
            actor=actor,
            action="dunning.reject",
            obj=locked,
            summary=f"rejected {locked.kind} for customer {locked.customer_id}",
            reason=reason,
        )
    return locked


def _close_approval_task(action: DunningAction) -> None:
    from debitum.tasks.models import Task

    Task.objects.filter(
        administration=action.administration, key=f"action-{action.pk}-approval", status="open"
    ).update(status="done", closed_at=timezone.now())


def dunning_pause(
    *,
    administration,
    customer,
    until: dt.date,
    reason: str,
    as_of: dt.date,
    invoice=None,
    actor=None,
):
    """No dunning for `customer` (or only `invoice`) from `as_of` through `until`."""
    from .models import Pause

    if not reason.strip():
        raise ValueError("a pause needs its reason")
    if until < as_of:
        raise ValueError(f"a pause until {until} would end before it starts ({as_of})")
    with transaction.atomic():
        pause = Pause.objects.create(
            administration=administration,
            customer=customer,
            invoice=invoice,
            start_date=as_of,
            end_date=until,
            reason=reason.strip(),
            created_by=actor if actor is not None and actor.pk else None,
        )
        audit_record(
            administration=administration,
            actor=actor,
            action="dunning.pause",
            obj=pause,
            summary=f"dunning of {customer.number}"
            + (f" invoice {invoice.number}" if invoice else "")
            + f" paused until {until}",
            reason=reason,
        )
    return pause


def dunning_simulate(*, administration, start: dt.date, end: dt.date) -> list[dict]:
    """What daily runs from `start` through `end` would do, changing nothing.

    Each day's decisions are written inside one transaction, so that the next day sees them
    as a real run would, and the transaction is rolled back at the end. Nothing is executed.
    """
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    actions: list[dict] = []
    try:
        with transaction.atomic():
            day = start
            while day <= end:
                if not DunningRun.objects.filter(administration=administration, as_of=day).exists():
                    result = RunResult(as_of=day, administration=administration.code)
                    _decide(administration=administration, as_of=day, actor=None, result=result)
                    for entry in result.actions:
                        entry["as_of"] = day.isoformat()
                        entry.pop("id", None)
                        entry["simulated"] = True
                        actions.append(entry)
                day += dt.timedelta(days=1)
            raise _Rollback
    except _Rollback:
        pass
    return actions


def _action_dict(action: DunningAction, invoice_numbers: list[str], *, customer) -> dict:
    return {
        "id": action.pk,
        "customer_number": customer.number,
        "customer_name": customer.name,
        "kind": action.kind,
        "step": action.step.name,
        "position": action.position,
        "channel": action.channel,
        "currency": action.currency,
        "invoices": invoice_numbers,
        "principal": f"{action.principal:.2f}",
        "fee": f"{action.fee:.2f}",
        "interest": f"{action.interest:.2f}",
        "named_costs": _named_costs(action.calculation),
        "pay_before": action.pay_before.isoformat() if action.pay_before else None,
        "status": action.status,
        "documents": list(action.documents or []),
        "notes": list(action.calculation.get("notes", [])),
    }


def _named_costs(calculation: dict) -> str:
    named = calculation.get("named_costs")
    return named["fee"] if isinstance(named, dict) else "0.00"


def _payments_since_due(*, administration, as_of: dt.date, due) -> dict[int, list[Payment]]:
    """Allocations to the dunned invoices after their due dates, as interest payments."""
    from debitum.ledger.models import Allocation

    due_dates = {row.invoice_id: row.due_date for members in due.values() for row, _ in members}
    found: dict[int, list[Payment]] = defaultdict(list)
    ids = list(due_dates)
    settled = Allocation.objects.filter(administration=administration, allocation_date__lte=as_of)
    # Chunks of ids for a few invoices, one pass over the administration for many (as
    # invoice_step_history does).
    chunks = (
        [settled]
        if len(ids) > ONE_PASS_ABOVE
        else [
            settled.filter(invoice_id__in=ids[start : start + 900])
            for start in range(0, len(ids), 900)
        ]
    )
    for chunk in chunks:
        for invoice_id, day, amount in chunk.values_list(
            "invoice_id", "allocation_date", "amount"
        ).iterator(chunk_size=20_000):
            due_date = due_dates.get(invoice_id)
            if due_date is not None and day > due_date:
                found[invoice_id].append(Payment(payment_date=day, amount=amount))
    return found


def _rates():
    from debitum.law.selectors import rate_table_get

    return rate_table_get()


def _review_arrangements(*, administration, as_of: dt.date) -> None:
    """Before deciding: promises and plans whose day has come are marked kept, broken or
    completed, so that the run sees who is back in dunning; money on account settles open
    costs and interest."""
    from debitum.claims.services import claims_settle
    from debitum.plans.services import plans_review
    from debitum.promises.services import promises_review

    promises_review(administration=administration, as_of=as_of)
    plans_review(administration=administration, as_of=as_of)
    claims_settle(administration=administration, as_of=as_of)
