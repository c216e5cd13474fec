"""Dunning runs as worked examples: the ladder walked day by day, the skips, the law, restarts.

The ladders here end in calls and hand-overs (tasks), so that a run is carried out completely
without the outbox; the letters and e-mails have their own tests.
"""

import datetime as dt
from decimal import Decimal

import pytest

from debitum.administrations.tests.factories import administration_factory
from debitum.customers.tests.factories import customer_factory
from debitum.disputes.models import Dispute
from debitum.dunning import services
from debitum.dunning.models import DunningAction, DunningActionInvoice, DunningRun, Pause
from debitum.dunning.services import action_approve, dunning_pause, dunning_run, dunning_simulate
from debitum.ledger.tests.factories import allocation_factory, invoice_factory
from debitum.plans.models import PaymentPlan, PlanInvoice
from debitum.promises.models import Promise
from debitum.tasks.models import Task

from .factories import policy_factory

pytestmark = pytest.mark.django_db
D = Decimal
DUE = dt.date(2026, 1, 1)

TASK_LADDER = [
    ("reminder", 7, 0, "phone_task", False, False, False),
    ("phone_call", 14, 5, "phone_task", False, False, False),
    ("demand", 21, 5, "phone_task", True, True, False),
    ("agency_handover", 60, 14, "handover", False, False, True),
]


def day(offset: int) -> dt.date:
    return DUE + dt.timedelta(days=offset)


@pytest.fixture
def acme():
    administration = administration_factory("ACME", country="NL")
    policy_factory(administration, ladder=TASK_LADDER)
    return administration


@pytest.fixture
def customer(acme):
    return customer_factory(acme, "C1", name="Bakkerij Jansen B.V.")


def invoice(customer, number="F-1", amount="1000.00", due=DUE):
    return invoice_factory(
        customer, number, amount, invoice_date=due - dt.timedelta(days=30), due_date=due
    )


def steps_on(administration, as_of):
    return [
        (a["customer_number"], a["kind"], a["invoices"])
        for a in dunning_run(administration=administration, as_of=as_of).actions
    ]


def test_an_invoice_walks_the_ladder_one_step_at_a_time(acme, customer):
    invoice(customer)
    assert steps_on(acme, day(6)) == []
    assert steps_on(acme, day(7)) == [("C1", "reminder", ["F-1"])]
    # The call is due at +14 and at least 5 days after the reminder.
    assert steps_on(acme, day(13)) == []
    assert steps_on(acme, day(14)) == [("C1", "phone_call", ["F-1"])]
    assert steps_on(acme, day(21)) == [("C1", "demand", ["F-1"])]
    assert steps_on(acme, day(22)) == []
    assert Task.objects.filter(kind="phone_call").count() == 3


def test_an_invoice_found_late_starts_with_the_first_step(acme, customer):
    invoice(customer)
    # 90 days late on its first run: the reminder first, the call 5 days later at the earliest.
    assert steps_on(acme, day(90)) == [("C1", "reminder", ["F-1"])]
    assert steps_on(acme, day(94)) == []
    assert steps_on(acme, day(95)) == [("C1", "phone_call", ["F-1"])]


def test_invoices_of_one_customer_at_one_step_make_one_communication(acme, customer):
    invoice(customer, "F-1", "100.00")
    invoice(customer, "F-2", "250.00", due=day(-2))
    other = customer_factory(acme, "C2")
    invoice(other, "G-1", "80.00")
    result = dunning_run(administration=acme, as_of=day(7))
    assert [(a["customer_number"], a["invoices"], a["principal"]) for a in result.actions] == [
        ("C1", ["F-2", "F-1"], "350.00"),
        ("C2", ["G-1"], "80.00"),
    ]


def test_a_paid_invoice_is_not_dunned(acme, customer):
    paid = invoice(customer)
    allocation_factory(paid, "1000.00", allocation_date=day(3))
    assert steps_on(acme, day(7)) == []


def test_running_twice_for_the_same_day_does_nothing_the_second_time(acme, customer):
    invoice(customer)
    first = dunning_run(administration=acme, as_of=day(7))
    second = dunning_run(administration=acme, as_of=day(7))
    assert len(first.actions) == 1
    assert second.already_run and second.actions == []
    assert DunningAction.objects.count() == 1 and Task.objects.count() == 1


def test_a_run_that_crashes_half_way_completes_when_run_again(acme, customer, monkeypatch):
    invoice(customer, "F-1")
    invoice(customer_factory(acme, "C2"), "G-1")
    invoice(customer_factory(acme, "C3"), "H-1")
    real = services.action_execute
    calls = []

    def crash_on_the_second(*, action_id):
        calls.append(action_id)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return real(action_id=action_id)

    monkeypatch.setattr(services, "action_execute", crash_on_the_second)
    with pytest.raises(RuntimeError):
        dunning_run(administration=acme, as_of=day(7))
    assert DunningRun.objects.get().status == "executing"
    assert Task.objects.count() == 1
    monkeypatch.setattr(services, "action_execute", real)
    again = dunning_run(administration=acme, as_of=day(7))
    assert again.already_run
    assert DunningRun.objects.get().status == "completed"
    # Three customers, three tasks: none twice, none lost.
    assert Task.objects.count() == 3
    assert set(DunningAction.objects.values_list("status", flat=True)) == {"executed"}


def test_a_dry_run_changes_nothing(acme, customer):
    invoice(customer)
    result = dunning_run(administration=acme, as_of=day(7), dry_run=True)
    assert [a["kind"] for a in result.actions] == ["reminder"]
    assert not DunningRun.objects.exists() and not DunningAction.objects.exists()
    assert not Task.objects.exists()


def test_a_dry_run_answers_what_the_run_then_does_without_ids(acme, customer):
    # The dry run decides only (it writes no action to roll back): its actions are the
    # real run's, each with "id": null, as the API says of a dry run.
    invoice(customer, "F-1", "100.00")
    invoice(customer_factory(acme, "C2"), "G-1", "250.00")
    dry = dunning_run(administration=acme, as_of=day(7), dry_run=True)
    real = dunning_run(administration=acme, as_of=day(7), execute=False)
    assert [action["id"] for action in dry.actions] == [None, None]
    assert [action["id"] for action in real.actions] == list(
        DunningAction.objects.order_by("pk").values_list("pk", flat=True)
    )
    without_ids = [{**action, "id": None} for action in real.actions]
    assert dry.actions == without_ids and dry.skipped == real.skipped
    assert [(a["customer_number"], a["invoices"], a["principal"]) for a in dry.actions] == [
        ("C1", ["F-1"], "100.00"),
        ("C2", ["G-1"], "250.00"),
    ]


def test_a_dry_run_of_a_day_already_run_decides_nothing_new(acme, customer):
    # It decided again and collided with the day's run row (one per day): a server error.
    invoice(customer)
    dunning_run(administration=acme, as_of=day(7))
    result = dunning_run(administration=acme, as_of=day(7), dry_run=True)
    assert (result.already_run, result.dry_run, result.actions) == (True, True, [])
    assert DunningRun.objects.count() == 1 and DunningAction.objects.count() == 1


def test_what_is_on_hold_is_skipped(acme, customer):
    whole = invoice(customer, "F-1", "100.00")
    part = invoice(customer, "F-2", "300.00")
    planned = invoice(customer_factory(acme, "C2"), "G-1", "100.00")
    promised = invoice(customer_factory(acme, "C3"), "H-1", "100.00")
    paused = invoice(customer_factory(acme, "C4"), "K-1", "100.00")
    Dispute.objects.create(
        administration=acme, invoice=whole, customer=customer, reason="quality",
        opened_date=day(2),
    )  # fmt: skip
    Dispute.objects.create(
        administration=acme, invoice=part, customer=customer, reason="wrong_amount",
        amount=D("120.00"), opened_date=day(2),
    )  # fmt: skip
    plan = PaymentPlan.objects.create(
        administration=acme, customer=planned.customer, currency="EUR", total=D("100.00"),
        start_date=day(3),
    )  # fmt: skip
    PlanInvoice.objects.create(administration=acme, plan=plan, invoice=planned, amount=D("100"))
    Promise.objects.create(
        administration=acme, customer=promised.customer, promise_date=day(3),
        promised_date=day(10), amount=D("100.00"), currency="EUR", grace_days=3,
    )  # fmt: skip
    dunning_pause(
        administration=acme, customer=paused.customer, until=day(8), reason="on holiday",
        as_of=day(1),
    )  # fmt: skip
    result = dunning_run(administration=acme, as_of=day(7))
    # Only the undisputed part of F-2 is dunned.
    assert [(a["customer_number"], a["invoices"], a["principal"]) for a in result.actions] == [
        ("C1", ["F-2"], "180.00")
    ]
    assert result.skipped == {"disputed": 1, "plan": 1, "promise": 1, "paused": 1}
    # The promise (to day 10, 3 days' grace) and the pause (to day 8) run out: dunning resumes.
    later = dunning_run(administration=acme, as_of=day(14))
    assert {a["customer_number"] for a in later.actions} == {"C1", "C3", "C4"}
    assert Pause.objects.count() == 1


def test_a_small_balance_is_skipped(acme, customer):
    acme_policy = acme_policy_of(acme)
    acme_policy.minimum_amount = D("25.00")
    acme_policy.save()
    invoice(customer, "F-1", "24.99")
    result = dunning_run(administration=acme, as_of=day(7))
    assert result.actions == [] and result.skipped == {"small_balance": 1}


def acme_policy_of(administration):
    from debitum.dunning.models import Policy

    return Policy.objects.get(administration=administration)


def test_a_step_needing_approval_waits_for_it(acme, customer):
    invoice(customer)
    for offset in (7, 14, 21):
        dunning_run(administration=acme, as_of=day(offset))
    waiting = dunning_run(administration=acme, as_of=day(60)).actions
    assert [(a["kind"], a["status"]) for a in waiting] == [("agency_handover", "awaiting_approval")]
    task = Task.objects.get(kind="approval")
    assert task.status == "open"
    # While it waits, later runs leave the invoice alone.
    assert dunning_run(administration=acme, as_of=day(61)).actions == []
    action = DunningAction.objects.get(kind="agency_handover")
    action_approve(action=action, actor=None)
    action.refresh_from_db()
    assert action.status == "executed"
    assert Task.objects.get(kind="approval").status == "done"
    assert Task.objects.filter(kind="handover").count() == 1


def test_the_demand_charges_dutch_commercial_costs_and_interest(acme, customer):
    invoice(customer, "F-1", "1000.00")
    for offset in (7, 14):
        dunning_run(administration=acme, as_of=day(offset))
    (demand,) = dunning_run(administration=acme, as_of=day(21)).actions
    # Besluit incassokosten: 15% of 1,000.00 = 150.00 (above the minimum of 40.00).
    assert demand["fee"] == "150.00"
    # Art. 6:119a BW, 10.15% from 2026-01-01 (ECB 2.15 + 8): from 2 January to 21 January,
    # 20 days: 1,000.00 x 10.15% x 20/365 = 5.56.
    assert demand["interest"] == "5.56"
    assert DunningActionInvoice.objects.get(action__kind="demand").fee == D("150.00")


def test_tenants_never_meet(acme, customer):
    other = administration_factory("OTHER", country="NL")
    policy_factory(other, ladder=TASK_LADDER)
    invoice(customer_factory(other, "X1"), "X-1")
    invoice(customer)
    result = dunning_run(administration=acme, as_of=day(7))
    assert [a["customer_number"] for a in result.actions] == ["C1"]
    assert not DunningAction.objects.filter(administration=other).exists()


def test_simulate_shows_the_timeline_and_changes_nothing(acme, customer):
    invoice(customer)
    actions = dunning_simulate(administration=acme, start=day(0), end=day(30))
    assert [(a["as_of"], a["kind"]) for a in actions] == [
        (day(7).isoformat(), "reminder"),
        (day(14).isoformat(), "phone_call"),
        (day(21).isoformat(), "demand"),
    ]
    assert not DunningRun.objects.exists() and not Task.objects.exists()


def test_one_letter_per_customer_holds_invoices_at_different_steps(acme):
    from debitum.dunning.models import Policy

    Policy.objects.filter(administration=acme).delete()
    policy_factory(
        acme,
        ladder=[
            ("reminder", 7, 0, "email", False, False, False),
            ("demand", 21, 5, "letter", True, False, False),
        ],
    )
    customer = customer_factory(acme, "C9")
    old = invoice(customer, "F-OLD", "1000.00", due=day(-30))
    invoice(customer, "F-NEW", "200.00")
    DunningActionInvoice.objects.create(
        administration=acme,
        action=DunningAction.objects.create(
            administration=acme,
            run=DunningRun.objects.create(administration=acme, as_of=day(-20), status="completed"),
            customer=customer, step=acme_policy_of(acme).steps.get(position=1), position=1,
            kind="reminder", channel="email", currency="EUR", principal=D("1000"),
            status="executed",
        ),
        invoice=old, position=1, as_of=day(-20), amount=D("1000"),
    )  # fmt: skip
    result = dunning_run(administration=acme, as_of=day(7), dry_run=True)
    # F-OLD reaches the demand, F-NEW its first reminder: one letter, at the demand, and only
    # F-OLD bears costs (15% of 1,000.00).
    (letter,) = result.actions
    assert (letter["kind"], letter["invoices"], letter["fee"]) == (
        "demand",
        ["F-OLD", "F-NEW"],
        "150.00",
    )


def test_a_broken_promise_makes_the_next_step_come_without_waiting_its_gap():
    from debitum.promises.services import promise_register

    administration = administration_factory("FAST", country="NL")
    policy_factory(
        administration,
        ladder=[
            ("reminder", 7, 0, "phone_task", False, False, False),
            ("phone_call", 8, 10, "phone_task", False, False, False),
        ],
    )
    customer = customer_factory(administration, "C1")
    invoice(customer)
    assert steps_on(administration, day(7)) == [("C1", "reminder", ["F-1"])]
    # The call would wait until day 17 (10 days after the reminder) ...
    assert dunning_run(administration=administration, as_of=day(11), dry_run=True).actions == []
    promise_register(
        customer=customer, amount=D("1000.00"), promise_date=day(8), promised_date=day(9),
        grace_days=0,
    )  # fmt: skip
    # ... but the promise to pay by day 9 was not kept: it is broken from day 10, and the call
    # comes at once.
    assert steps_on(administration, day(11)) == [("C1", "phone_call", ["F-1"])]
