"""The statement import as a credit controller meets it: a day's statement goes in, what is
certain lands on the invoices, the rest waits, nothing is applied twice."""

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

from debitum.administrations.tests.factories import administration_factory
from debitum.audit.models import AuditEvent
from debitum.banking.formats.statement import ParsedEntry, ParsedStatement
from debitum.banking.models import (
    CustomerBankAccount,
    DirectDebitBatch,
    DirectDebitItem,
    EntryDecision,
    Mandate,
    Statement,
    StatementEntry,
)
from debitum.banking.reconcile_services import entry_confirm, entry_ignore
from debitum.banking.selectors import queue_count, reconciliation_queue
from debitum.banking.services import statement_import, statements_import
from debitum.customers.tests.factories import customer_factory
from debitum.ledger.models import Allocation, Payment
from debitum.ledger.selectors import open_amounts
from debitum.ledger.tests.factories import invoice_factory
from debitum.promises.models import Promise
from debitum.promises.services import promise_register
from debitum.tasks.models import Task

pytestmark = pytest.mark.django_db
D = Decimal
ALL = dt.date(9999, 12, 31)
JAN_10 = dt.date(2026, 1, 10)
MAR_2 = dt.date(2026, 3, 2)
MAR_3 = dt.date(2026, 3, 3)
ACCOUNT = "NL91ABNA0417164300"
BAKER_IBAN = "NL02RABO0123456789"
OGM_1 = "+++090/9337/55493+++"


@pytest.fixture
def acme():
    return administration_factory("ACME")


@pytest.fixture
def baker(acme):
    return customer_factory(acme, "C001", name="Bakkerij Jansen B.V.", iban=BAKER_IBAN)


@pytest.fixture
def florist(acme):
    return customer_factory(acme, "C002", name="Bloemen Peeters")


@pytest.fixture
def invoices(baker, florist):
    return {
        "F-1": invoice_factory(baker, "2026-0001", "121.00", invoice_date=JAN_10, reference=OGM_1),
        "F-2": invoice_factory(baker, "2026-0002", "250.00", invoice_date=JAN_10),
        "F-3": invoice_factory(florist, "2026-0003", "80.00", invoice_date=JAN_10),
    }


def entry(amount, **kwargs):
    return ParsedEntry(
        booking_date=kwargs.pop("booking_date", MAR_2),
        value_date=kwargs.pop("value_date", MAR_2),
        amount=D(amount),
        currency="EUR",
        **kwargs,
    )


def statement(*entries, number="12", opening="1000.00", closing=None, opening_date=MAR_2):
    if opening is None:
        closing = None  # a notification (camt.054) carries no balances
    elif closing is None:
        closing = D(opening) + sum((e.amount for e in entries), D(0))
    else:
        closing = D(closing)
    return ParsedStatement(
        file_format="camt.053",
        account_iban=ACCOUNT,
        currency="EUR",
        statement_number=number,
        opening_date=opening_date,
        opening_balance=D(opening) if opening is not None else None,
        closing_date=opening_date,
        closing_balance=closing,
        entries=tuple(entries),
    )


def run(administration, *statements, name="day.xml"):
    sha = hashlib.sha256(repr(statements).encode() + name.encode()).hexdigest()
    return statements_import(
        administration=administration, statements=list(statements), file_name=name, sha256=sha
    )


def outcome_of(result, index=0):
    return result.statements[0].entries[index]


def test_a_day_of_payments_lands_on_the_right_invoices(acme, invoices):
    # Given three open invoices, when a statement comes in with a payment by reference, one by
    # invoice number in the text from the known IBAN, and one from a stranger,
    result = run(
        acme,
        statement(
            entry("121.00", structured_reference="090933755493", counterparty_name="Jansen"),
            entry("250.00", remittance="factuur 2026-2", counterparty_iban=BAKER_IBAN),
            entry("42.00", remittance="gift", counterparty_name="Onbekend"),
        ),
    )
    # then the first two are matched and the invoices are paid, the third waits unmatched.
    first, second, third = result.statements[0].entries
    assert (first.outcome, first.reason, first.confidence) == ("matched", "reference", 100)
    assert first.invoices == ["2026-0001"] and first.customer_number == "C001"
    assert (second.outcome, second.reason) == ("matched", "invoice_number")
    assert third.outcome == "unmatched"
    still_open = open_amounts(administration=acme, as_of=ALL)
    assert invoices["F-1"].pk not in still_open and invoices["F-2"].pk not in still_open
    assert still_open[invoices["F-3"].pk] == D("80.00")
    payments = Payment.objects.filter(administration=acme).order_by("amount")
    assert [(p.customer.number, p.amount, p.payment_date) for p in payments] == [
        ("C001", D("121.00"), MAR_2),
        ("C001", D("250.00"), MAR_2),
    ]
    assert Allocation.objects.filter(administration=acme).count() == 2
    assert queue_count(administration=acme) == 1
    assert AuditEvent.objects.filter(action="import.statements").count() == 1


def test_the_same_statement_again_changes_nothing(acme, invoices):
    day = statement(entry("121.00", structured_reference=OGM_1))
    run(acme, day, name="a.xml")
    again = run(acme, day, name="a-renamed.xml")
    assert again.statements[0].already_imported
    assert again.statements[0].entries[0].outcome == "matched"
    assert Payment.objects.count() == 1 and StatementEntry.objects.count() == 1


def test_a_movement_seen_in_an_earlier_file_is_a_duplicate(acme, invoices):
    # A camt.054 notification first, then the camt.053 that books the same money.
    movement = entry("121.00", structured_reference=OGM_1, end_to_end_id="E2E-1")
    notification = statement(movement, number="", opening=None)
    run(acme, notification, name="note.xml")
    booked = run(acme, statement(movement), name="day.xml")
    assert outcome_of(booked).outcome == "duplicate"
    assert Payment.objects.count() == 1
    assert open_amounts(administration=acme, as_of=ALL).get(invoices["F-1"].pk) is None


def test_a_statement_that_does_not_follow_on_the_previous_one_is_flagged(acme, invoices):
    run(acme, statement(entry("10.00"), number="11", opening="500.00"), name="11.xml")
    follows = run(acme, statement(number="12", opening="510.00", opening_date=MAR_3), name="12")
    assert follows.statements[0].follows_previous is True
    gap = run(
        acme,
        statement(number="14", opening="900.00", opening_date=dt.date(2026, 3, 5)),
        name="14.xml",
    )
    assert gap.statements[0].follows_previous is False
    assert "does not follow on the closing balance 510.00 of statement 12" in (
        gap.statements[0].continuity_note
    )
    assert Statement.objects.get(statement_number="14").follows_previous is False


def test_a_partial_payment_and_an_overpayment(acme, invoices, baker):
    result = run(
        acme,
        statement(
            entry("21.00", structured_reference=OGM_1, counterparty_iban=BAKER_IBAN),
            entry("300.00", remittance="2026-0002", counterparty_iban=BAKER_IBAN),
        ),
    )
    assert [e.outcome for e in result.statements[0].entries] == ["matched", "matched"]
    still_open = open_amounts(administration=acme, as_of=ALL)
    assert still_open[invoices["F-1"].pk] == D("100.00")
    assert invoices["F-2"].pk not in still_open
    # 50.00 of the second payment stays on the baker's account.
    from debitum.ledger.selectors import unapplied_payments

    assert unapplied_payments(administration=acme, as_of=ALL)[baker.pk, "EUR"] == D("-50.00")


def test_one_payment_for_several_invoices(acme, invoices):
    result = run(acme, statement(entry("371.00", counterparty_iban=BAKER_IBAN)))
    assert outcome_of(result).outcome == "matched"
    assert sorted(outcome_of(result).invoices) == ["2026-0001", "2026-0002"]


def test_an_uncertain_entry_waits_and_is_confirmed_by_hand(acme, invoices, florist):
    result = run(acme, statement(entry("30.00", counterparty_name="BLOEMEN PEETERS")))
    assert outcome_of(result).outcome == "suggested"
    (waiting,) = reconciliation_queue(administration=acme)
    assert waiting.customer == florist
    assert waiting.invoices == [
        {"invoice_id": invoices["F-3"].pk, "number": "2026-0003", "amount": "30.00"}
    ]
    decision = entry_confirm(entry=waiting.entry)
    assert decision.outcome == "matched" and not decision.is_automatic
    assert open_amounts(administration=acme, as_of=ALL)[invoices["F-3"].pk] == D("50.00")
    assert queue_count(administration=acme) == 0
    assert AuditEvent.objects.filter(action="statement_entry.confirm").count() == 1


def test_a_split_by_hand_over_two_invoices_and_an_impossible_one(acme, invoices):
    run(acme, statement(entry("200.00", remittance="betaling", counterparty_name="X")))
    (waiting,) = reconciliation_queue(administration=acme)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="only 121.00 of invoice 2026-0001 is open"):
        entry_confirm(
            entry=waiting.entry, customer_number="C001", allocations=[("2026-0001", D("150"))]
        )
    assert Payment.objects.count() == 0
    entry_confirm(
        entry=waiting.entry,
        customer_number="C001",
        allocations=[("2026-0001", None), ("2026-0002", D("79.00"))],
    )
    still_open = open_amounts(administration=acme, as_of=ALL)
    assert invoices["F-1"].pk not in still_open
    assert still_open[invoices["F-2"].pk] == D("171.00")
    # The IBAN is learned: none was given, so nothing is; the entry is no longer waiting.
    assert queue_count(administration=acme) == 0
    with pytest.raises(ValidationError, match="matched already"):
        entry_confirm(entry=waiting.entry, customer_number="C001")


def test_an_iban_learned_from_a_sure_match_is_used_next_time(acme, invoices, florist):
    iban = "BE68539007547034"
    run(acme, statement(entry("40.00", remittance="2026-0003", counterparty_iban=iban)), name="1")
    assert CustomerBankAccount.objects.filter(customer=florist, iban=iban).count() == 0  # 80
    result = run(
        acme,
        statement(entry("80.00", remittance="fact 2026-0003", counterparty_iban=iban)),
        name="2",
    )
    assert outcome_of(result).outcome == "matched"
    assert CustomerBankAccount.objects.filter(customer=florist, iban=iban).exists()
    later = run(
        acme,
        statement(entry("55.00", counterparty_iban=iban), opening_date=MAR_3, number="13"),
        name="3",
    )
    # Nothing is open any more: the customer is known by the learned IBAN, money on account.
    assert outcome_of(later).customer_number == "C002"


def test_money_out_is_set_aside_and_can_be_ignored_by_hand(acme, invoices):
    result = run(acme, statement(entry("-1500.00", counterparty_name="Verhuurder")))
    assert outcome_of(result).outcome == "ignored"
    run(acme, statement(entry("12.00", counterparty_name="?"), number="13"), name="13")
    (waiting,) = reconciliation_queue(administration=acme)
    entry_ignore(entry=waiting.entry, note="interest from the bank")
    assert queue_count(administration=acme) == 0
    assert EntryDecision.objects.filter(outcome="ignored", is_automatic=False).count() == 1


def test_a_returned_transfer_reopens_its_invoice(acme, invoices):
    run(acme, statement(entry("121.00", structured_reference=OGM_1, end_to_end_id="E2E-7")))
    returned = run(
        acme,
        statement(
            entry(
                "-121.00",
                end_to_end_id="E2E-7",
                return_reason="AC04",
                is_reversal=True,
                booking_date=MAR_3,
            ),
            number="13",
            opening_date=MAR_3,
        ),
        name="ret.xml",
    )
    assert outcome_of(returned).outcome == "returned"
    assert outcome_of(returned).invoices == ["2026-0001"]
    # Paid from 2 March until the return on 3 March, open again from then on.
    assert invoices["F-1"].pk not in open_amounts(administration=acme, as_of=MAR_2)
    assert open_amounts(administration=acme, as_of=MAR_3)[invoices["F-1"].pk] == D("121.00")
    reversal = Allocation.objects.get(reverses__isnull=False)
    assert reversal.amount == D("-121.00") and reversal.allocation_date == MAR_3


def test_a_payment_keeps_a_promise(acme, invoices, baker):
    promise_register(
        customer=baker, amount=D("121.00"), promised_date=MAR_3, promise_date=dt.date(2026, 2, 20)
    )
    run(acme, statement(entry("121.00", structured_reference=OGM_1)))
    assert Promise.objects.get().status == "kept"


def test_another_administrations_invoices_are_never_matched(acme, invoices):
    other = administration_factory("OTHER")
    result = run(other, statement(entry("121.00", structured_reference=OGM_1)))
    assert outcome_of(result).outcome == "unmatched"
    assert Payment.objects.filter(administration=acme).count() == 0
    assert reconciliation_queue(administration=acme) == []


# --- real files and direct debits ------------------------------------------------------------

SHARED = Path(__file__).resolve().parents[5] / "shared" / "data"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the shared sample files are not at {SHARED}"
)


def _direct_debit(invoice, end_to_end_id, status="submitted"):
    customer = invoice.customer
    mandate = Mandate.objects.create(
        administration_id=customer.administration_id,
        customer=customer,
        mandate_id=f"M-{customer.number}",
        signature_date=JAN_10,
        iban=BAKER_IBAN,
    )
    batch = DirectDebitBatch.objects.create(
        administration_id=customer.administration_id,
        message_id=f"MSG-{end_to_end_id}",
        collection_date=MAR_2,
        schema="pain.008.001.02",
        total=invoice.amount,
        item_count=1,
        file_path="/dev/null",
    )
    return DirectDebitItem.objects.create(
        administration_id=customer.administration_id,
        batch=batch,
        mandate=mandate,
        invoice=invoice,
        amount=invoice.amount,
        sequence_type="FRST",
        end_to_end_id=end_to_end_id,
        status=status,
    )


@needs_shared
def test_the_real_camt053_sample(acme, baker):
    # test-camt053 (OCA/bank-statement-import, see shared/data/README.md): one credit of
    # 1,405.31 from "3rd party Media" naming 4210773, an insurance debit, and two direct
    # debits that came back with reason AC06 (end-to-end ids TESTBANK/NL/20141229/01206408
    # and ...07, 564.05 and 100.00).
    media = customer_factory(acme, "C009", name="3rd party Media")
    invoice_factory(media, "4210773", "1405.31", invoice_date=dt.date(2013, 12, 1))
    ours = invoice_factory(baker, "2013-0408", "564.05", invoice_date=dt.date(2013, 12, 1))
    item = _direct_debit(ours, "TESTBANK/NL/20141229/01206408")
    data = (SHARED / "test-camt053").read_bytes()
    result = statement_import(administration=acme, data=data, file_name="test-camt053")
    (statement,) = result.statements
    assert (statement.opening_balance, statement.closing_balance) == (
        D("15568.27"),
        D("15121.12"),
    )
    outcomes = {(e.amount, e.outcome, e.reason) for e in statement.entries}
    assert outcomes == {
        (D("-754.25"), "ignored", "debit"),
        (D("-564.05"), "returned", "direct_debit_return"),
        (D("-100.00"), "unmatched", "unknown_return"),
        (D("1405.31"), "matched", "invoice_number"),
    }
    item.refresh_from_db()
    assert (item.status, item.return_reason) == ("returned", "AC06")
    assert not Mandate.objects.get(pk=item.mandate_id).is_active  # AC06: account blocked
    assert Task.objects.filter(key=f"debit-returned-{item.pk}").exists()
    again = statement_import(administration=acme, data=data, file_name="test-camt053")
    assert again.already_imported and Payment.objects.count() == 1


@needs_shared
def test_the_real_ing_mt940_sample(acme, baker):
    # test-ing.940: a credit of 32.00 from J.Janssen with the structured reference
    # 9001123412341234 (/REMI/STRD/CUR/), booked 2014-02-20.
    invoice = invoice_factory(
        baker, "2014-0032", "32.00", invoice_date=dt.date(2014, 1, 20), reference="9001123412341234"
    )
    data = (SHARED / "test-ing.940").read_bytes()
    result = statement_import(administration=acme, data=data, file_name="test-ing.940")
    (paid,) = [e for e in result.statements[0].entries if e.invoices]
    assert (paid.amount, paid.outcome, paid.reason, paid.invoices) == (
        D("32.00"),
        "matched",
        "reference",
        ["2014-0032"],
    )
    assert invoice.pk not in open_amounts(administration=acme, as_of=ALL)


def test_a_direct_debit_collected_then_returned(acme, invoices):
    invoice = invoices["F-2"]
    item = _direct_debit(invoice, "DD-F2")
    collected = run(acme, statement(entry("250.00", end_to_end_id="DD-F2")))
    assert (outcome_of(collected).outcome, outcome_of(collected).reason) == (
        "matched",
        "direct_debit",
    )
    item.refresh_from_db()
    assert item.status == "collected"
    assert Mandate.objects.get(pk=item.mandate_id).sequence_type == "RCUR"
    assert invoice.pk not in open_amounts(administration=acme, as_of=ALL)
    returned = run(
        acme,
        statement(
            entry("-250.00", end_to_end_id="DD-F2", return_reason="MD06", booking_date=MAR_3),
            number="13",
            opening_date=MAR_3,
        ),
        name="return.xml",
    )
    assert outcome_of(returned).outcome == "returned"
    assert open_amounts(administration=acme, as_of=MAR_3)[invoice.pk] == D("250.00")
    item.refresh_from_db()
    assert (item.status, item.return_reason) == ("returned", "MD06")
    assert Mandate.objects.get(pk=item.mandate_id).is_active  # MD06: a refund, mandate stays
