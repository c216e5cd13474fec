"""The ladder rule on its own: one step at a time, on its day, after its gap."""

import datetime as dt
from decimal import Decimal

import pytest

from debitum.domain.dunning import (
    DunningError,
    InvoiceState,
    Skip,
    Step,
    communications,
    ladder_check,
    next_step,
)

D = Decimal
LADDER = ladder_check(
    [
        Step(1, "reminder", "Reminder", 7, 0, "email"),
        Step(2, "demand", "Demand", 21, 7, "letter", charges_fees=True),
    ]
)
DUE = dt.date(2026, 3, 1)


def state(number="F-1", customer="C1", **kwargs):
    return InvoiceState(
        invoice_number=number,
        customer_number=customer,
        currency="EUR",
        due_date=kwargs.pop("due_date", DUE),
        open_amount=kwargs.pop("open_amount", D("100.00")),
        **kwargs,
    )


def test_the_first_step_comes_on_its_day():
    assert next_step(LADDER, state(), DUE + dt.timedelta(days=6)) == Skip("F-1", "nothing_due")
    assert next_step(LADDER, state(), DUE + dt.timedelta(days=7)).kind == "reminder"


def test_the_next_step_waits_for_its_gap_after_the_previous_one():
    taken = state(last_position=1, last_step_date=DUE + dt.timedelta(days=18))
    assert next_step(LADDER, taken, DUE + dt.timedelta(days=24)) == Skip("F-1", "nothing_due")
    assert next_step(LADDER, taken, DUE + dt.timedelta(days=25)).kind == "demand"


def test_the_end_of_the_ladder_and_the_holds():
    as_of = DUE + dt.timedelta(days=60)
    assert next_step(LADDER, state(last_position=2), as_of).reason == "end"
    assert next_step(LADDER, state(disputed_amount=D("100.00")), as_of).reason == "disputed"
    assert next_step(LADDER, state(is_in_plan=True), as_of).reason == "plan"
    assert next_step(LADDER, state(has_promise=True), as_of).reason == "promise"
    assert next_step(LADDER, state(is_paused=True), as_of).reason == "paused"
    assert next_step(LADDER, state(is_waiting=True), as_of).reason == "waiting"
    assert next_step(LADDER, state(open_amount=D("0.00")), as_of).reason == "paid"


def test_communications_group_per_customer_and_step_and_skip_small_ones():
    as_of = DUE + dt.timedelta(days=7)
    result, skips = communications(
        LADDER,
        [
            state("F-1", "C1", open_amount=D("60.00")),
            state("F-2", "C1", open_amount=D("50.00"), disputed_amount=D("20.00")),
            state("G-1", "C2", open_amount=D("5.00")),
        ],
        as_of,
        minimum_amount=D("10.00"),
    )
    assert [(c.customer_number, c.invoice_numbers, c.principal) for c in result] == [
        ("C1", ("F-1", "F-2"), D("90.00"))
    ]
    assert skips == [Skip("G-1", "small_balance")]


@pytest.mark.parametrize(
    "steps, message",
    [
        ([Step(2, "reminder", "R", 7, 0, "email")], "without gaps"),
        ([Step(1, "nagging", "R", 7, 0, "email")], "unknown kind"),
        ([Step(1, "reminder", "R", 7, 0, "pigeon")], "unknown channel"),
        (
            [Step(1, "reminder", "R", 14, 0, "email"), Step(2, "demand", "D", 7, 0, "letter")],
            "comes before",
        ),
    ],
)
def test_a_bad_ladder_is_refused(steps, message):
    with pytest.raises(DunningError, match=message):
        ladder_check(steps)


def test_a_pre_due_reminder_is_passed_over_once_the_invoice_is_due():
    ladder = ladder_check(
        [
            Step(1, "pre_due_reminder", "Friendly", -3, 0, "email"),
            Step(2, "reminder", "Reminder", 7, 0, "email"),
        ]
    )
    assert next_step(ladder, state(), DUE - dt.timedelta(days=3)).kind == "pre_due_reminder"
    assert next_step(ladder, state(), DUE) == Skip("F-1", "nothing_due")
    assert next_step(ladder, state(), DUE + dt.timedelta(days=7)).kind == "reminder"


def test_invoices_at_different_steps_make_one_letter_at_the_highest():
    as_of = DUE + dt.timedelta(days=30)
    result, _ = communications(
        LADDER,
        [
            state("F-1", last_position=1, last_step_date=DUE + dt.timedelta(days=7)),
            state("F-2", due_date=DUE + dt.timedelta(days=10)),
        ],
        as_of,
    )
    (letter,) = result
    assert (letter.step.kind, letter.invoice_numbers, letter.invoice_steps) == (
        "demand",
        ("F-1", "F-2"),
        (2, 1),
    )


def test_a_promise_broken_since_the_last_step_skips_the_gap():
    taken = state(last_position=1, last_step_date=DUE + dt.timedelta(days=18))
    as_of = DUE + dt.timedelta(days=22)
    assert next_step(LADDER, taken, as_of) == Skip("F-1", "nothing_due")
    broken = state(
        last_position=1,
        last_step_date=DUE + dt.timedelta(days=18),
        broken_promise_date=DUE + dt.timedelta(days=20),
    )
    assert next_step(LADDER, broken, as_of).kind == "demand"
