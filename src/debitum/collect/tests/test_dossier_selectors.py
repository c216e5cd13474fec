"""The dossier header's payment behaviour: average days late over the invoices paid in full."""

import datetime as dt
from decimal import Decimal

from debitum.collect.dossier_selectors import average_days_late
from debitum.ledger.tests.factories import allocation_factory, invoice_factory

from .factories import customer_make


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
