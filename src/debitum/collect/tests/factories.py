"""The worked example of the work list, at AS_OF = 2025-03-31 (ACME, home currency EUR).

  customer          segment    overdue (days)      extras                          score
  C2 Beta Bouw      high       1,000.00 (60)       1 broken promise, 2 tasks due   180,000
  C3 Gamma Glas     low        5,000.00 (30)                                       112,500
  C1 Alfa Advies    normal     1,000.00 (60)                                        60,000
  C4 Delta Dak      strategic    200.00 (31)       300.00 not yet due                 7,750
  C6 Foxtrot Fiets  normal         0.00            a bounce task due today               0
  C5 Echo Elektro   normal     nothing overdue     (not on the list)

score = overdue x days x weight x (1 + broken / 2 + tasks / 4) (debitum.domain.worklist):
C2: 1000 x 60 x 1.5 x 2 = 180,000; C3: 5000 x 30 x 0.75 = 112,500; C4: 200 x 31 x 1.25 = 7,750.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from debitum.customers.models import Customer
from debitum.ledger.tests.factories import invoice_factory
from debitum.promises.models import Promise
from debitum.tasks.models import Task

AS_OF = dt.date(2025, 3, 31)


def customer_make(administration, number, name, **extra) -> Customer:
    return Customer.objects.create(administration=administration, number=number, name=name, **extra)


def task_make(customer, *, kind="phone_call", due_date=AS_OF, title="Call", key="") -> Task:
    return Task.objects.create(
        administration_id=customer.administration_id,
        customer=customer,
        kind=kind,
        title=title,
        due_date=due_date,
        key=key,
    )


def worklist_example_make(administration) -> dict[str, Customer]:
    d = dt.date
    alfa = customer_make(administration, "C1", "Alfa Advies")
    beta = customer_make(administration, "C2", "Beta Bouw", segment="high", risk_class="high")
    gamma = customer_make(
        administration, "C3", "Gamma Glas", segment="low", country="BE", language="fr"
    )
    delta = customer_make(administration, "C4", "Delta Dak", segment="strategic")
    echo = customer_make(administration, "C5", "Echo Elektro")
    foxtrot = customer_make(administration, "C6", "Foxtrot Fiets")
    invoice_factory(alfa, "A-1", "1000.00", invoice_date=d(2024, 12, 31), due_date=d(2025, 1, 30))
    invoice_factory(beta, "B-1", "1000.00", invoice_date=d(2024, 12, 31), due_date=d(2025, 1, 30))
    invoice_factory(gamma, "G-1", "5000.00", invoice_date=d(2025, 2, 1), due_date=d(2025, 3, 1))
    invoice_factory(delta, "D-1", "200.00", invoice_date=d(2025, 1, 29), due_date=d(2025, 2, 28))
    invoice_factory(delta, "D-2", "300.00", invoice_date=d(2025, 3, 20), due_date=d(2025, 4, 19))
    invoice_factory(echo, "E-1", "800.00", invoice_date=d(2025, 3, 10), due_date=d(2025, 4, 9))
    Promise.objects.create(
        administration=administration,
        customer=beta,
        promise_date=d(2025, 3, 1),
        promised_date=d(2025, 3, 15),
        amount=Decimal("1000.00"),
        currency="EUR",
        status="broken",
        closed_date=d(2025, 3, 19),
    )
    task_make(beta, title="Call Beta Bouw: promise broken", kind="promise_broken")
    task_make(beta, title="Call Beta Bouw", due_date=d(2025, 3, 28))
    task_make(beta, title="Later", due_date=d(2025, 4, 2))  # not due yet
    task_make(foxtrot, kind="bounce", title="E-mail to Foxtrot bounced")
    return {c.number: c for c in (alfa, beta, gamma, delta, echo, foxtrot)}
