"""Building the demo administration through the real import services."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib.auth import get_user_model
from django.db import transaction

from debitum.administrations.choices import Role
from debitum.administrations.models import Administration, Membership
from debitum.administrations.services import administration_create, membership_grant, user_create
from debitum.customers.models import Customer
from debitum.dunning.policy_services import policies_install_defaults
from debitum.imports.choices import ImportKind
from debitum.imports.models import ImportBatch
from debitum.imports.pipeline import Progress, no_progress
from debitum.imports.services import (
    customer_import,
    invoice_import,
    payment_import,
    table_from_rows,
)

from .generator import CUSTOMER_HEADER, INVOICE_HEADER, PAYMENT_HEADER, DemoData, generate
from .statement import demo_statement

DEMO_NAME = "Demo Groothandel B.V."
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-debitum"  # printed on purpose: it opens a demo, never real data


class DemoError(Exception):
    """The demo cannot be built into this administration; nothing was changed."""


def _customers_file(customers: int, seed: int) -> str:
    return f"demo-customers-{customers}-seed{seed}.csv"


def _demo_administration(code: str) -> tuple[Administration, bool]:
    administration = Administration.objects.filter(code=code).first()
    if administration is not None:
        return administration, False
    return administration_create(
        code=code, name=DEMO_NAME, country="NL", currency="EUR", language="nl"
    ), True


def _check_same_demo(administration: Administration, customers: int, seed: int) -> None:
    """Refuse to mix the demo into real data, or two demos of different size or seed (their
    invoice numbers would clash)."""
    if not Customer.objects.filter(administration=administration).exists():
        return
    file_names = set(
        ImportBatch.objects.filter(
            administration=administration, kind=ImportKind.CUSTOMERS
        ).values_list("file_name", flat=True)
    )
    if _customers_file(customers, seed) in file_names:
        return
    earlier = sorted(name for name in file_names if name.startswith("demo-customers-"))
    if earlier:
        raise DemoError(
            f"administration {administration.code} holds a demo built with other settings ({earlier[0]}); "
            "use the same --customers and --seed, or another --administration code"
        )
    raise DemoError(
        f"administration {administration.code} has customers that are not the demo's; "
        "build the demo in another administration (--administration CODE)"
    )


def _demo_user(administration: Administration) -> str:
    """Create the demo user if missing and make it manager here; says what it did."""
    user = get_user_model().objects.filter(username=DEMO_USERNAME).first()
    notes = []
    if user is None:
        user = user_create(
            username=DEMO_USERNAME,
            password=DEMO_PASSWORD,
            email="demo@debitum.example",
            is_staff=True,
        )
        notes.append("created")
    elif not user.check_password(DEMO_PASSWORD):
        # Someone changed it; a demo build does not reset a password behind their back.
        notes.append("exists with another password (kept)")
    role = (
        Membership.objects.filter(administration=administration, user=user)
        .values_list("role", flat=True)
        .first()
    )
    if role != Role.MANAGER:
        membership_grant(user=user, administration=administration, role=Role.MANAGER)
        notes.append(f"made manager in {administration.code}")
    return ", ".join(notes) or "unchanged"


def _per_phase(progress: Progress, kind: str) -> Progress:
    return lambda phase, done, total: progress(f"{kind}: {phase}", done, total)


def demo_build(
    *,
    code: str = "DEMO",
    customers: int = 250,
    seed: int = 1,
    as_of: dt.date,
    progress: Progress = no_progress,
) -> str:
    """Create (if missing) the demo administration `code` and the user demo (manager there,
    may use the back office), and fill it with 18 months of customers, invoices and payments
    up to `as_of` through the import services. Returns a summary to print.

    The rows depend on (customers, seed, as_of) only, so a second run with the same values
    changes nothing (every file is recognised as imported before); a later `as_of` adds the
    invoices and payments of the days in between. It also writes a bank statement of `as_of`
    that pays some open invoices (demo.statement), to try the statement import with. Raises DemoError, changing nothing, when the
    administration holds other data or a demo of another size or seed.
    """
    data = generate(
        customers=customers, seed=seed, as_of=as_of, progress=_per_phase(progress, "generate")
    )
    tables = [
        (
            customer_import,
            "customers",
            table_from_rows(_customers_file(customers, seed), CUSTOMER_HEADER, data.customers),
        ),
        (
            invoice_import,
            "invoices",
            table_from_rows(f"demo-invoices-seed{seed}-{as_of}.csv", INVOICE_HEADER, data.invoices),
        ),
        (
            payment_import,
            "payments",
            table_from_rows(f"demo-payments-seed{seed}-{as_of}.csv", PAYMENT_HEADER, data.payments),
        ),
    ]
    # One transaction: a failure anywhere leaves no half-built demo.
    with transaction.atomic():
        administration, created = _demo_administration(code)
        _check_same_demo(administration, customers, seed)
        policies_install_defaults(administration=administration)  # a demo built before policies
        user_note = _demo_user(administration)
        results = [
            importer(
                administration=administration, table=table, progress=_per_phase(progress, kind)
            )
            for importer, kind, table in tables
        ]
    statement = demo_statement(administration=administration, as_of=as_of, seed=seed)
    return _summary(administration, created, data, seed, results, user_note, statement)


def _summary(
    administration: Administration,
    created: bool,
    data: DemoData,
    seed: int,
    results,
    user_note: str,
    statement,
) -> str:
    countries = Counter(row[3] for row in data.customers)
    types = Counter(row[2] for row in data.customers)
    kinds = Counter(row[7] for row in data.invoices)
    lines = [
        f"Demo administration {administration.code} ({administration.name}) "
        f"{'created' if created else 'already present'}; history {data.start_date} to {data.as_of}, seed {seed}.",
        f"  {len(data.customers):,} customers ({countries['NL']:,} NL, {countries['BE']:,} BE; "
        f"{types['business']:,} businesses, {types['consumer']:,} consumers), "
        f"{kinds['invoice']:,} invoices, {kinds['credit_note']:,} credit notes, {len(data.payments):,} payments.",
        *(f"  {result.summary()}" for result in results),
        f"  User {DEMO_USERNAME}: {user_note}.",
        "",
        "Start the web application with `debitum serve`, then open http://127.0.0.1:8000/",
        f"and log in as user {DEMO_USERNAME} with password {DEMO_PASSWORD}.",
        f"Aging on the command line: debitum report aging --administration {administration.code} --as-of {data.as_of}",
        f"A day at the bank: debitum import statement {statement} --administration {administration.code}",
        "  (or upload it on the page Bank statements), then work what is left under Reconciliation.",
    ]
    return "\n".join(lines)
