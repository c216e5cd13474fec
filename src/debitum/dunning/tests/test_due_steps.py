"""The database's due steps equal the domain's definition (domain.dunning.next_step)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debitum.administrations.tests.factories import administration_factory
from debitum.customers.tests.factories import customer_factory
from debitum.domain import dunning as domain
from debitum.dunning.models import DunningAction, DunningActionInvoice, DunningRun, Step
from debitum.dunning.selectors import due_steps
from debitum.ledger.tests.factories import allocation_factory, invoice_factory

from .factories import policy_factory

pytestmark = pytest.mark.django_db
START = dt.date(2026, 1, 1)
LADDER = [
    ("pre_due_reminder", -3, 0, "email", False, False, False),
    ("reminder", 7, 0, "email", False, False, False),
    ("phone_call", 14, 5, "phone_task", False, False, False),
    ("demand", 30, 10, "letter", True, True, False),
]
counter = iter(range(10**9))

invoices_strategy = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=60),  # due day
        st.integers(min_value=1, max_value=100_000),  # cents
        st.integers(min_value=0, max_value=100),  # percent paid
        st.integers(min_value=0, max_value=90),  # day paid
        st.lists(st.integers(min_value=0, max_value=90), max_size=4),  # days of steps taken
        st.sampled_from(["executed", "executed", "rejected", "excluded"]),
    ),
    max_size=10,
)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(invoices=invoices_strategy, run_day=st.integers(min_value=0, max_value=120))
def test_database_due_steps_equal_the_domain_definition(invoices, run_day):
    administration = administration_factory(f"D{next(counter)}")
    policy = policy_factory(administration, ladder=LADDER)
    steps = {step.position: step for step in Step.objects.filter(policy=policy)}
    ladder = domain.ladder_check(
        domain.Step(
            position=s.position, kind=s.kind, name=s.name, day_offset=s.day_offset,
            min_days_since_previous=s.min_days_since_previous, channel=s.channel,
        )
        for s in steps.values()
    )  # fmt: skip
    customer = customer_factory(administration, "K1")
    as_of = day(run_day)
    expected = {}
    for number, (due_day, cents, percent, paid_day, step_days, status) in enumerate(invoices):
        amount = Decimal(cents).scaleb(-2)
        invoice = invoice_factory(
            customer, f"F{number}", amount, invoice_date=day(0), due_date=day(due_day)
        )
        paid = (amount * percent / 100).quantize(Decimal("0.01"))
        if paid > 0:
            allocation_factory(invoice, paid, allocation_date=day(paid_day))
        # Steps taken on the given days, in order, as far as the ladder reaches.
        position, last_day = 0, None
        for step_day in sorted(step_days)[: len(LADDER)]:
            if step_day > run_day:
                break
            run, _ = DunningRun.objects.get_or_create(
                administration=administration, as_of=day(step_day), defaults={"status": "completed"}
            )
            step = steps[position + 1]
            action = DunningAction.objects.create(
                administration=administration, run=run, customer=customer, step=step,
                position=step.position, kind=step.kind, channel=step.channel, currency="EUR",
                principal=amount, status=status,
            )  # fmt: skip
            DunningActionInvoice.objects.create(
                administration=administration, action=action, invoice=invoice,
                position=step.position, as_of=day(step_day), amount=amount,
            )  # fmt: skip
            if status == "executed":
                position, last_day = step.position, day(step_day)
        open_amount = amount - (paid if day(paid_day) <= as_of else Decimal("0.00"))
        state = domain.InvoiceState(
            invoice_number=invoice.number, customer_number="K1", currency="EUR",
            due_date=invoice.due_date, open_amount=open_amount, last_position=position,
            last_step_date=last_day,
        )  # fmt: skip
        decision = domain.next_step(ladder, state, as_of)
        if isinstance(decision, domain.Step):
            expected[invoice.number] = decision.position
    actual = {
        row.invoice_number: row.position
        for row in due_steps(administration=administration, as_of=as_of)
    }
    assert actual == expected
