"""Worked examples of the matcher: which invoices an entry pays, how sure, and why."""

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from debitum.domain.matching import (
    DEFAULT_THRESHOLD,
    EntryFacts,
    MatchIndex,
    OpenInvoice,
    match_entry,
    name_key,
    number_key,
    number_lookup_key,
    number_lookup_keys,
    one_edit_variants,
    reference_key,
    reference_keys,
    references_in,
    tokens_in,
)

D = Decimal
JAN = dt.date(2026, 1, 31)
FEB = dt.date(2026, 2, 28)
MAR = dt.date(2026, 3, 31)


def invoice(pk, number, customer, amount, due=JAN, reference="", currency="EUR"):
    return OpenInvoice(pk, number, customer, currency, D(amount), due, reference)


def index(*invoices, ibans=(), names=()):
    return MatchIndex.build(list(invoices), list(ibans), list(names))


def facts(amount, **kwargs):
    return EntryFacts(amount=D(amount), currency=kwargs.pop("currency", "EUR"), **kwargs)


# Belgian OGM +++090/9337/55493+++ (Febelfin example: 0909337554 mod 97 = 93) and a Dutch
# betalingskenmerk made by domain.references.generate("nl", 1).
OGM = "+++090/9337/55493+++"
NL_REF = "9000 0000 0000 0001"


def test_keys_fold_separators_case_and_leading_zeros():
    assert number_key("F-2026/00123") == "F2026123"
    assert number_key("f2026 123") == "F2026123"
    assert number_key("INV-000123") == "INV123"
    assert name_key("Bakkerij De Vries B.V.") == "BAKKERIJ VRIES"
    assert references_in("betaling +++090/9337/55493+++ dank") == ["090933755493"]
    assert references_in("kenmerk 9000 0000 0000 0001") == ["9000000000000001"]
    assert "F2026123" in tokens_in("factuur F 2026 123, bedankt")


def test_one_edit_variants_cover_substitution_deletion_insertion_and_swap():
    variants = one_edit_variants("123", "0123456789")
    assert {"124", "12", "1234", "213"} <= variants
    assert "123" not in variants


def test_a_structured_reference_with_the_exact_amount_is_certain():
    idx = index(invoice(1, "F-1", 10, "121.00", reference=OGM))
    match = match_entry(idx, facts("121.00", structured_reference="090933755493"))
    assert match.best.reason == "reference"
    assert match.best.confidence == 100
    assert match.best.allocations == ((1, D("121.00")),)


def test_a_reference_typed_in_the_free_text_counts_too():
    idx = index(invoice(1, "F-1", 10, "50.00", reference=NL_REF))
    match = match_entry(idx, facts("50.00", remittance="betalingskenmerk 9000000000000001"))
    assert (match.best.reason, match.best.confidence) == ("reference", 100)


def test_a_partial_payment_on_a_reference_is_applied_and_the_rest_stays_open():
    idx = index(invoice(1, "F-1", 10, "121.00", reference=OGM), ibans=[(10, "BE68539007547034")])
    match = match_entry(
        idx, facts("21.00", structured_reference=OGM, counterparty_iban="BE68539007547034")
    )
    assert match.best.allocations == ((1, D("21.00")),)
    assert match.best.confidence == 95
    assert match.is_automatic(DEFAULT_THRESHOLD)


def test_a_reference_with_another_amount_from_an_unknown_account_waits():
    # A typo can make a valid reference of another invoice: the amount and the account
    # would then both be off, so a person looks.
    idx = index(invoice(1, "F-1", 10, "121.00", reference=OGM))
    match = match_entry(idx, facts("21.00", structured_reference=OGM, counterparty_iban="X"))
    assert (match.best.confidence, match.is_automatic(DEFAULT_THRESHOLD)) == (80, False)


def test_an_overpayment_pays_the_invoice_and_leaves_the_rest_on_account():
    idx = index(invoice(1, "F-1", 10, "100.00", reference=OGM))
    match = match_entry(idx, facts("150.00", structured_reference=OGM))
    assert match.best.allocations == ((1, D("100.00")),)  # 50.00 stays unapplied


def test_one_reference_for_several_invoices_that_add_up_exactly():
    idx = index(
        invoice(1, "F-1", 10, "100.00", due=JAN, reference=OGM),
        invoice(2, "F-2", 10, "40.00", due=FEB),
        invoice(3, "F-3", 10, "60.00", due=MAR),
    )
    match = match_entry(idx, facts("160.00", structured_reference=OGM))
    assert match.best.confidence == 98
    assert sorted(match.best.allocations) == [(1, D("100.00")), (3, D("60.00"))]


def test_a_reference_one_digit_off_counts_only_with_the_exact_amount():
    idx = index(invoice(1, "F-1", 10, "121.00", reference=OGM))
    typo = "090933755483"  # one digit off: the check digits fail, no invoice has it
    exact = match_entry(idx, facts("121.00", structured_reference=typo))
    assert (exact.best.reason, exact.best.confidence) == ("reference_typo", 90)
    assert match_entry(idx, facts("120.00", structured_reference=typo)).best is None


def test_invoice_numbers_in_the_free_text_with_the_exact_sum():
    idx = index(
        invoice(1, "2026-00017", 10, "100.00"),
        invoice(2, "2026-00018", 10, "50.00"),
        invoice(3, "2026-00019", 10, "70.00"),
    )
    match = match_entry(idx, facts("150.00", remittance="Facturen 2026-17 en 2026-0018"))
    assert match.best.reason == "invoice_number"
    assert match.best.confidence == 95
    assert match.best.allocations == ((1, D("100.00")), (2, D("50.00")))


def test_an_invoice_number_with_another_amount_from_an_unknown_account_waits():
    idx = index(invoice(1, "2026-00017", 10, "100.00"))
    match = match_entry(idx, facts("60.00", remittance="factuur 2026-00017"))
    assert match.best.confidence == 80
    assert not match.is_automatic(DEFAULT_THRESHOLD)
    known = index(invoice(1, "2026-00017", 10, "100.00"), ibans=[(10, "NL91ABNA0417164300")])
    partial = match_entry(
        known,
        facts("60.00", remittance="factuur 2026-00017", counterparty_iban="NL91ABNA0417164300"),
    )
    assert partial.best.confidence == 95
    assert partial.best.allocations == ((1, D("60.00")),)


def test_an_invoice_number_with_a_typo_and_the_exact_amount():
    idx = index(invoice(1, "F2026-0456", 10, "99.95"), invoice(2, "F2026-0457", 11, "12.00"))
    match = match_entry(idx, facts("99.95", remittance="fact F2026-0465"))  # 56 swapped
    assert (match.best.reason, match.best.allocations) == (
        "invoice_number_typo",
        ((1, D("99.95")),),
    )
    assert match.best.confidence == 88


def test_a_known_iban_and_an_amount_that_is_exactly_one_invoice():
    idx = index(
        invoice(1, "F-1", 10, "100.00"),
        invoice(2, "F-2", 10, "250.00"),
        ibans=[(10, "BE68539007547034")],
    )
    match = match_entry(idx, facts("250.00", counterparty_iban="BE68539007547034"))
    assert (match.best.reason, match.best.confidence) == ("iban_amount", 90)
    assert match.best.allocations == ((2, D("250.00")),)


def test_a_known_iban_and_an_amount_that_is_several_invoices():
    idx = index(
        invoice(1, "F-1", 10, "100.00", due=JAN),
        invoice(2, "F-2", 10, "250.00", due=FEB),
        invoice(3, "F-3", 10, "75.00", due=MAR),
        ibans=[(10, "BE68539007547034")],
    )
    match = match_entry(idx, facts("175.00", counterparty_iban="BE68539007547034"))
    assert match.best.reason == "iban_invoices"
    assert sorted(match.best.allocations) == [(1, D("100.00")), (3, D("75.00"))]


def test_a_known_iban_without_a_fitting_amount_is_a_suggestion_oldest_first():
    idx = index(
        invoice(1, "F-1", 10, "100.00", due=JAN),
        invoice(2, "F-2", 10, "250.00", due=FEB),
        ibans=[(10, "BE68539007547034")],
    )
    match = match_entry(idx, facts("130.00", counterparty_iban="BE68539007547034"))
    assert match.best.reason == "iban"
    assert match.best.confidence == 65
    assert match.best.allocations == ((1, D("100.00")), (2, D("30.00")))


def test_equal_invoices_of_one_customer_are_paid_oldest_first_and_otherwise_not_guessed():
    idx = index(
        invoice(1, "F-1", 10, "50.00", due=JAN),
        invoice(2, "F-2", 10, "80.00", due=FEB),
        invoice(3, "F-3", 10, "80.00", due=MAR),
        ibans=[(10, "BE68539007547034")],
    )
    oldest_two = match_entry(idx, facts("130.00", counterparty_iban="BE68539007547034"))
    assert oldest_two.best.allocations == ((1, D("50.00")), (2, D("80.00")))
    assert oldest_two.is_automatic(DEFAULT_THRESHOLD)
    # 80.00 is F-2 or F-3, and neither is the oldest: a person chooses.
    either = match_entry(idx, facts("80.00", counterparty_iban="BE68539007547034"))
    assert not either.is_automatic(DEFAULT_THRESHOLD)


def test_a_name_alone_is_never_applied():
    idx = index(invoice(1, "F-1", 10, "100.00"), names=[(10, "Bakkerij De Vries B.V.")])
    match = match_entry(idx, facts("100.00", counterparty_name="BAKKERIJ DE VRIES BV"))
    assert match.best.reason == "name_amount"
    assert not match.is_automatic(DEFAULT_THRESHOLD)


def test_an_iban_shared_by_two_customers_is_not_applied():
    idx = index(
        invoice(1, "F-1", 10, "100.00"),
        invoice(2, "F-2", 11, "100.00"),
        ibans=[(10, "NL91ABNA0417164300"), (11, "NL91ABNA0417164300")],
    )
    match = match_entry(idx, facts("100.00", counterparty_iban="NL91ABNA0417164300"))
    assert match.best.confidence <= 70
    assert len(match.suggestions) == 1


def test_other_currencies_and_money_out_are_not_matched():
    idx = index(invoice(1, "F-1", 10, "100.00", reference=OGM))
    assert match_entry(idx, facts("100.00", currency="USD", structured_reference=OGM)).best is None
    assert match_entry(idx, facts("-100.00", structured_reference=OGM)).best is None


def test_two_entries_for_one_invoice_see_what_the_first_left_open():
    idx = index(invoice(1, "F-1", 10, "100.00", reference=OGM))
    first = match_entry(idx, facts("100.00", structured_reference=OGM))
    idx.apply(first.best.allocations)
    assert match_entry(idx, facts("100.00", structured_reference=OGM)).best is None


amounts = st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2)


@given(
    opens=st.lists(amounts, min_size=1, max_size=8),
    paid=amounts,
    with_iban=st.booleans(),
)
def test_a_match_never_applies_more_than_is_open_nor_more_than_was_paid(opens, paid, with_iban):
    invoices = [invoice(i + 1, f"F-{i + 1}", 10, str(a)) for i, a in enumerate(opens)]
    idx = index(*invoices, ibans=[(10, "NL91ABNA0417164300")] if with_iban else [])
    iban = "NL91ABNA0417164300" if with_iban else ""
    match = match_entry(idx, facts(str(paid), counterparty_iban=iban, remittance="F-1"))
    if match.best is None:
        return
    applied = sum((amount for _, amount in match.best.allocations), D("0"))
    assert applied <= paid
    for invoice_id, amount in match.best.allocations:
        assert 0 < amount <= idx.open_of(invoice_id)
    assert len({i for i, _ in match.best.allocations}) == len(match.best.allocations)


@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=30), max_size=20))
def test_the_keys_of_a_column_are_the_keys_of_each_text(texts):
    # Any text: letters of every script, digits, 'ß' (two letters upper-cased), NUL itself.
    assert number_lookup_keys(texts) == [number_lookup_key(text) for text in texts]
    assert reference_keys(texts) == [reference_key(text) for text in texts]


def test_the_keys_of_a_column_of_invoice_numbers_and_references():
    assert number_lookup_keys(["F-2026/00123", "f2026 123", "", "ß\x00-0"]) == [
        "F226123",
        "F226123",
        "",
        "SS",
    ]
    assert reference_keys(["+++010/8068/17183+++", "", "rf18 5390 0754 7034"]) == [
        "010806817183",
        "",
        "RF18539007547034",
    ]
