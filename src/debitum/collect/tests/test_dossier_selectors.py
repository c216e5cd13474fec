"""The dossier's reads: the open items with their step and statuses, and the header's payment
behaviour (average days late over the invoices paid in full)."""

import datetime as dt
from decimal import Decimal

from debitum.collect.dossier_selectors import average_days_late, dossier_open_items
from debitum.disputes.services import dispute_open
from debitum.ledger.tests.factories import allocation_factory, invoice_factory
from debitum.outbox.tests.factories import dunning_action_factory
from debitum.plans.services import plan_create

from .factories import AS_OF, customer_make


def test_open_items_carry_their_last_step_and_statuses_and_nothing_of_another_customer(acme, users):
    d = dt.date
    kilo = customer_make(acme, "C10", "Kilo Keukens")
    lima = customer_make(acme, "C11", "Lima Lampen")
    # Given: K-1 reminded (executed) and then a demand awaiting approval; K-2 disputed; K-3 in
    # an active plan; K-4 paid in full (not open); Lima's L-1 disputed and reminded too.
    k1 = invoice_factory(kilo, "K-1", "100.00", invoice_date=d(2025, 1, 1), due_date=d(2025, 1, 31))
    k2 = invoice_factory(kilo, "K-2", "200.00", invoice_date=d(2025, 1, 5), due_date=d(2025, 2, 4))
    k3 = invoice_factory(kilo, "K-3", "300.00", invoice_date=d(2025, 1, 9), due_date=d(2025, 2, 8))
    k4 = invoice_factory(kilo, "K-4", "400.00", invoice_date=d(2025, 1, 2), due_date=d(2025, 2, 1))
    allocation_factory(k4, "400.00", allocation_date=d(2025, 2, 1))
    l1 = invoice_factory(lima, "L-1", "500.00", invoice_date=d(2025, 1, 1), due_date=d(2025, 1, 31))
    reminder = dunning_action_factory(kilo, [k1], kind="reminder", as_of=d(2025, 2, 10))
    reminder.status = "executed"
    reminder.save(update_fields=["status"])
    demand = dunning_action_factory(kilo, [k1], kind="demand", as_of=d(2025, 3, 3))
    demand.status = "awaiting_approval"
    demand.save(update_fields=["status"])
    dispute_open(invoice=k2, reason="quality", opened_date=AS_OF, note="", actor=users["admin"])
    plan_create(customer=kilo, instalments=3, first_date=d(2025, 4, 1), start_date=AS_OF,
                invoices=[k3], send_confirmation=False)  # fmt: skip
    dispute_open(invoice=l1, reason="quality", opened_date=AS_OF, note="", actor=users["admin"])
    dunning_action_factory(lima, [l1], kind="reminder", as_of=d(2025, 2, 11))

    items = dossier_open_items(customer=kilo, as_of=AS_OF)

    # Then: three open items, oldest due first, each with what happened to it alone.
    assert [
        (i.invoice.number, i.open_amount, i.step_kind, i.step_position, i.statuses) for i in items
    ] == [
        ("K-1", Decimal("100.00"), "demand", 2, ["awaiting_approval"]),
        ("K-2", Decimal("200.00"), "", None, ["disputed"]),
        ("K-3", Decimal("300.00"), "", None, ["in_plan"]),
    ]


def test_average_days_late_counts_only_invoices_paid_in_full_by_their_last_allocation(acme):
    d = dt.date
    golf = customer_make(acme, "C7", "Golf Grafisch")
    # Given: G-1 paid in two parts, the last 5 days after its due date; G-2 paid 3 days early;
    # G-3 paid in part and G-4 not at all (neither counts); another customer's late invoice.
    g1 = invoice_factory(
        golf, "G-1", "1000.00", invoice_date=d(2025, 1, 1), due_date=d(2025, 1, 31)
    )
    allocation_factory(g1, "600.00", allocation_date=d(2025, 2, 3))
    allocation_factory(g1, "400.00", allocation_date=d(2025, 2, 5))
    g2 = invoice_factory(
        golf, "G-2", "500.00", invoice_date=d(2025, 1, 29), due_date=d(2025, 2, 28)
    )
    allocation_factory(g2, "500.00", allocation_date=d(2025, 2, 25))
    g3 = invoice_factory(
        golf, "G-3", "300.00", invoice_date=d(2025, 2, 13), due_date=d(2025, 3, 15)
    )
    allocation_factory(g3, "100.00", allocation_date=d(2025, 3, 1))
    invoice_factory(golf, "G-4", "200.00", invoice_date=d(2025, 3, 1), due_date=d(2025, 3, 31))
    hotel = customer_make(acme, "C8", "Hotel Hout")
    h1 = invoice_factory(
        hotel, "H-1", "900.00", invoice_date=d(2024, 9, 1), due_date=d(2024, 10, 1)
    )
    allocation_factory(h1, "900.00", allocation_date=d(2025, 1, 9))

    # Then: (5 + -3) / 2 = 1.0 day late over 2 invoices paid in full.
    assert average_days_late(customer=golf) == (Decimal("1.0"), 2)
    assert average_days_late(customer=hotel) == (Decimal("100.0"), 1)


def test_average_days_late_is_none_before_any_invoice_is_paid_in_full(acme):
    india = customer_make(acme, "C9", "India Installatie")
    invoice = invoice_factory(
        india, "I-1", "100.00", invoice_date=dt.date(2025, 1, 1), due_date=dt.date(2025, 1, 31)
    )
    allocation_factory(invoice, "99.99", allocation_date=dt.date(2025, 2, 1))

    assert average_days_late(customer=india) == (None, 0)
