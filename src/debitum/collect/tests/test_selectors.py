"""The work list: the worked example of factories.py, its filters and its pages."""

from decimal import Decimal

import pytest

from debitum.collect.selectors import worklist
from debitum.domain.worklist import priority_score

from .factories import AS_OF


@pytest.mark.django_db
def test_the_largest_and_oldest_first_weighted_by_risk_promises_and_tasks(acme, customers, beta):
    items = worklist(administration=acme, as_of=AS_OF)

    assert [(item.customer_number, item.score) for item in items] == [
        ("C2", 180_000),
        ("C3", 112_500),
        ("C1", 60_000),
        ("C4", 7_750),
        ("C6", 0),
    ]
    beta_bouw, _, _, delta, foxtrot = items
    assert beta_bouw.overdue_amount == Decimal("1000.00")
    assert beta_bouw.days_overdue == 60
    assert (beta_bouw.due_tasks, beta_bouw.broken_promises) == (2, 1)
    assert beta_bouw.next_step == "Call Beta Bouw: promise broken"
    assert beta_bouw.next_step_kind == "task"
    assert (delta.balance, delta.overdue_amount) == (Decimal("500.00"), Decimal("200.00"))
    assert delta.oldest_due_date == AS_OF.replace(month=2, day=28)
    assert (foxtrot.overdue_amount, foxtrot.due_tasks) == (Decimal("0.00"), 1)


def test_the_database_scores_as_the_domain_defines():
    assert (
        priority_score(
            overdue_cents=100_000, days_overdue=60, segment="high", broken_promises=1, due_tasks=2
        )
        == 180_000
    )
    assert (
        priority_score(
            overdue_cents=20_000,
            days_overdue=31,
            segment="strategic",
            broken_promises=0,
            due_tasks=0,
        )
        == 7_750
    )


@pytest.mark.django_db
def test_filters(acme, customers, users):
    customers["C1"].collector = users["controller"]
    customers["C1"].save()

    def numbers(**filters):
        return [
            item.customer_number for item in worklist(administration=acme, as_of=AS_OF, **filters)
        ]

    assert numbers(segment="high") == ["C2"]
    assert numbers(country="BE") == ["C3"]
    assert numbers(language="fr") == ["C3"]
    assert numbers(collector=users["controller"]) == ["C1"]
    assert numbers(collector=users["controller"].pk) == ["C1"]
    assert numbers(collector="none") == ["C2", "C3", "C4", "C6"]


@pytest.mark.django_db
def test_keyset_pages_give_every_line_once(acme, customers):
    first = worklist(administration=acme, as_of=AS_OF, limit=2)
    second = worklist(administration=acme, as_of=AS_OF, limit=2, after=first[-1].cursor)
    third = worklist(administration=acme, as_of=AS_OF, limit=2, after=second[-1].cursor)

    assert [i.customer_number for i in first + second + third] == ["C2", "C3", "C1", "C4", "C6"]
    assert worklist(administration=acme, as_of=AS_OF, after=third[-1].cursor) == []


@pytest.mark.django_db
def test_another_administrations_customers_never_appear(acme, customers, beta):
    assert "B-777" not in [i.customer_number for i in worklist(administration=acme, as_of=AS_OF)]
    assert [i.customer_number for i in worklist(administration=beta, as_of=AS_OF)] == ["B-777"]
