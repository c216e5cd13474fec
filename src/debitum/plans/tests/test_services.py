"""Payment plans as a collector meets them: agreed over open invoices, paid by instalments,
completed, or broken by a missed instalment."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from debitum.administrations.tests.factories import administration_factory
from debitum.audit.models import AuditEvent
from debitum.customers.tests.factories import customer_factory
from debitum.ledger.tests.factories import allocation_factory, invoice_factory
from debitum.plans.models import Instalment, PaymentPlan, PlanInvoice
from debitum.plans.selectors import (
    invoice_ids_in_active_plans,
    plan_confirmation_context,
    plan_confirmation_text,
    plan_list,
    plan_standing_at,
)
from debitum.plans.services import plan_cancel, plan_create, plans_review
from debitum.tasks.models import Task

pytestmark = pytest.mark.django_db
JAN_5 = dt.date(2026, 1, 5)
MARCH_1 = dt.date(2026, 3, 1)
MARCH_31 = dt.date(2026, 3, 31)


@pytest.fixture
def customer():
    return customer_factory(
        administration_factory("ACME"),
        "C001",
        name="Bakkerij Jansen",
        email="administratie@bakkerij-jansen.example",
    )


@pytest.fixture
def invoices(customer):
    """Two open invoices: F-1 of 400.00 with 100.00 paid, F-2 of 700.00; 1000.00 open."""
    first = invoice_factory(customer, "F-1", "400.00", invoice_date=JAN_5)
    allocation_factory(first, "100.00", allocation_date=dt.date(2026, 2, 1))
    second = invoice_factory(customer, "F-2", "700.00", invoice_date=dt.date(2026, 1, 20))
    return first, second


def create(customer, **extra):
    return plan_create(
        customer=customer,
        instalments=extra.pop("instalments", 3),
        first_date=extra.pop("first_date", MARCH_31),
        start_date=extra.pop("start_date", MARCH_1),
        **extra,
    )


def test_a_plan_over_all_open_invoices_with_a_monthly_schedule(customer, invoices):
    # Given 1000.00 open on F-1 (300.00) and F-2 (700.00), and a paid invoice F-0
    paid = invoice_factory(customer, "F-0", "50.00", invoice_date=JAN_5)
    allocation_factory(paid, "50.00", allocation_date=JAN_5)
    # When a plan of three monthly instalments from 31 March is agreed on 1 March
    plan = create(customer)
    # Then it covers the open invoices for what is open on them, 333.33 + 333.33 + 333.34
    assert (plan.status, plan.total, plan.currency, plan.every, plan.grace_days) == (
        "active",
        Decimal("1000.00"),
        "EUR",
        "month",
        7,
    )
    assert sorted(PlanInvoice.objects.values_list("invoice__number", "amount")) == [
        ("F-1", Decimal("300.00")),
        ("F-2", Decimal("700.00")),
    ]
    assert list(Instalment.objects.values_list("number", "due_date", "amount")) == [
        (1, MARCH_31, Decimal("333.33")),
        (2, dt.date(2026, 4, 30), Decimal("333.33")),
        (3, dt.date(2026, 5, 31), Decimal("333.34")),
    ]
    event = AuditEvent.objects.get(action="plan.create")
    assert event.changes["invoices"] == ["F-1", "F-2"]
    assert invoice_ids_in_active_plans(administration=customer.administration) == {
        invoice.pk for invoice in invoices
    }


def test_chosen_invoices_only(customer, invoices):
    plan = create(customer, invoices=[invoices[1]], instalments=2, every="2weeks")
    assert plan.total == Decimal("700.00")
    assert list(plan.instalments.values_list("due_date", flat=True)) == [
        MARCH_31,
        dt.date(2026, 4, 14),
    ]


def test_an_invoice_in_another_active_plan_is_refused_and_nothing_is_written(customer, invoices):
    first = create(customer, invoices=[invoices[0]])
    with pytest.raises(ValidationError, match=f"invoice F-1 is in active payment plan {first.pk}"):
        create(customer, invoices=list(invoices))
    assert (
        PaymentPlan.objects.count(),
        AuditEvent.objects.filter(action="plan.create").count(),
    ) == (1, 1)
    # Without a choice, the invoices under an active plan are left out.
    assert create(customer).total == Decimal("700.00")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda c, other: invoice_factory(other, "X-1", "10.00", invoice_date=JAN_5),
            "not of customer C001",
        ),
        (
            lambda c, other: invoice_factory(c, "U-1", "10.00", invoice_date=JAN_5, currency="USD"),
            "the invoices are in EUR and USD",
        ),
        (
            lambda c, other: invoice_factory(c, "CN-1", "-10.00", invoice_date=JAN_5),
            "CN-1 is a credit note",
        ),
    ],
)
def test_invoices_of_another_customer_or_currency_are_refused(customer, invoices, make, message):
    other = customer_factory(customer.administration, "C002")
    with pytest.raises(ValidationError, match=message):
        create(customer, invoices=[invoices[0], make(customer, other)])
    assert PaymentPlan.objects.count() == 0


def test_a_settled_invoice_is_refused(customer, invoices):
    allocation_factory(invoices[0], "300.00", allocation_date=dt.date(2026, 2, 2))
    with pytest.raises(ValidationError, match="nothing is open on invoice F-1"):
        create(customer, invoices=[invoices[0]])


def test_an_invoice_of_another_administration_is_refused(customer, invoices):
    stranger = customer_factory(administration_factory("OTHER"), "C001")
    theirs = invoice_factory(stranger, "F-1", "10.00", invoice_date=JAN_5)
    with pytest.raises(ValidationError, match="not of this administration"):
        create(customer, invoices=[theirs])


def test_an_empty_choice_of_invoices_is_refused(customer, invoices):
    with pytest.raises(ValidationError, match="at least one invoice"):
        create(customer, invoices=[])


def test_a_customer_with_nothing_open_gets_no_plan(customer):
    with pytest.raises(ValidationError, match="C001 has no open invoices outside an active plan"):
        create(customer)


def test_a_first_instalment_before_the_start_is_refused(customer, invoices):
    with pytest.raises(ValidationError, match="before 2026-03-01"):
        create(customer, first_date=dt.date(2026, 2, 28))


def test_instalments_paid_on_time_keep_the_plan_and_paying_all_completes_it(customer, invoices):
    plan = create(customer)
    # 333.33 paid on 31 March (allocated to F-2): the first instalment is covered
    allocation_factory(invoices[1], "333.33", allocation_date=MARCH_31)
    assert plans_review(administration=customer.administration, as_of=dt.date(2026, 5, 7)) == {
        "completed": 0,
        "broken": 0,
        "active": 1,
    }
    # Instalment 2 (due 30 April, grace 7 days) is not covered on 8 May: broken
    assert plan_standing_at(plan, as_of=dt.date(2026, 5, 8)).missed.number == 2
    # but everything paid on 5 May settles the invoices: the plan is completed
    allocation_factory(invoices[1], "366.67", allocation_date=dt.date(2026, 5, 5))
    allocation_factory(invoices[0], "300.00", allocation_date=dt.date(2026, 5, 5))
    assert plans_review(administration=customer.administration, as_of=dt.date(2026, 5, 8)) == {
        "completed": 1,
        "broken": 0,
        "active": 0,
    }
    plan.refresh_from_db()
    assert (plan.status, plan.closed_date) == ("completed", dt.date(2026, 5, 8))
    assert invoice_ids_in_active_plans(administration=customer.administration) == set()


def test_a_missed_instalment_past_its_grace_days_breaks_the_plan(customer, invoices):
    # Given a plan of 3 x 333.33.. and only 333.32 paid since its start (the 100.00 paid on
    # F-1 before the plan does not count)
    plan = create(customer)
    allocation_factory(invoices[0], "333.32", allocation_date=MARCH_31)
    # On 7 April (31 March + 7 grace days) it still runs; on 8 April it is broken
    review = plans_review(administration=customer.administration, as_of=dt.date(2026, 4, 7))
    assert review == {"completed": 0, "broken": 0, "active": 1}
    review = plans_review(administration=customer.administration, as_of=dt.date(2026, 4, 8))
    assert review == {"completed": 0, "broken": 1, "active": 0}
    plan.refresh_from_db()
    assert (plan.status, plan.closed_date) == ("broken", dt.date(2026, 4, 8))
    task = Task.objects.get()
    assert (task.kind, task.key, task.due_date) == (
        "plan_broken",
        f"plan-broken-{plan.pk}",
        dt.date(2026, 4, 8),
    )
    assert "333.32 paid of 1000.00; instalment 1" in task.detail
    assert AuditEvent.objects.get(action="plan.broken").changes["missed_instalment"] == 1
    # Its invoices return to dunning, and may go into a new plan.
    assert invoice_ids_in_active_plans(administration=customer.administration) == set()
    # Running the review again changes nothing.
    events = AuditEvent.objects.count()
    again = plans_review(administration=customer.administration, as_of=dt.date(2026, 4, 9))
    assert again == {"completed": 0, "broken": 0, "active": 0}
    assert (AuditEvent.objects.count(), Task.objects.count()) == (events, 1)


def test_a_cancelled_plan_releases_its_invoices(customer, invoices):
    plan = create(customer)
    plan_cancel(plan=plan, cancelled_date=dt.date(2026, 3, 2), reason="entered twice")
    plan.refresh_from_db()
    assert (plan.status, plan.closed_date) == ("cancelled", dt.date(2026, 3, 2))
    assert invoice_ids_in_active_plans(administration=customer.administration) == set()
    with pytest.raises(ValidationError, match="is cancelled; it cannot become cancelled"):
        plan_cancel(plan=plan, cancelled_date=dt.date(2026, 3, 2))


def test_the_confirmation_context_and_text(customer, invoices):
    customer.street, customer.postal_code, customer.city = "Dorpsstraat 1", "1234 AB", "Utrecht"
    customer.save()
    plan = create(customer, instalments=2)
    context = plan_confirmation_context(plan)
    assert context["customer"]["name"] == "Bakkerij Jansen"
    assert context["plan"]["total"] == Decimal("1000.00")
    assert [item["number"] for item in context["invoices"]] == ["F-1", "F-2"]
    assert context["instalments"] == [
        {"number": 1, "due_date": MARCH_31, "amount": Decimal("500.00")},
        {"number": 2, "due_date": dt.date(2026, 4, 30), "amount": Decimal("500.00")},
    ]
    text = plan_confirmation_text(plan)
    assert "You will pay EUR 1000.00 for these invoices:" in text
    assert "2026-04-30  EUR       500.00" in text
    assert "1234 AB Utrecht" in text


def test_another_administrations_plans_are_never_seen_or_reviewed(customer, invoices):
    stranger = customer_factory(administration_factory("OTHER"), "C001")
    invoice_factory(stranger, "F-1", "90.00", invoice_date=JAN_5)
    theirs = create(stranger)
    ours = create(customer)
    assert list(plan_list(administration=customer.administration)) == [ours]
    assert invoice_ids_in_active_plans(administration=customer.administration) == {
        invoice.pk for invoice in invoices
    }
    plans_review(administration=customer.administration, as_of=dt.date(2027, 1, 1))
    theirs.refresh_from_db()
    assert theirs.status == "active"
