"""The open amount of a receivable: derived, never stored.

An invoice's open amount at a date is its amount less what was allocated to it (payments,
credit notes) and written off on or before that date. The ledger keeps the events; this is the
rule that turns them into a number, and the one the database queries are tested against.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal


def open_amount(
    amount: Decimal, settlements: Iterable[tuple[dt.date, Decimal]], as_of: dt.date
) -> Decimal:
    """`amount` less every settlement dated on or before `as_of`."""
    return amount - sum((value for when, value in settlements if when <= as_of), Decimal("0"))


def split_payment(payment_amount: Decimal, invoice_open: Decimal) -> tuple[Decimal, Decimal]:
    """(applied to the invoice, left on the customer's account) for a payment of an invoice.

    An overpayment settles the invoice and leaves the rest unapplied; a payment of an invoice
    that is already settled (or a credit) applies nothing.
    """
    if payment_amount <= 0 or invoice_open <= 0:
        return Decimal("0.00"), payment_amount
    applied = min(payment_amount, invoice_open)
    return applied, payment_amount - applied
