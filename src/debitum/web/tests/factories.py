"""Test data made straight with the ORM, and the worked example of the aging tests."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from debitum.administrations.models import Administration, Membership
from debitum.customers.models import Customer
from debitum.ledger.models import Allocation, Invoice, Payment, WriteOff
from debitum.ledger.tests.factories import (
    allocation_factory,
    invoice_factory,
    payment_factory,
    write_off_factory,
)

PASSWORD = "correct horse battery staple"


def user_make(username: str, *, is_staff: bool = False, is_superuser: bool = False):
    return get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        is_staff=is_staff or is_superuser,
        is_superuser=is_superuser,
    )


def administration_make(
    code: str, name: str, *, country: str = "NL", members=(), role: str = "viewer"
) -> Administration:
    administration = Administration.objects.create(
        code=code, name=name, country=country, currency="EUR"
    )
    for user in members:
        Membership.objects.create(administration=administration, user=user, role=role)
    return administration


def customer_make(administration, number: str, name: str) -> Customer:
    return Customer.objects.create(administration=administration, number=number, name=name)


# The ledger rows come from the ledger's own factories; these keep the names the web tests use.
def invoice_make(
    customer,
    number: str,
    amount: str,
    *,
    invoice_date: dt.date,
    due_date: dt.date,
    currency: str = "EUR",
) -> Invoice:
    return invoice_factory(
        customer, number, amount, invoice_date=invoice_date, due_date=due_date, currency=currency
    )


def payment_make(customer, amount: str, *, payment_date: dt.date, currency: str = "EUR") -> Payment:
    return payment_factory(customer, amount, payment_date=payment_date, currency=currency)


def allocation_make(invoice, payment, amount: str, *, allocation_date: dt.date) -> Allocation:
    return allocation_factory(invoice, amount, allocation_date=allocation_date, payment=payment)


def write_off_make(
    invoice, amount: str, *, write_off_date: dt.date, reason: str = "not worth pursuing"
) -> WriteOff:
    return write_off_factory(invoice, amount, write_off_date=write_off_date, reason=reason)


# The worked example, at AS_OF = 2025-03-31 (days past due in brackets):
#   C001 Bakkerij de Vries  EUR  F001 1,234.56 due 2025-04-19 (-19)    current   1,234.56
#                                F002   500.00 due 2025-03-03 (28), 200.00 paid  1-30  300.00
#                                F003 1,000.00 due 2024-12-01 (120)    90+       1,000.00
#   C002 Brasserie Le Coq   EUR  F004 2,500.00 due 2025-02-14 (45)     31-60     2,500.00
#                                F005   750.00 due 2024-12-31 (90), 50.00 written off  61-90  700.00
#                                CN01  -100.00 due 2025-03-25 (6)      1-30      -100.00
#                                payment of 80.00 on account           unapplied  -80.00
#   C003 Garage Jansen      USD  F006   999.99 due 2025-03-31 (0)      current     999.99
#   F007 (invoiced 2025-04-05) is after the date and not in the report.
AS_OF = dt.date(2025, 3, 31)
EARLIER = dt.date(2025, 1, 31)


def aging_example_make(administration) -> dict[str, Customer]:
    """The ledger of the worked example above, in `administration`."""
    d = dt.date
    vries = customer_make(administration, "C001", "Bakkerij de Vries")
    coq = customer_make(administration, "C002", "Brasserie Le Coq")
    jansen = customer_make(administration, "C003", "Garage Jansen")
    invoice_make(vries, "F001", "1234.56", invoice_date=d(2025, 3, 20), due_date=d(2025, 4, 19))
    f002 = invoice_make(vries, "F002", "500.00", invoice_date=d(2025, 2, 1), due_date=d(2025, 3, 3))
    payment = payment_make(vries, "200.00", payment_date=d(2025, 3, 10))
    allocation_make(f002, payment, "200.00", allocation_date=d(2025, 3, 10))
    invoice_make(vries, "F003", "1000.00", invoice_date=d(2024, 11, 1), due_date=d(2024, 12, 1))
    invoice_make(coq, "F004", "2500.00", invoice_date=d(2025, 1, 15), due_date=d(2025, 2, 14))
    f005 = invoice_make(
        coq, "F005", "750.00", invoice_date=d(2024, 12, 1), due_date=d(2024, 12, 31)
    )
    write_off_make(f005, "50.00", write_off_date=d(2025, 3, 15))
    invoice_make(coq, "CN01", "-100.00", invoice_date=d(2025, 3, 25), due_date=d(2025, 3, 25))
    payment_make(coq, "80.00", payment_date=d(2025, 3, 28))
    invoice_make(
        jansen,
        "F006",
        "999.99",
        invoice_date=d(2025, 3, 1),
        due_date=d(2025, 3, 31),
        currency="USD",
    )
    invoice_make(jansen, "F007", "5000.00", invoice_date=d(2025, 4, 5), due_date=d(2025, 5, 5))
    return {"C001": vries, "C002": coq, "C003": jansen}
