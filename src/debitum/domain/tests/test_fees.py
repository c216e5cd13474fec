"""Collection costs against the published figures; each expected value names its source."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from debitum.domain.fees import (
    BE_CONSUMER_MAXIMUM,
    NL_MAXIMUM,
    NL_MINIMUM,
    FeeError,
    be_business_collection_costs,
    be_consumer_collection_costs,
    collection_costs,
    nl_collection_costs,
)

# Amounts with cents, up to two million: past the point where the Dutch maximum bites.
principals = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("2000000"), places=2, allow_nan=False
)


@pytest.mark.parametrize(
    ("principal", "expected", "source"),
    [
        # Issue 3 figures, checked against art. 2 lid 1 Besluit: 15% of 1,500.00.
        ("1500.00", "225.00", "issue 3; art. 2 lid 1 onder a Besluit"),
        # 15% of 2,500 (375.00) + 10% of 500 (50.00).
        ("3000.00", "425.00", "issue 3; art. 2 lid 1 onder a-b Besluit"),
        # 375 + 250 + 250 + 1,900 + 0.5% of 600,000 (3,000) = 5,775.00.
        ("800000.00", "5775.00", "issue 3; art. 2 lid 1 onder a-e Besluit"),
        # 375 + 250 + 250 + 1,900 + 5,000 = 7,775.00, held at the maximum of 6,775.00.
        ("1200000.00", "6775.00", "issue 3; art. 2 lid 1 onder e Besluit (maximum)"),
        # 15% of 100.00 is 15.00, below the minimum of 40.00.
        ("100.00", "40.00", "art. 2 lid 2 Besluit (minimum 40)"),
        # 15% of 266.67 = 40.0005, rounded half up to 40.00.
        ("266.67", "40.00", "art. 2 lid 1-2 Besluit"),
        # The top of each slice: 375, 625, 875, 2,775.
        ("2500.00", "375.00", "art. 2 lid 1 onder a Besluit"),
        ("5000.00", "625.00", "art. 2 lid 1 onder a-b Besluit"),
        ("10000.00", "875.00", "art. 2 lid 1 onder a-c Besluit"),
        ("200000.00", "2775.00", "art. 2 lid 1 onder a-d Besluit"),
        # 2,775 + 0.5% x 800,000 = 6,775: the maximum is reached at exactly 1,000,000.
        ("1000000.00", "6775.00", "art. 2 lid 1 onder e Besluit"),
    ],
)
def test_dutch_scale_matches_the_besluit(principal, expected, source):
    costs = nl_collection_costs(Decimal(principal), is_consumer=True)
    assert costs.fee == Decimal(expected), source


def test_dutch_breakdown_shows_each_slice():
    costs = nl_collection_costs(Decimal("12000.00"), is_consumer=False)
    assert [(line.rate, line.base, line.amount) for line in costs.slices] == [
        (Decimal("0.15"), Decimal("2500"), Decimal("375.00")),
        (Decimal("0.10"), Decimal("2500"), Decimal("250.00")),
        (Decimal("0.05"), Decimal("5000"), Decimal("250.00")),
        (Decimal("0.01"), Decimal("2000.00"), Decimal("20.0000")),
    ]
    assert costs.subtotal == costs.costs == costs.fee == Decimal("895.00")
    assert not costs.is_minimum_applied and not costs.is_maximum_applied
    assert "6:96 lid 4" in costs.article


def test_dutch_maximum_and_minimum_are_reported():
    high = nl_collection_costs(Decimal("1200000.00"), is_consumer=False)
    assert (high.subtotal, high.costs, high.is_maximum_applied) == (
        Decimal("7775.00"),
        Decimal("6775.00"),
        True,
    )
    low = nl_collection_costs(Decimal("10.00"), is_consumer=False)
    assert (low.subtotal, low.costs, low.is_minimum_applied) == (
        Decimal("1.50"),
        Decimal("40.00"),
        True,
    )


def test_vat_rounds_half_up():
    # 15% of 323.30 = 48.495 -> 48.50; 21% of 48.50 = 10.185 -> 10.19 (not banker's 10.18).
    costs = nl_collection_costs(Decimal("323.30"), is_consumer=True, vat=True)
    assert (costs.costs, costs.vat, costs.fee) == (
        Decimal("48.50"),
        Decimal("10.19"),
        Decimal("58.69"),
    )


def test_dutch_vat_only_when_asked():
    # Art. 2 lid 3 Besluit: 425.00 + 21% = 514.25.
    with_vat = nl_collection_costs(Decimal("3000.00"), is_consumer=True, vat=True)
    assert (with_vat.costs, with_vat.vat, with_vat.fee) == (
        Decimal("425.00"),
        Decimal("89.25"),
        Decimal("514.25"),
    )
    # VAT comes on top of the maximum: 6,775.00 + 1,422.75.
    top = nl_collection_costs(Decimal("5000000.00"), is_consumer=True, vat=True)
    assert top.fee == Decimal("8197.75")
    assert nl_collection_costs(Decimal("3000.00"), is_consumer=True).vat == Decimal("0.00")


def test_dutch_claims_in_one_letter_are_added_up():
    # Art. 6:96 lid 7 BW: 1,500 + 1,500 = 3,000 -> 425.00, not 2 x 225.00.
    costs = nl_collection_costs([Decimal("1500.00"), Decimal("1500.00")], is_consumer=True)
    assert (costs.principal, costs.fee) == (Decimal("3000.00"), Decimal("425.00"))
    assert any("lid 7" in condition for condition in costs.conditions)


def test_dutch_consumer_and_business_conditions():
    consumer = nl_collection_costs(Decimal("500.00"), is_consumer=True)
    business = nl_collection_costs(Decimal("500.00"), is_consumer=False)
    assert consumer.fee == business.fee == Decimal("75.00")
    assert "fourteen-day letter" in consumer.conditions[0]
    assert "lid 6" in consumer.conditions[0]
    assert "without a reminder" in business.conditions[0]


def test_zero_principal_costs_nothing():
    assert nl_collection_costs(Decimal("0"), is_consumer=True).fee == Decimal("0.00")
    assert be_consumer_collection_costs(Decimal("0")).fee == Decimal("0.00")


@pytest.mark.parametrize(
    "bad",
    [1500.0, 1500, "1500", Decimal("-0.01"), Decimal("NaN"), Decimal("Infinity")],
)
def test_floats_negatives_and_non_decimals_are_refused(bad):
    with pytest.raises(FeeError):
        nl_collection_costs(bad, is_consumer=True)
    with pytest.raises(FeeError):
        be_consumer_collection_costs(bad)
    with pytest.raises(FeeError):
        be_business_collection_costs(bad)


def test_float_error_says_why():
    with pytest.raises(FeeError, match="float"):
        nl_collection_costs(0.1, is_consumer=False)
    with pytest.raises(FeeError, match="negative"):
        nl_collection_costs([Decimal("10"), Decimal("-1")], is_consumer=False)


def test_belgian_business_flat_fee_per_invoice():
    # Art. 6 law of 2 August 2002: 40.00 per invoice, whatever the amount.
    assert be_business_collection_costs(Decimal("10.00")).fee == Decimal("40.00")
    assert be_business_collection_costs(Decimal("1000000.00")).fee == Decimal("40.00")
    three = be_business_collection_costs(Decimal("900.00"), invoices=3)
    assert three.fee == Decimal("120.00")
    assert three.vat == Decimal("0.00")
    with pytest.raises(FeeError):
        be_business_collection_costs(Decimal("900.00"), invoices=-1)


@pytest.mark.parametrize(
    ("principal", "expected", "source"),
    [
        ("0.01", "20.00", "Book XIX WER: up to 150.00 at most 20.00"),
        ("150.00", "20.00", "Book XIX WER: up to 150.00 at most 20.00"),
        # 30.00 + 10% x 0.01 = 30.001 -> 30.00
        ("150.01", "30.00", "Book XIX WER: 150.01-500.00: 30.00 + 10% above 150"),
        # 30.00 + 10% x 150 = 45.00
        ("300.00", "45.00", "Book XIX WER: 150.01-500.00: 30.00 + 10% above 150"),
        # 30.00 + 10% x 350 = 65.00
        ("500.00", "65.00", "Book XIX WER: 150.01-500.00: 30.00 + 10% above 150"),
        # 65.00 + 5% x 500 = 90.00
        ("1000.00", "90.00", "Book XIX WER: above 500: 65.00 + 5% above 500"),
        # 65.00 + 5% x 38,700 = 2,000.00: where the maximum is reached.
        ("39200.00", "2000.00", "Book XIX WER: maximum 2,000.00"),
        ("100000.00", "2000.00", "Book XIX WER: maximum 2,000.00"),
    ],
)
def test_belgian_consumer_caps(principal, expected, source):
    assert be_consumer_collection_costs(Decimal(principal)).fee == Decimal(expected), source


def test_belgian_consumer_reminders_and_postage_come_on_top():
    # Art. XIX.2 WER: at most 7.50 plus postage per chargeable reminder.
    costs = be_consumer_collection_costs(
        Decimal("1000.00"), paid_reminders=2, postage=Decimal("1.35")
    )
    assert costs.costs == Decimal("90.00")
    assert [line.amount for line in costs.extras] == [Decimal("15.00"), Decimal("2.70")]
    assert costs.fee == Decimal("107.70")
    assert any("free" in condition for condition in costs.conditions)


def test_regimes_refuse_options_they_do_not_know():
    with pytest.raises(FeeError, match="VAT"):
        collection_costs("be-consumer", Decimal("100"), vat=True)
    with pytest.raises(FeeError):
        collection_costs("nl", Decimal("100"), paid_reminders=1)
    with pytest.raises(FeeError):
        collection_costs("be-consumer", Decimal("100"), invoices=2)
    with pytest.raises(FeeError, match="unknown regime"):
        collection_costs("fr", Decimal("100"))
    assert collection_costs("be-business", [Decimal("100")], invoices=2).fee == Decimal("80.00")


@given(principals, principals)
def test_dutch_fee_is_monotone_in_the_principal(first, second):
    low, high = sorted((first, second))
    assert (
        nl_collection_costs(low, is_consumer=True).fee
        <= nl_collection_costs(high, is_consumer=True).fee
    )


@given(principals)
def test_dutch_fee_stays_within_minimum_and_maximum(principal):
    costs = nl_collection_costs(principal, is_consumer=False)
    assert NL_MINIMUM <= costs.fee <= NL_MAXIMUM
    assert costs.fee == costs.fee.quantize(Decimal("0.01"))
    # The unbounded scale never exceeds 15% of the principal (half a cent for rounding).
    assert costs.subtotal <= principal * Decimal("0.15") + Decimal("0.005")


@given(principals)
def test_dutch_vat_adds_exactly_twenty_one_percent(principal):
    without = nl_collection_costs(principal, is_consumer=True)
    with_vat = nl_collection_costs(principal, is_consumer=True, vat=True)
    assert with_vat.costs == without.fee
    # Half up, as money.quantize rounds: 48.50 x 21% = 10.185 -> 10.19.
    exact = without.fee * Decimal("0.21")
    assert with_vat.vat == exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert with_vat.fee == without.fee + with_vat.vat


@given(st.lists(principals, min_size=1, max_size=5))
def test_dutch_letter_costs_the_same_as_one_claim_of_the_sum(claims):
    together = nl_collection_costs(claims, is_consumer=True)
    assert together.fee == nl_collection_costs(sum(claims), is_consumer=True).fee


@given(principals, principals)
def test_belgian_consumer_fee_is_monotone_and_capped(first, second):
    low, high = sorted((first, second))
    low_fee = be_consumer_collection_costs(low).fee
    high_fee = be_consumer_collection_costs(high).fee
    assert Decimal("20.00") <= low_fee <= high_fee <= BE_CONSUMER_MAXIMUM
