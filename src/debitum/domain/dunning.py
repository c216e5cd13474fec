"""Dunning decisions: which step of its ladder an open invoice has reached on a day.

A policy is an ordered ladder of steps. An invoice walks it one step at a time: step n+1 is due
when the invoice is `day_offset` days past its due date (negative: before it) and at least
`min_days_since_previous` days have passed since step n was taken. An invoice never skips a
step: an invoice that is found 90 days late starts with the first reminder, because a demand
without the reminder before it does not hold up (and a Dutch consumer owes no costs without the
fourteen-day letter). The one exception: a step before the due date (a friendly pre-due
reminder) is passed over once the invoice is due.

Invoices that are disputed (for the disputed part), under a payment plan, of a customer with an
active promise, or paused are not dunned. The invoices of one customer that reach the same step on
the same day become one communication. This module decides for a handful of invoices and is the
definition; the dunning app computes the same over a million invoices in SQL, and a property test
holds the two equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

# The vocabulary of step kinds, from the friendliest to the hardest.
STEP_KINDS = (
    "pre_due_reminder",
    "reminder",
    "phone_call",
    "demand",
    "fourteen_day_letter",
    "notice_of_default",
    "agency_handover",
    "legal",
)
CHANNELS = ("email", "letter", "email_and_letter", "phone_task", "handover")
SEGMENTS = ("low", "normal", "high", "strategic", "intercompany", "consumer")


class DunningError(ValueError):
    """A ladder or an input that cannot be dunned on."""


@dataclass(frozen=True)
class Step:
    position: int  # 1, 2, 3 ... in the order of the ladder
    kind: str
    name: str
    day_offset: int  # days after the due date the step becomes due (negative: before)
    min_days_since_previous: int
    channel: str
    charges_fees: bool = False
    charges_interest: bool = False
    needs_approval: bool = False


def ladder_check(steps: Iterable[Step]) -> tuple[Step, ...]:
    """The steps in order, or DunningError naming what is wrong with the ladder."""
    ordered = tuple(sorted(steps, key=lambda step: step.position))
    if [step.position for step in ordered] != list(range(1, len(ordered) + 1)):
        raise DunningError("the steps of a ladder are numbered 1, 2, 3 ... without gaps")
    for step in ordered:
        if step.kind not in STEP_KINDS:
            raise DunningError(f"step {step.position}: unknown kind {step.kind!r}")
        if step.channel not in CHANNELS:
            raise DunningError(f"step {step.position}: unknown channel {step.channel!r}")
        if step.min_days_since_previous < 0:
            raise DunningError(f"step {step.position}: min_days_since_previous is negative")
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later.day_offset < earlier.day_offset:
            raise DunningError(
                f"step {later.position} ({later.name}) comes before step {earlier.position} "
                f"({earlier.name}): day {later.day_offset} < day {earlier.day_offset}"
            )
    return ordered


@dataclass(frozen=True)
class InvoiceState:
    """What the decision needs to know about one open invoice on the day of the run."""

    invoice_number: str
    customer_number: str
    currency: str
    due_date: dt.date
    open_amount: Decimal
    disputed_amount: Decimal = Decimal("0.00")
    last_position: int = 0  # the last step taken; 0 = none yet
    last_step_date: dt.date | None = None
    is_waiting: bool = False  # a step awaits approval
    is_in_plan: bool = False
    is_paused: bool = False  # the invoice or its customer is paused on the day
    has_promise: bool = False  # the customer has an active promise to pay
    # The last day a promise of the customer was found broken: a promise broken after the last
    # step makes the next step due without waiting its gap (dunning escalates faster).
    broken_promise_date: dt.date | None = None

    @property
    def dunnable_amount(self) -> Decimal:
        return max(self.open_amount - self.disputed_amount, Decimal("0.00"))


@dataclass(frozen=True)
class Skip:
    invoice_number: str
    reason: str  # disputed, plan, promise, paused, waiting, nothing_due, small_balance, end


def next_step(ladder: tuple[Step, ...], state: InvoiceState, as_of: dt.date) -> Step | Skip:
    """The step `state`'s invoice takes on `as_of`, or why it takes none."""
    number = state.invoice_number
    if state.open_amount <= 0:
        return Skip(number, "paid")
    if state.dunnable_amount <= 0:
        return Skip(number, "disputed")
    if state.is_in_plan:
        return Skip(number, "plan")
    if state.has_promise:
        return Skip(number, "promise")
    if state.is_paused:
        return Skip(number, "paused")
    if state.is_waiting:
        return Skip(number, "waiting")
    position = state.last_position
    # A reminder before the due date makes no sense once the invoice is due: it is passed over.
    while position < len(ladder) and ladder[position].day_offset < 0 and as_of >= state.due_date:
        position += 1
    if position >= len(ladder):
        return Skip(number, "end")
    step = ladder[position]
    if as_of < state.due_date + dt.timedelta(days=step.day_offset):
        return Skip(number, "nothing_due")
    broke_since = (
        state.broken_promise_date is not None
        and state.last_step_date is not None
        and state.last_step_date < state.broken_promise_date <= as_of
    )
    if (
        state.last_step_date is not None
        and not broke_since
        and as_of < state.last_step_date + dt.timedelta(days=step.min_days_since_previous)
    ):
        return Skip(number, "nothing_due")
    return step


MESSAGE_CHANNELS = ("email", "letter", "email_and_letter")


def grouping(step) -> tuple:
    """Invoices of one customer and currency whose steps share this key make one action.

    All letters and e-mails of a day go into one communication per customer, at the highest
    step among its invoices (each invoice keeps its own step, costs and interest): a customer
    gets one letter, not three. A step that needs approval waits apart, so that it does not hold
    back the others. Calls and hand-overs are tasks, one per step.
    """
    if step.channel in MESSAGE_CHANNELS:
        return ("message", bool(step.needs_approval))
    return ("task", step.position)


@dataclass(frozen=True)
class Communication:
    """One message (or task) to one customer: the invoices that reached a step on one day."""

    customer_number: str
    currency: str
    step: Step  # the highest step among the invoices
    invoice_numbers: tuple[str, ...]
    invoice_steps: tuple[int, ...]  # each invoice's own step position
    principal: Decimal  # the sum of what is dunned on those invoices
    invoices: tuple[InvoiceState, ...] = field(repr=False, default=())


def communications(
    ladder: tuple[Step, ...],
    states: Iterable[InvoiceState],
    as_of: dt.date,
    *,
    minimum_amount: Decimal = Decimal("0.00"),
) -> tuple[list[Communication], list[Skip]]:
    """Group the invoices due for a step into communications (see `grouping`).

    A group whose principal is under `minimum_amount` is skipped (`small_balance`): a letter about
    a few euros costs more than it brings in.
    """
    groups: dict[tuple, list[tuple[InvoiceState, Step]]] = {}
    skips: list[Skip] = []
    for state in states:
        decision = next_step(ladder, state, as_of)
        if isinstance(decision, Skip):
            skips.append(decision)
            continue
        key = (state.customer_number, state.currency, grouping(decision))
        groups.setdefault(key, []).append((state, decision))
    result = []
    for (customer_number, currency, _), members in sorted(groups.items()):
        members.sort(key=lambda member: (member[0].due_date, member[0].invoice_number))
        principal = sum((state.dunnable_amount for state, _ in members), Decimal("0.00"))
        if principal < minimum_amount:
            skips.extend(Skip(state.invoice_number, "small_balance") for state, _ in members)
            continue
        result.append(
            Communication(
                customer_number=customer_number,
                currency=currency,
                step=max((step for _, step in members), key=lambda step: step.position),
                invoice_numbers=tuple(state.invoice_number for state, _ in members),
                invoice_steps=tuple(step.position for _, step in members),
                principal=principal,
                invoices=tuple(state for state, _ in members),
            )
        )
    return result, skips
