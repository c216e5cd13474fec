"""`debitum promise|dispute|plan` as a collector types them."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from debitum.administrations.tests.factories import administration_factory
from debitum.cli import main
from debitum.customers.tests.factories import customer_factory
from debitum.disputes.models import DisputeReason
from debitum.ledger.models import Invoice
from debitum.ledger.tests.factories import allocation_factory, invoice_factory
from debitum.promises.models import Promise

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def documents_dir(settings, tmp_path):
    """The plans' confirmation letters go to a directory of the test's own."""
    settings.DEBITUM_DOCUMENTS_DIR = tmp_path / "documents"
    return settings.DEBITUM_DOCUMENTS_DIR


@pytest.fixture
def acme():
    administration = administration_factory("ACME")
    customer = customer_factory(administration, "C001", name="Bakkerij Jansen")
    invoice_factory(customer, "F-1", "300.00", invoice_date=dt.date(2026, 1, 5))
    invoice_factory(customer, "F-2", "700.00", invoice_date=dt.date(2026, 1, 20))
    return administration


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_promise_add_list_review(acme, capsys):
    code, out, _ = run(
        capsys,
        *("promise", "add", "--administration", "ACME", "--customer", "C001"),
        *("--amount", "1.000,00", "--date", "2026-03-16", "--as-of", "2026-03-02"),
        *("--note", "pays after the holiday"),
    )
    promise = Promise.objects.get()
    assert code == 0
    assert out == (
        f"Promise {promise.pk}: C001 pays EUR 1000.00 by 2026-03-16; dunning waits until "
        "2026-03-19 (3 grace days).\n"
    )
    code, out, _ = run(capsys, "promise", "list", "--administration", "ACME", "--format", "json")
    assert json.loads(out) == [
        {
            "id": promise.pk,
            "customer_number": "C001",
            "customer_name": "Bakkerij Jansen",
            "promise_date": "2026-03-02",
            "promised_date": "2026-03-16",
            "grace_days": 3,
            "waits_until": "2026-03-19",
            "amount": "1000.00",
            "currency": "EUR",
            "status": "open",
            "closed_date": None,
            "note": "pays after the holiday",
        }
    ]
    code, out, _ = run(
        capsys, "promise", "review", "--administration", "ACME", "--as-of", "2026-03-20"
    )
    assert out == "Promises on 2026-03-20: 0 kept, 1 broken, 0 still open.\n"
    code, out, _ = run(capsys, "promise", "list", "--administration", "ACME", "--status", "open")
    assert out == "No promises.\n"
    code, out, _ = run(capsys, "promise", "list", "--administration", "ACME")
    assert out == f"{promise.pk}\tC001\tEUR 1000.00\tby 2026-03-16\tbroken 2026-03-20\n"


def test_promise_errors_are_one_sentence(acme, capsys):
    base = ("promise", "add", "--administration", "ACME", "--date", "2026-03-16")
    assert run(capsys, *base, "--customer", "C404", "--amount", "1")[2] == (
        "debitum: no customer 'C404' in ACME\n"
    )
    assert run(capsys, *base, "--customer", "C001", "--amount", "1,001")[2] == (
        "debitum: --amount: '1,001' has more than 2 decimals\n"
    )
    code, _, err = run(
        capsys, *base, "--customer", "C001", "--amount", "5", "--as-of", "2026-04-01"
    )
    assert (code, err) == (
        1,
        "debitum: promised_date: the promised date 2026-03-16 is before 2026-04-01\n",
    )
    assert Promise.objects.count() == 0


def test_promise_cancel(acme, capsys):
    run(
        capsys,
        *("promise", "add", "--administration", "ACME", "--customer", "C001"),
        *("--amount", "10", "--date", "2026-03-16", "--as-of", "2026-03-02"),
    )
    promise = Promise.objects.get()
    code, out, _ = run(
        capsys,
        *("promise", "cancel", str(promise.pk), "--administration", "ACME"),
        *("--as-of", "2026-03-03", "--note", "typo"),
    )
    assert (code, out) == (0, f"Promise {promise.pk} cancelled on 2026-03-03.\n")
    assert run(capsys, "promise", "cancel", str(promise.pk), "--administration", "ACME")[2] == (
        f"debitum: status: promise {promise.pk} is cancelled; it cannot become cancelled\n"
    )
    administration_factory("OTHER")
    assert run(capsys, "promise", "cancel", str(promise.pk), "--administration", "OTHER")[2] == (
        f"debitum: no promise {promise.pk} in OTHER\n"
    )


def test_dispute_open_resolve_with_a_credit_note_and_list(acme, capsys):
    code, out, _ = run(
        capsys,
        *("dispute", "open", "--administration", "ACME", "--invoice", "F-2"),
        *("--reason", "wrong_amount", "--amount", "100,00", "--as-of", "2026-03-01"),
    )
    assert code == 0 and "opened on invoice F-2 (wrong_amount): EUR 100.00 leaves dunning" in out
    code, _, err = run(
        capsys,
        *("dispute", "open", "--administration", "ACME", "--invoice", "F-2"),
        *("--reason", "quality", "--as-of", "2026-03-01"),
    )
    assert (code, err) == (1, "debitum: invoice: invoice F-2 already has an open dispute\n")
    code, out, _ = run(
        capsys,
        *("dispute", "resolve", "--administration", "ACME", "--invoice", "F-2"),
        *("--resolution", "upheld", "--credit-amount", "100", "--as-of", "2026-03-10"),
    )
    assert out.endswith("resolved: upheld; credit note F-2-CN1 of EUR 100.00 allocated to F-2.\n")
    assert Invoice.objects.get(number="F-2-CN1").amount == Decimal("-100.00")
    code, out, _ = run(capsys, "dispute", "list", "--administration", "ACME", "--format", "json")
    [row] = json.loads(out)
    assert (row["status"], row["resolution"], row["credit_note_number"], row["amount"]) == (
        "resolved",
        "upheld",
        "F-2-CN1",
        "100.00",
    )
    assert run(capsys, "dispute", "list", "--administration", "ACME", "--status", "open")[1] == (
        "No disputes.\n"
    )
    assert run(
        capsys,
        *("dispute", "resolve", "--administration", "ACME", "--invoice", "F-2"),
        "--resolution",
        "rejected",
    )[2] == ("debitum: invoice F-2 has no open dispute\n")


def test_dispute_reasons_are_the_models(capsys):
    from debitum.cli.disputes import REASONS

    assert REASONS == DisputeReason.values
    with pytest.raises(SystemExit):
        main(["dispute", "open", "--administration", "A", "--invoice", "F", "--reason", "price"])
    assert "invalid choice: 'price'" in capsys.readouterr().err


def test_plan_create_show_review(acme, capsys, documents_dir):
    allocation_factory(
        Invoice.objects.get(number="F-1"), "100.00", allocation_date=dt.date(2026, 2, 1)
    )
    code, out, _ = run(
        capsys,
        *("plan", "create", "--administration", "ACME", "--customer", "C001"),
        *("--instalments", "3", "--first", "2026-03-31", "--as-of", "2026-03-01"),
        *("--format", "json"),
    )
    data = json.loads(out)
    assert code == 0
    assert (data["total"], data["every"], data["grace_days"], data["status"]) == (
        "900.00",
        "month",
        7,
        "active",
    )
    assert data["invoices"] == [
        {"number": "F-1", "amount": "200.00"},
        {"number": "F-2", "amount": "700.00"},
    ]
    assert data["instalments"] == [
        {"number": 1, "due_date": "2026-03-31", "amount": "300.00", "is_paid": False},
        {"number": 2, "due_date": "2026-04-30", "amount": "300.00", "is_paid": False},
        {"number": 3, "due_date": "2026-05-31", "amount": "300.00", "is_paid": False},
    ]
    plan_id = str(data["id"])
    # The confirmation letter is stored (and queued: C001 has no e-mail address, so a letter).
    confirmation = documents_dir / f"ACME/2026/03/plan-{plan_id}-confirmation.pdf"
    assert data["documents"] == [str(confirmation)]
    assert confirmation.read_bytes().startswith(b"%PDF-")
    # A second plan over the same invoices is refused.
    code, _, err = run(
        capsys,
        *("plan", "create", "--administration", "ACME", "--customer", "C001"),
        *("--instalments", "2", "--first", "2026-03-31", "--as-of", "2026-03-01"),
        *("--invoices", "F-2"),
    )
    assert (code, err) == (
        1,
        f"debitum: invoices: invoice F-2 is in active payment plan {plan_id}\n",
    )
    # The first instalment paid: shown as paid.
    allocation_factory(
        Invoice.objects.get(number="F-2"), "300.00", allocation_date=dt.date(2026, 3, 30)
    )
    code, out, _ = run(
        capsys, "plan", "show", plan_id, "--administration", "ACME", "--as-of", "2026-04-01"
    )
    assert out.splitlines() == [
        f"Payment plan {plan_id} for C001 (active): EUR 900.00 from 2026-03-01, grace 7 days",
        "Invoices: F-1 200.00, F-2 700.00",
        "Paid by 2026-04-01: EUR 300.00",
        "  #  due date    amount",
        "  1  2026-03-31        300.00  paid",
        "  2  2026-04-30        300.00",
        "  3  2026-05-31        300.00",
    ]
    code, out, _ = run(
        capsys, "plan", "show", plan_id, "--administration", "ACME", "--format", "confirmation"
    )
    assert "in 3 instalments, monthly:" in out and "An instalment more than 7 days late" in out
    # Instalment 2 unpaid on 8 May (30 April + 7 grace days passed): broken.
    code, out, _ = run(
        capsys,
        "plan",
        "review",
        "--administration",
        "ACME",
        "--as-of",
        "2026-05-08",
        "--format",
        "json",
    )
    assert json.loads(out) == {"as_of": "2026-05-08", "completed": 0, "broken": 1, "active": 0}
    code, out, _ = run(capsys, "plan", "list", "--administration", "ACME")
    assert out == f"{plan_id}\tC001\tEUR 900.00\tfrom 2026-03-01\tmonth\tbroken 2026-05-08\n"


def test_plan_create_errors(acme, capsys):
    base = (
        "plan",
        "create",
        "--administration",
        "ACME",
        "--customer",
        "C001",
        "--first",
        "2026-03-31",
    )
    assert run(capsys, *base, "--instalments", "2", "--invoices", "F-9")[2] == (
        "debitum: no invoice 'F-9' in ACME\n"
    )
    code, _, err = run(capsys, *base, "--instalments", "2", "--as-of", "2026-04-01")
    assert err == "debitum: first_date: the first instalment is before 2026-04-01\n"
    with pytest.raises(SystemExit):
        main([*base, "--instalments", "0"])
    assert "at least 1" in capsys.readouterr().err


def test_plan_cancel(acme, capsys):
    run(
        capsys,
        *("plan", "create", "--administration", "ACME", "--customer", "C001"),
        *("--instalments", "2", "--first", "2026-03-31", "--as-of", "2026-03-01"),
    )
    plan_id = run(capsys, "plan", "list", "--administration", "ACME", "--format", "json")[1]
    plan_id = str(json.loads(plan_id)[0]["id"])
    code, out, _ = run(
        capsys, "plan", "cancel", plan_id, "--administration", "ACME", "--as-of", "2026-03-02"
    )
    assert (
        out == f"Payment plan {plan_id} cancelled on 2026-03-02; its invoices return to dunning.\n"
    )


def test_plan_create_prints_the_confirmation_letter_or_makes_none(acme, capsys, documents_dir):
    code, out, _ = run(
        capsys,
        *("plan", "create", "--administration", "ACME", "--customer", "C001"),
        *("--instalments", "2", "--first", "2026-03-31", "--as-of", "2026-03-01"),
        *("--invoices", "F-1"),
    )
    plan_id = out.split()[2]
    assert code == 0
    assert out.splitlines()[-1] == (
        f"Confirmation: {documents_dir / f'ACME/2026/03/plan-{plan_id}-confirmation.pdf'}"
    )
    code, out, _ = run(
        capsys,
        *("plan", "create", "--administration", "ACME", "--customer", "C001"),
        *("--instalments", "2", "--first", "2026-03-31", "--as-of", "2026-03-01"),
        *("--invoices", "F-2", "--no-confirmation", "--format", "json"),
    )
    assert (code, json.loads(out)["documents"]) == (0, [])
    assert len(list(documents_dir.rglob("*.pdf"))) == 1
