from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from debitum.domain.money import (
    CurrencyMismatch,
    Money,
    MoneyError,
    from_minor_units,
    parse_amount,
    quantize,
    to_minor_units,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.56", "1234.56"),
        ("1234,56", "1234.56"),  # Dutch decimal comma
        ("1.234,56", "1234.56"),  # Dutch thousands separator
        ("1,234.56", "1234.56"),  # English thousands separator
        ("1.234.567", "1234567.00"),  # Dutch thousands without decimals
        ("-12,5", "-12.50"),
        ("12,50-", "-12.50"),  # trailing minus, as some ERPs export
        ("(99.95)", "-99.95"),  # accounting negative
        ("€ 1.000,00", "1000.00"),
        ("\u00a01 000,00", "1000.00"),  # non-breaking space and space as grouping
        ("7", "7.00"),
        ("0.10", "0.10"),
    ],
)
def test_parse_amount_reads_what_people_type(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text", ["", "abc", "12,34,56", "1.2.3", "12.345", "1e5", "NaN", "Infinity", "--5", "1.23.4,5"]
)
def test_parse_amount_refuses_what_is_not_an_amount(text):
    # "12.345" has three decimals: a Dutch user may mean twelve thousand, an English one twelve:
    # refusing it is the only safe reading.
    with pytest.raises(MoneyError):
        parse_amount(text)


def test_quantize_rounds_half_up_to_the_minor_unit():
    assert quantize(Decimal("0.005")) == Decimal("0.01")
    assert quantize(Decimal("-0.005")) == Decimal("-0.01")
    assert quantize(Decimal("2.675")) == Decimal("2.68")  # a float would give 2.67
    assert quantize(Decimal("100.5"), "JPY") == Decimal("101")


def test_money_refuses_floats_and_mixing_currencies():
    with pytest.raises(MoneyError):
        Money(0.1, "EUR")  # noqa: the point of the test
    with pytest.raises(CurrencyMismatch):
        Money(Decimal("1"), "EUR") + Money(Decimal("1"), "USD")
    with pytest.raises(MoneyError):
        Money(Decimal("1"), "XXX")
    assert Money(Decimal("0.10"), "eur") + Money(Decimal("0.20"), "EUR") == Money(
        Decimal("0.30"), "EUR"
    )


def test_minor_units_refuse_fractions_of_a_cent():
    assert to_minor_units(Decimal("12.34")) == 1234
    assert from_minor_units(-1234) == Decimal("-12.34")
    with pytest.raises(MoneyError):
        to_minor_units(Decimal("12.345"))


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_cents_round_trip(cents):
    assert to_minor_units(from_minor_units(cents)) == cents


@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2))
def test_parse_amount_reads_its_dutch_and_english_spellings_alike(amount):
    english = f"{amount:,.2f}"
    dutch = english.replace(",", "_").replace(".", ",").replace("_", ".")
    assert parse_amount(english) == amount
    assert parse_amount(dutch) == amount
