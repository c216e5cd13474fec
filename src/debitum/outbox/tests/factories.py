"""Test data for letters and e-mails: an administration with a letterhead, a customer with an
address, and a dunning action over some of its invoices (policy, step, run, action, lines)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from debitum.administrations.tests.factories import administration_factory
from debitum.customers.tests.factories import customer_factory
from debitum.dunning.models import (
    DunningAction,
    DunningActionInvoice,
    DunningRun,
    Policy,
    Step,
)
from debitum.ledger.tests.factories import invoice_factory

LETTERHEAD = {
    "legal_name": "Acme Incasso B.V.",
    "street": "Keizersgracht 1",
    "postal_code": "1015 CJ",
    "city": "Amsterdam",
    "iban": "NL91ABNA0417164300",
    "bic": "ABNANL2A",
    "email": "debiteuren@acme.example",
    "phone": "+31 20 123 4567",
    "vat_number": "NL004495445B01",
    "registration_number": "12345678",
    "website": "acme.example",
}


def letterhead_administration_factory(code: str = "ACME", *, country: str = "NL", **extra):
    return administration_factory(code, country=country, **{**LETTERHEAD, **extra})


def addressed_customer_factory(administration, number: str = "C001", **extra):
    defaults = {
        "name": "Jansen Bouw B.V.",
        "email": "crediteuren@jansen.example",
        "street": "Dorpsstraat 12",
        "postal_code": "3511 AB",
        "city": "Utrecht",
        "country": administration.country,
        "language": "nl",
    }
    return customer_factory(administration, number, **{**defaults, **extra})


def dunning_action_factory(
    customer,
    invoices,
    *,
    kind: str = "reminder",
    channel: str = "email",
    as_of: dt.date = dt.date(2025, 3, 3),
    pay_before: dt.date | None = dt.date(2025, 3, 17),
    fee: Decimal = Decimal("0.00"),
    interest: Decimal = Decimal("0.00"),
    calculation: dict | None = None,
    template: str | None = None,
    amounts: list[Decimal] | None = None,
) -> DunningAction:
    """An action (status pending) of the run of `as_of` at a one-step policy of `kind`."""
    administration = customer.administration
    policy, _ = Policy.objects.get_or_create(
        administration=administration,
        segment=customer.segment,
        country=customer.country,
        defaults={"name": f"{customer.country} {customer.segment}"},
    )
    position = policy.steps.count() + 1
    step = Step.objects.create(
        administration=administration,
        policy=policy,
        position=position,
        kind=kind,
        name=kind.replace("_", " ").capitalize(),
        day_offset=7 * position,
        channel=channel,
        template=template or kind,
    )
    run, _ = DunningRun.objects.get_or_create(
        administration=administration, as_of=as_of, defaults={"status": "executing"}
    )
    amounts = amounts or [invoice.amount for invoice in invoices]
    action = DunningAction.objects.create(
        administration=administration,
        run=run,
        customer=customer,
        step=step,
        position=position,
        kind=kind,
        channel=channel,
        currency="EUR",
        principal=sum(amounts, Decimal("0.00")),
        fee=fee,
        interest=interest,
        pay_before=pay_before,
        status="pending",
        calculation=calculation or {},
    )
    for invoice, amount in zip(invoices, amounts, strict=True):
        DunningActionInvoice.objects.create(
            administration=administration,
            action=action,
            invoice=invoice,
            position=position,
            as_of=as_of,
            amount=amount,
        )
    return action


def invoices_factory(customer, *specs) -> list:
    """Invoices from (number, amount, invoice date, reference) tuples."""
    return [
        invoice_factory(
            customer,
            number,
            Decimal(amount),
            invoice_date=invoice_date,
            reference=reference,
        )
        for number, amount, invoice_date, reference in specs
    ]
