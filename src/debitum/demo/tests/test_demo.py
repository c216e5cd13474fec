"""The demo administration: deterministic, idempotent, valid, and shaped like a real ledger."""

import datetime as dt
import hashlib

import pytest
from django.contrib.auth import get_user_model
from schwifty import IBAN
from stdnum.be import vat as be_vat
from stdnum.eu import vat as eu_vat

from debitum.administrations.models import Administration, Membership
from debitum.administrations.tests.factories import administration_factory
from debitum.audit.models import AuditEvent
from debitum.customers.models import Customer
from debitum.customers.tests.factories import customer_factory
from debitum.demo.generator import generate, history_start
from debitum.demo.services import DemoError, demo_build
from debitum.imports.models import ImportBatch
from debitum.ledger.models import Allocation, Invoice, Payment
from debitum.ledger.selectors import open_amounts
from debitum.reports.selectors import aging_report

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 5, 15)
CUSTOMERS = 40
# What the demo statement of AS_OF comes to (all placed but three unknown payers and the costs).
OUTCOMES = {"matched": 21, "unmatched": 3, "ignored": 1}


def build(code="DEMO", seed=1, as_of=AS_OF, customers=CUSTOMERS) -> str:
    return demo_build(code=code, customers=customers, seed=seed, as_of=as_of)


def ledger_digest(code: str) -> str:
    """A fingerprint of everything the demo wrote into one administration."""
    administration = Administration.objects.get(code=code)
    digest = hashlib.sha256()
    for row in (
        Invoice.objects.filter(administration=administration)
        .order_by("number")
        .values_list(
            "number",
            "customer__number",
            "kind",
            "invoice_date",
            "due_date",
            "amount",
            "vat_amount",
            "reference",
        )
    ):
        digest.update(repr(row).encode())
    for row in (
        Payment.objects.filter(administration=administration)
        .order_by("fingerprint")
        .values_list(
            "payment_date",
            "customer__number",
            "amount",
            "invoice_number",
            "reference",
            "fingerprint",
        )
    ):
        digest.update(repr(row).encode())
    for row in (
        Allocation.objects.filter(administration=administration)
        .order_by("invoice__number", "payment__fingerprint", "credit_note__number")
        .values_list(
            "invoice__number",
            "payment__fingerprint",
            "credit_note__number",
            "amount",
            "allocation_date",
        )
    ):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def counts() -> dict[str, int]:
    models = (
        Administration,
        Customer,
        Invoice,
        Payment,
        Allocation,
        ImportBatch,
        AuditEvent,
        Membership,
        get_user_model(),
    )
    return {model.__name__: model.objects.count() for model in models}


def test_the_same_seed_gives_the_same_ledger_and_another_seed_another():
    build("DEMO")
    build("DEMO2")
    build("DEMO3", seed=2)
    assert ledger_digest("DEMO") == ledger_digest("DEMO2")
    assert ledger_digest("DEMO") != ledger_digest("DEMO3")


def test_a_second_run_changes_nothing():
    build()
    before = counts()
    summary = build()
    assert counts() == before
    assert summary.count("this file was imported before; nothing changed") == 3
    assert "User demo: unchanged" in summary


def test_a_later_date_adds_the_new_days_and_keeps_the_rest():
    build(as_of=AS_OF)
    invoices_before = set(Invoice.objects.values_list("number", "amount", "due_date"))
    build(as_of=AS_OF + dt.timedelta(days=45))
    invoices_after = set(Invoice.objects.values_list("number", "amount", "due_date"))
    assert invoices_before < invoices_after


def test_the_demo_user_is_manager_and_may_use_the_back_office():
    summary = build()
    user = get_user_model().objects.get(username="demo")
    assert user.check_password("demo-debitum") and user.is_staff and not user.is_superuser
    assert Membership.objects.get(user=user, administration__code="DEMO").role == "manager"
    assert (
        "http://127.0.0.1:8000/" in summary
        and "debitum serve" in summary
        and "demo-debitum" in summary
    )


def test_customers_are_dutch_and_belgian_businesses_and_consumers_with_valid_numbers():
    build()
    customers = list(Customer.objects.filter(administration__code="DEMO"))
    assert len(customers) == CUSTOMERS
    assert {c.country for c in customers} == {"NL", "BE"}
    assert {c.customer_type for c in customers} == {"business", "consumer"}
    assert {c.language for c in customers if c.country == "NL"} == {"nl"}
    assert {c.payment_terms_days for c in customers} <= {14, 30, 60}
    for customer in customers:
        if customer.vat_number:
            assert eu_vat.is_valid(customer.vat_number), customer.vat_number
            assert customer.vat_number[:2] == customer.country
        if customer.enterprise_number:
            assert (
                be_vat.is_valid(customer.enterprise_number)
                and customer.vat_number == "BE" + customer.enterprise_number
            )
        if customer.iban:
            assert IBAN(customer.iban).country_code == customer.country
        if customer.customer_type == "consumer":
            assert not customer.vat_number and not customer.kvk_number
        assert customer.email.endswith(".example")  # never a real mailbox


def test_belgian_invoices_carry_a_valid_structured_reference_and_dutch_ones_their_number():
    build()
    for number, reference, country in Invoice.objects.filter(kind="invoice").values_list(
        "number", "reference", "customer__country"
    ):
        if country == "BE":
            assert reference.startswith("+++") and reference.endswith("+++"), reference
            digits = reference.strip("+").replace("/", "")
            assert len(digits) == 12 and (int(digits[:10]) % 97 or 97) == int(digits[10:]), (
                reference
            )
        else:
            assert reference == number


def test_nothing_is_dated_after_as_of_or_before_the_18_months():
    build()
    start = history_start(AS_OF)
    assert start == dt.date(2024, 11, 16)
    assert max(Payment.objects.values_list("payment_date", flat=True)) <= AS_OF
    assert max(Allocation.objects.values_list("allocation_date", flat=True)) <= AS_OF
    dates = list(Invoice.objects.values_list("invoice_date", flat=True))
    assert start <= min(dates) and max(dates) <= AS_OF


def test_the_ledger_looks_like_a_real_one_at_as_of():
    build()
    administration = Administration.objects.get(code="DEMO")
    open_now = open_amounts(administration=administration, as_of=AS_OF)
    invoices = {i.pk: i for i in Invoice.objects.filter(administration=administration)}
    overdue = [
        pk for pk, amount in open_now.items() if amount > 0 and invoices[pk].due_date < AS_OF
    ]
    partly_paid = [
        pk
        for pk, amount in open_now.items()
        if 0 < amount < invoices[pk].amount
        and Allocation.objects.filter(invoice_id=pk, payment__isnull=False).exists()
    ]
    credit_notes = [i for i in invoices.values() if i.kind == "credit_note"]
    assert overdue and partly_paid
    assert any(
        Allocation.objects.filter(credit_note=c).exists() for c in credit_notes
    )  # linked to an invoice
    assert any(open_now.get(c.pk, 0) < 0 for c in credit_notes)  # and one left open
    assert Payment.objects.filter(
        administration=administration, invoice_number=""
    ).exists()  # on account

    totals = aging_report(administration=administration, as_of=AS_OF).currencies["EUR"]
    # Most is not yet due, with a tail of overdue amounts and money on account.
    assert totals["current"] > totals["total"] / 2
    assert totals["1-30"] > 0 and totals["90+"] > 0 and totals["unapplied"] < 0


def test_generation_is_a_function_of_customers_seed_and_date():
    first = generate(customers=CUSTOMERS, seed=5, as_of=AS_OF)
    again = generate(customers=CUSTOMERS, seed=5, as_of=AS_OF)
    assert first == again
    # A customer does not depend on how many come after it.
    assert generate(customers=10, seed=5, as_of=AS_OF).customers == first.customers[:10]


def test_the_demo_is_not_mixed_into_other_data():
    real = administration_factory("ACME")
    customer_factory(real, "C1")
    before = counts()
    with pytest.raises(DemoError, match="not the demo's"):
        build("ACME")
    assert counts() == before

    build("DEMO")
    before = counts()
    with pytest.raises(DemoError, match="other settings"):
        build("DEMO", customers=CUSTOMERS + 1)
    assert counts() == before


def test_a_day_at_the_bank_is_written_beside_the_demo(settings, tmp_path):
    # Given the demo, its statement of AS_OF pays some open invoices the ways debtors do
    # (demo/statement.py: by reference, a typed number, a part, two at once, a typo) beside
    # three unknown payers and the bank's costs; importing it places all but those.
    from debitum.banking.services import statement_import

    settings.DEBITUM_HOME = tmp_path
    summary = build()
    path = tmp_path / "demo" / f"DEMO-statement-{AS_OF}.xml"
    assert f"debitum import statement {path} --administration DEMO" in summary
    administration = Administration.objects.get(code="DEMO")
    result = statement_import(
        administration=administration, data=path.read_bytes(), file_name=path.name
    )
    assert len(result.statements[0].entries) == 25
    assert dict(result.outcomes) == OUTCOMES
    written = path.read_bytes()
    build()  # a second run keeps the day's statement as it was (it may be imported already)
    assert path.read_bytes() == written
