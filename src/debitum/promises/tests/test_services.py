"""Promises to pay, as a collector meets them: registered, kept, broken, cancelled."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from debitum.administrations.tests.factories import administration_factory, user_factory
from debitum.audit.models import AuditEvent
from debitum.customers.tests.factories import customer_factory
from debitum.dunning.models import Policy
from debitum.ledger.tests.factories import payment_factory
from debitum.promises.models import Promise
from debitum.promises.selectors import customer_ids_with_broken_promise, promise_list
from debitum.promises.services import promise_cancel, promise_register, promises_review
from debitum.tasks.models import Task

pytestmark = pytest.mark.django_db
MARCH_2 = dt.date(2026, 3, 2)
MARCH_16 = dt.date(2026, 3, 16)


@pytest.fixture
def customer():
    return customer_factory(administration_factory("ACME"), "C001")


def promise(customer, amount="500.00", **extra):
    return promise_register(
        customer=customer,
        amount=Decimal(amount),
        promised_date=extra.pop("promised_date", MARCH_16),
        promise_date=extra.pop("promise_date", MARCH_2),
        **extra,
    )


def test_a_promise_is_recorded_with_three_grace_days_and_audited(customer):
    clerk = user_factory("clerk")
    made = promise(customer, note=" called, pays on the 16th ", actor=clerk)
    assert (made.status, made.amount, made.currency, made.grace_days, made.note) == (
        "open",
        Decimal("500.00"),
        "EUR",
        3,
        "called, pays on the 16th",
    )
    event = AuditEvent.objects.get(action="promise.register")
    assert (event.actor_label, event.changes["amount"], event.changes["grace_days"]) == (
        "clerk",
        "500.00",
        3,
    )


def test_the_grace_days_come_from_the_customers_dunning_policy(customer):
    Policy.objects.create(
        administration=customer.administration,
        segment=customer.segment,
        country=customer.country,
        name="Normal NL",
        promise_grace_days=5,
    )
    Policy.objects.create(
        administration=customer.administration,
        segment="high",
        country=customer.country,
        name="High NL",
        promise_grace_days=1,
    )
    assert promise(customer).grace_days == 5


@pytest.mark.parametrize(
    ("amount", "promised_date", "message"),
    [
        ("0.00", MARCH_16, "must be positive"),
        ("10.00", dt.date(2026, 3, 1), "is before 2026-03-02"),
    ],
)
def test_a_promise_that_makes_no_sense_is_refused_and_nothing_is_written(
    customer, amount, promised_date, message
):
    with pytest.raises(ValidationError, match=message):
        promise(customer, amount, promised_date=promised_date)
    assert Promise.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_payments_within_the_grace_days_keep_the_promise(customer):
    # Given a promise of 500.00 by 16 March (grace until 19 March)
    made = promise(customer)
    # and payments of 200.00 on 10 March and 300.00 on 19 March (one before the promise
    # and a refund do not count)
    payment_factory(customer, "900.00", payment_date=dt.date(2026, 3, 1))
    payment_factory(customer, "200.00", payment_date=dt.date(2026, 3, 10))
    payment_factory(customer, "-50.00", payment_date=dt.date(2026, 3, 12))
    payment_factory(customer, "300.00", payment_date=dt.date(2026, 3, 19))
    # When the review runs on 20 March
    counts = promises_review(administration=customer.administration, as_of=dt.date(2026, 3, 20))
    # Then the promise is kept, on the day the payments reached the amount
    made.refresh_from_db()
    assert counts == {"kept": 1, "broken": 0, "open": 0}
    assert (made.status, made.closed_date) == ("kept", dt.date(2026, 3, 19))
    assert AuditEvent.objects.get(action="promise.kept").changes["received"] == "500.00"
    assert Task.objects.count() == 0


def test_a_promise_paid_early_is_kept_before_its_date(customer):
    made = promise(customer)
    payment_factory(customer, "500.00", payment_date=dt.date(2026, 3, 5))
    assert promises_review(administration=customer.administration, as_of=dt.date(2026, 3, 5)) == {
        "kept": 1,
        "broken": 0,
        "open": 0,
    }
    made.refresh_from_db()
    assert made.status == "kept"


def test_a_promise_not_kept_is_broken_the_day_after_the_grace_days_with_a_task(customer):
    # Given a promise of 500.00 by 16 March, grace 3 days, and only 499.99 paid
    made = promise(customer)
    payment_factory(customer, "499.99", payment_date=dt.date(2026, 3, 16))
    # On the last grace day it is still open
    review = promises_review(administration=customer.administration, as_of=dt.date(2026, 3, 19))
    assert review == {"kept": 0, "broken": 0, "open": 1}
    # The day after, it is broken: closed on 20 March, a task and an audit event
    review = promises_review(administration=customer.administration, as_of=dt.date(2026, 3, 20))
    assert review == {"kept": 0, "broken": 1, "open": 0}
    made.refresh_from_db()
    assert (made.status, made.closed_date) == ("broken", dt.date(2026, 3, 20))
    task = Task.objects.get()
    assert (task.kind, task.key, task.customer_id, task.due_date) == (
        "promise_broken",
        f"promise-broken-{made.pk}",
        customer.pk,
        dt.date(2026, 3, 20),
    )
    assert "499.99 was received" in task.detail
    assert AuditEvent.objects.get(action="promise.broken").changes["received"] == "499.99"
    assert customer_ids_with_broken_promise(
        administration=customer.administration, since=dt.date(2026, 3, 1)
    ) == {customer.pk}
    assert (
        customer_ids_with_broken_promise(
            administration=customer.administration, since=dt.date(2026, 3, 21)
        )
        == set()
    )


def test_the_review_run_twice_changes_nothing_the_second_time(customer):
    promise(customer)
    late = dt.date(2026, 4, 1)
    assert promises_review(administration=customer.administration, as_of=late)["broken"] == 1
    events = AuditEvent.objects.count()
    assert promises_review(administration=customer.administration, as_of=late) == {
        "kept": 0,
        "broken": 0,
        "open": 0,
    }
    assert (AuditEvent.objects.count(), Task.objects.count()) == (events, 1)


def test_payments_of_another_customer_do_not_keep_a_promise(customer):
    other = customer_factory(customer.administration, "C002")
    made = promise(customer)
    payment_factory(other, "500.00", payment_date=dt.date(2026, 3, 10))
    promises_review(administration=customer.administration, as_of=dt.date(2026, 4, 1))
    made.refresh_from_db()
    assert made.status == "broken"


def test_a_cancelled_promise_is_neither_kept_nor_broken(customer):
    made = promise(customer)
    promise_cancel(promise=made, cancelled_date=dt.date(2026, 3, 3), reason="replaced by a plan")
    made.refresh_from_db()
    assert (made.status, made.closed_date) == ("cancelled", dt.date(2026, 3, 3))
    assert AuditEvent.objects.get(action="promise.cancel").reason == "replaced by a plan"
    assert promises_review(administration=customer.administration, as_of=dt.date(2026, 5, 1)) == {
        "kept": 0,
        "broken": 0,
        "open": 0,
    }
    with pytest.raises(ValidationError, match="is cancelled; it cannot become cancelled"):
        promise_cancel(promise=made, cancelled_date=dt.date(2026, 3, 4))


def test_another_administrations_promises_are_never_seen_or_reviewed(customer):
    stranger = customer_factory(administration_factory("OTHER"), "C001")
    theirs = promise(stranger)
    promise(customer)
    assert [p.customer_id for p in promise_list(administration=customer.administration)] == [
        customer.pk
    ]
    promises_review(administration=customer.administration, as_of=dt.date(2026, 4, 1))
    theirs.refresh_from_db()
    assert theirs.status == "open"
    assert (
        customer_ids_with_broken_promise(
            administration=stranger.administration, since=dt.date(2026, 1, 1)
        )
        == set()
    )
