"""The default policies over simulated months, per segment and country, as the law and the
seeds want them: high risk escalates faster than low, a Dutch consumer owes no costs before the
fourteen-day letter's term has passed, the first Belgian consumer reminder is free."""

import datetime as dt
from decimal import Decimal

import pytest

from debitum.administrations.tests.factories import administration_factory
from debitum.customers.tests.factories import customer_factory
from debitum.domain.calendars import nl_fourteen_day_letter_term
from debitum.dunning.policy_services import policies_install_defaults
from debitum.dunning.services import dunning_simulate
from debitum.ledger.tests.factories import invoice_factory

pytestmark = pytest.mark.django_db
DUE = dt.date(2026, 1, 15)  # inside the shipped rate tables, so interest can be computed


def timeline(country: str, segment: str, customer_type: str = "business") -> list[dict]:
    administration = administration_factory(f"{country}{segment[:4].upper()}", country=country)
    policies_install_defaults(administration=administration)
    customer = customer_factory(
        administration, "C1", country=country, segment=segment, customer_type=customer_type
    )
    invoice_factory(
        customer, "F-1", "1200.00", invoice_date=DUE - dt.timedelta(days=30), due_date=DUE
    )
    return dunning_simulate(
        administration=administration,
        start=DUE - dt.timedelta(days=10),
        end=DUE + dt.timedelta(days=100),
    )


def first_day(actions, kind) -> int:
    return next(
        (dt.date.fromisoformat(a["as_of"]) - DUE).days for a in actions if a["kind"] == kind
    )


@pytest.mark.parametrize("country", ["NL", "BE"])
def test_high_risk_escalates_faster_than_normal_and_normal_than_low(country):
    days = {segment: first_day(timeline(country, segment), "demand") for segment in
            ("high", "normal", "low")}  # fmt: skip
    assert days["high"] < days["normal"] < days["low"]


@pytest.mark.parametrize("country", ["NL", "BE"])
def test_every_business_ladder_is_walked_in_order_one_step_at_a_time(country):
    actions = timeline(country, "normal")
    positions = [a["position"] for a in actions]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    demand = next(a for a in actions if a["kind"] == "demand")
    # Costs from the demand on: NL scale 15% of 1,200.00 = 180.00; BE 40.00 per invoice.
    assert demand["fee"] == ("180.00" if country == "NL" else "40.00")
    assert Decimal(demand["interest"]) > 0


def test_a_dutch_consumer_owes_costs_only_after_the_fourteen_day_letter_term():
    actions = timeline("NL", "consumer", "consumer")
    letter = next(a for a in actions if a["kind"] == "fourteen_day_letter")
    assert letter["fee"] == "0.00" and Decimal(letter["named_costs"]) == Decimal("180.00")
    term = nl_fourteen_day_letter_term(dt.date.fromisoformat(letter["as_of"]), channel="post")
    assert letter["pay_before"] == term.last_day_to_pay.isoformat()
    charged = [a for a in actions if Decimal(a["fee"]) > 0]
    assert charged, "the ladder charges the named costs after the term"
    assert all(dt.date.fromisoformat(a["as_of"]) >= term.first_default_date for a in charged)


def test_the_first_belgian_consumer_reminder_is_free():
    actions = timeline("BE", "consumer", "consumer")
    assert actions[0]["fee"] == "0.00"
    charged = [a for a in actions if Decimal(a["fee"]) > 0]
    # Book XIX: 1,200.00 -> 65.00 + 5% of 700.00 = 100.00.
    assert charged and charged[0]["fee"] == "100.00"
    first = dt.date.fromisoformat(actions[0]["as_of"])
    assert dt.date.fromisoformat(charged[0]["as_of"]) > first + dt.timedelta(days=14)


def test_intercompany_is_followed_up_internally_only():
    actions = timeline("NL", "intercompany")
    assert actions and {a["channel"] for a in actions} == {"phone_task"}
    assert all(a["fee"] == "0.00" for a in actions)


def test_strategic_escalation_waits_for_the_account_manager():
    actions = timeline("NL", "strategic")
    demand = next(a for a in actions if a["kind"] == "demand")
    assert demand["status"] == "awaiting_approval" and demand["simulated"]
    # The demand waits for approval, so nothing comes after it in the simulation.
    assert actions[-1]["kind"] == "demand"
