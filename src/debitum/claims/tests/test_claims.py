"""Costs and interest as claims: recorded when a step is carried out, settled in the legal order."""

import datetime as dt
from decimal import Decimal

import pytest

from debitum.administrations.tests.factories import administration_factory
from debitum.claims.models import Claim
from debitum.claims.selectors import open_claims
from debitum.claims.services import claims_settle
from debitum.customers.tests.factories import customer_factory
from debitum.dunning.services import dunning_run
from debitum.dunning.tests.factories import policy_factory
from debitum.ledger.selectors import unapplied_payments
from debitum.ledger.tests.factories import invoice_factory, payment_factory

pytestmark = pytest.mark.django_db
D = Decimal
DUE = dt.date(2026, 1, 1)
LADDER = [
    ("reminder", 7, 0, "phone_task", False, False, False),
    ("demand", 21, 5, "phone_task", True, True, False),
    ("notice_of_default", 35, 7, "phone_task", False, True, False),
]


def day(n):
    return DUE + dt.timedelta(days=n)


@pytest.fixture
def setting():
    administration = administration_factory("ACME", country="NL")
    policy_factory(administration, ladder=LADDER)
    customer = customer_factory(administration, "C1")
    invoice_factory(customer, "F-1", "1000.00", invoice_date=day(-30), due_date=DUE)
    return administration, customer


def test_a_charging_step_records_costs_and_interest_once(setting):
    administration, customer = setting
    for n in (7, 21):
        dunning_run(administration=administration, as_of=day(n))
    claims = {(c.kind, c.amount) for c in Claim.objects.all()}
    # 15% of 1,000.00 = 150.00; art. 6:119a BW 10.15% over 20 days = 5.56.
    assert claims == {("costs", D("150.00")), ("interest", D("5.56"))}
    # The notice 14 days later claims only the interest since: 1,000 x 10.15% x 34/365 = 9.45
    # to its day, less the 5.56 claimed before = 3.89.
    dunning_run(administration=administration, as_of=day(35))
    interest = Claim.objects.filter(kind="interest").order_by("claim_date")
    assert [c.amount for c in interest] == [D("5.56"), D("3.89")]
    assert Claim.objects.filter(kind="costs").count() == 1


def test_money_on_account_settles_costs_before_interest(setting):
    administration, customer = setting
    for n in (7, 21):
        dunning_run(administration=administration, as_of=day(n))
    # A payment without an invoice: 152.00 on account.
    payment_factory(customer, "152.00", payment_date=day(25))
    assert claims_settle(administration=administration, as_of=day(25)) == 2
    assert claims_settle(administration=administration, as_of=day(25)) == 0  # idempotent
    left = open_claims(administration=administration, as_of=day(25))
    # 150.00 costs settled in full, 2.00 of the 5.56 interest: 3.56 interest open.
    assert [(c.kind, c.open_amount) for c in left] == [("interest", D("3.56"))]
    # The money is spent: nothing is left on account in the aging.
    assert unapplied_payments(administration=administration, as_of=day(25)) == {}


def test_claims_of_another_administration_are_never_settled(setting):
    administration, customer = setting
    dunning_run(administration=administration, as_of=day(7))
    dunning_run(administration=administration, as_of=day(21))
    other = administration_factory("OTHER")
    stranger = customer_factory(other, "C1")
    payment_factory(stranger, "500.00", payment_date=day(22))
    assert claims_settle(administration=other, as_of=day(25)) == 0
    assert claims_settle(administration=administration, as_of=day(25)) == 0
    assert len(open_claims(administration=administration, as_of=day(25))) == 2


def test_a_later_letter_shows_the_costs_charged_before(setting):
    from debitum.dunning.models import DunningAction
    from debitum.outbox.rendering import communication_context

    administration, customer = setting
    for n in (7, 21, 35):
        dunning_run(administration=administration, as_of=day(n))
    notice = DunningAction.objects.get(kind="notice_of_default")
    context = communication_context(action=notice, language="en")
    # The demand charged 150.00 costs; the notice charges none of its own but shows them.
    assert notice.fee == D("0.00")
    assert context["has_earlier_fee"] and "150.00" in context["earlier_fee"]
    assert "Collection costs charged before" in str(context["invoice_table"])
