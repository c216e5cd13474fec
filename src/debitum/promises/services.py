"""Writes of promises to pay: registering, cancelling, and the daily review that marks them
kept or broken.

A promise moves only along `TRANSITIONS`, and every move writes an audit event in the same
transaction (STYLE rule 4).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from debitum.audit.services import audit_record
from debitum.ledger.models import Payment
from debitum.tasks.services import task_ensure

from .models import Promise, PromiseStatus
from .selectors import promise_grace_days

TRANSITIONS = {
    PromiseStatus.OPEN: {PromiseStatus.KEPT, PromiseStatus.BROKEN, PromiseStatus.CANCELLED},
    PromiseStatus.KEPT: set(),
    PromiseStatus.BROKEN: set(),
    PromiseStatus.CANCELLED: set(),
}


def _check_transition(promise: Promise, target: str) -> None:
    if target not in TRANSITIONS[PromiseStatus(promise.status)]:
        raise ValidationError(
            {"status": f"promise {promise.pk} is {promise.status}; it cannot become {target}"}
        )


def grace_end_date(promise: Promise) -> dt.date:
    """The last day a payment still keeps the promise; dunning waits until then."""
    return promise.promised_date + dt.timedelta(days=promise.grace_days)


def promise_register(
    *,
    customer,
    amount: Decimal,
    promised_date: dt.date,
    promise_date: dt.date,
    note: str = "",
    grace_days: int | None = None,
    actor=None,
) -> Promise:
    """Record that `customer` promised on `promise_date` to pay `amount` by `promised_date`.

    The grace days come from the customer's dunning policy (else 3) unless given. While the
    promise is open, the customer's dunning waits until the promised date plus the grace days.
    """
    if isinstance(amount, float) or not isinstance(amount, Decimal):
        raise ValidationError({"amount": "the amount is a Decimal"})
    if amount <= 0:
        raise ValidationError({"amount": "a promised amount must be positive"})
    if promised_date < promise_date:
        raise ValidationError(
            {"promised_date": f"the promised date {promised_date} is before {promise_date}"}
        )
    administration = customer.administration
    with transaction.atomic():
        promise = Promise.objects.create(
            administration=administration,
            customer=customer,
            promise_date=promise_date,
            promised_date=promised_date,
            amount=amount,
            currency=administration.currency,
            grace_days=promise_grace_days(customer=customer) if grace_days is None else grace_days,
            note=note.strip(),
            created_by=actor if actor is not None and actor.pk else None,
        )
        audit_record(
            administration=administration,
            actor=actor,
            action="promise.register",
            obj=promise,
            summary=f"{customer.number} promised {promise.currency} {amount:.2f} by {promised_date}",
            changes={
                "customer": customer.number,
                "amount": f"{amount:.2f}",
                "promised_date": promised_date.isoformat(),
                "grace_days": promise.grace_days,
            },
        )
    return promise


def promise_cancel(
    *, promise: Promise, cancelled_date: dt.date, reason: str = "", actor=None
) -> Promise:
    """Withdraw an open promise (entered by mistake, replaced by a plan): dunning no longer
    waits for it, and it does not count as broken."""
    with transaction.atomic():
        promise = Promise.objects.select_for_update().get(
            pk=promise.pk, administration_id=promise.administration_id
        )
        _check_transition(promise, PromiseStatus.CANCELLED)
        promise.status = PromiseStatus.CANCELLED
        promise.closed_date = cancelled_date
        promise.save(update_fields=["status", "closed_date"])
        audit_record(
            administration=promise.administration,
            actor=actor,
            action="promise.cancel",
            obj=promise,
            summary=f"promise {promise.pk} of {promise.currency} {promise.amount:.2f} by {promise.promised_date} cancelled",
            changes={"status": ["open", "cancelled"]},
            reason=reason.strip(),
        )
    return promise


def promises_review(*, administration, as_of: dt.date, actor=None) -> dict[str, int]:
    """Mark the open promises of the administration kept or broken at `as_of`.

    Kept: the customer's payments (positive, in the promise's currency) dated from the promise
    date through the promised date plus the grace days, and not after `as_of`, add up to the
    amount; closed on the day they reached it. Broken: not kept when the promised date plus
    the grace days is before `as_of`; closed the day after the grace ended, with a task for
    the collector. Whatever stays open is left alone, so running it twice changes nothing.

    Counts: {"kept", "broken", "open"} (open: still waiting).
    """
    counts = {"kept": 0, "broken": 0, "open": 0}
    with transaction.atomic():
        # Only the promises are locked (`of`): the joined customers stay free for imports.
        promises = list(
            Promise.objects.select_for_update(of=("self",))
            .filter(administration=administration, status=PromiseStatus.OPEN)
            .filter(promise_date__lte=as_of)
            .select_related("customer")
            .order_by("id")
        )
        if not promises:
            return counts
        # All the payments that can count, in one query: customers with an open promise,
        # from the earliest promise date on.
        payments = defaultdict(list)
        rows = (
            Payment.objects.filter(
                administration=administration,
                customer_id__in=Promise.objects.filter(
                    administration=administration, status=PromiseStatus.OPEN
                ).values("customer_id"),
                amount__gt=0,
                payment_date__gte=min(promise.promise_date for promise in promises),
                payment_date__lte=as_of,
            )
            .order_by("payment_date", "id")
            .values_list("customer_id", "currency", "payment_date", "amount")
        )
        for customer_id, currency, payment_date, amount in rows:
            payments[customer_id, currency].append((payment_date, amount))

        kept, broken = [], []
        for promise in promises:
            window_end = min(grace_end_date(promise), as_of)
            received = Decimal("0")
            kept_on = None
            for payment_date, amount in payments[promise.customer_id, promise.currency]:
                if promise.promise_date <= payment_date <= window_end:
                    received += amount
                    if received >= promise.amount:
                        kept_on = payment_date
                        break
            if kept_on is not None:
                promise.status, promise.closed_date = PromiseStatus.KEPT, kept_on
                kept.append((promise, received))
            elif grace_end_date(promise) < as_of:
                promise.status = PromiseStatus.BROKEN
                promise.closed_date = grace_end_date(promise) + dt.timedelta(days=1)
                broken.append((promise, received))
            else:
                counts["open"] += 1
        Promise.objects.bulk_update(
            [promise for promise, _ in kept + broken], ["status", "closed_date"], batch_size=500
        )
        for promise, received in kept:
            audit_record(
                administration=administration,
                actor=actor,
                action="promise.kept",
                obj=promise,
                summary=f"{promise.customer.number} kept the promise of {promise.currency} {promise.amount:.2f} by {promise.promised_date}",
                changes={"status": ["open", "kept"], "received": f"{received:.2f}"},
            )
        for promise, received in broken:
            audit_record(
                administration=administration,
                actor=actor,
                action="promise.broken",
                obj=promise,
                summary=f"{promise.customer.number} broke the promise of {promise.currency} {promise.amount:.2f} by {promise.promised_date} ({received:.2f} received)",
                changes={"status": ["open", "broken"], "received": f"{received:.2f}"},
            )
            task_ensure(
                administration=administration,
                customer=promise.customer,
                kind="promise_broken",
                title=f"Promise broken: {promise.currency} {promise.amount:.2f} by {promise.promised_date}",
                detail=(
                    f"{promise.customer.number} {promise.customer.name} promised on "
                    f"{promise.promise_date} to pay {promise.currency} {promise.amount:.2f} by "
                    f"{promise.promised_date} (grace {promise.grace_days} days); "
                    f"{received:.2f} was received. Dunning resumes."
                ),
                due_date=as_of,
                key=f"promise-broken-{promise.pk}",
            )
        counts["kept"], counts["broken"] = len(kept), len(broken)
    return counts
