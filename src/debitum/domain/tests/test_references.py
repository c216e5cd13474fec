"""Payment references: published examples, refusals with their reasons, and properties."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import iso11649

from debitum.domain.references import (
    NL_BASE_MAX,
    OGM_BASE_MAX,
    Reference,
    ReferenceError,
    ReferenceKind,
    detect,
    generate,
    nl_check_digit,
    validate,
)

OGM, NL, RF = ReferenceKind.OGM, ReferenceKind.NL, ReferenceKind.RF


@pytest.mark.parametrize(
    ("text", "expected", "source"),
    [
        # python-stdnum, stdnum/be/ogm_vcs.py docstring (after Febelfin's banking standards).
        ("+++010/8068/17183+++", Reference(OGM, "010806817183", "+++010/8068/17183+++"), "stdnum"),
        # The same written with asterisks, as many Belgian invoices do.
        ("***010/8068/17183***", Reference(OGM, "010806817183", "+++010/8068/17183+++"), "***"),
        # XMLdation, ABBL structured reference example: <Ref>+++312401398067+++</Ref>.
        ("+++312401398067+++", Reference(OGM, "312401398067", "+++312/4013/98067+++"), "XMLdation"),
        # Bare 12 digits, as a CODA statement carries them.
        ("312401398067", Reference(OGM, "312401398067", "+++312/4013/98067+++"), "bank"),
        # Spaces are ignored.
        (" +++ 010/8068/17183 +++ ", Reference(OGM, "010806817183", "+++010/8068/17183+++"), "-"),
        # Betaalvereniging Nederland, "Specificaties betalingskenmerk": (5)000 0567 8901 2345.
        ("5000 0567 8901 2345", Reference(NL, "5000056789012345", "5000 0567 8901 2345"), "BVN"),
        # Same source: 12 2345 3462 2567, check digit 1, length code 2 (twelve digits follow).
        ("12 2345 3462 2567", Reference(NL, "12234534622567", "12 2345 3462 2567"), "BVN"),
        # Same source: seven digits carry no check information.
        ("1234567", Reference(NL, "1234567", "123 4567"), "BVN"),
        # ISO 11649 example (stdnum/iso11649.py docstring, Wikipedia "Creditor Reference").
        ("RF18 5390 0754 7034", Reference(RF, "RF18539007547034", "RF18 5390 0754 7034"), "ISO"),
        ("rf18539007547034", Reference(RF, "RF18539007547034", "RF18 5390 0754 7034"), "ISO"),
        # stdnum's example of a reference with a letter.
        ("RF18 5390 0754 70Y", Reference(RF, "RF185390075470Y", "RF18 5390 0754 70Y"), "stdnum"),
    ],
)
def test_published_examples_are_valid(text, expected, source):
    assert validate(text) == expected
    assert detect(text) is expected.kind


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # Check digits
        ("+++010/8068/17180+++", "the check digits are 80, 0108068171 mod 97 gives 83"),
        ("010/8068/17184", "the check digits are 84, 0108068171 mod 97 gives 83"),
        ("4000 0567 8901 2345", "the check digit (first digit) is 4, the modulus 11 check gives 5"),
        ("22 2345 3462 2567", "the check digit (first digit) is 2, the modulus 11 check gives 1"),
        ("RF17 5390 0754 7034", "the check digits are 17, ISO 7064 mod 97-10 gives 18"),
        # Broken frames
        ("+++123/4567/89012++", "the frame must be '+++' or '***' on both sides"),
        ("++123/4567/89012++", "the frame must be '+++' or '***' on both sides"),
        ("123/4567/89012+++", "the frame must be '+++' or '***' on both sides"),
        ("+++010/8068/17183***", "the frame opens with '+++' but closes with '***'"),
        ("+++01/08068/17183+++", "between the frame there must be 12 digits, as ddd/dddd/ddddd"),
        ("+++010/8068/1718+++", "between the frame there must be 12 digits, as ddd/dddd/ddddd"),
        ("0108/068/17183", "the digits must be grouped 3/4/5"),
        # Lengths
        ("12345678", "it has 8 digits, not 7, 9 to 14, or 16"),
        ("123456789012345", "it has 15 digits, not 7, 9 to 14, or 16"),
        ("12345678901234567", "it has 17 digits, not 7, 9 to 14, or 16"),
        ("13 2345 3462 2567", "the length code (second digit) is 3, but 12 digits follow it"),
        ("RF18", "RF must be followed by two check digits"),
        ("RF18 1234 5678 9012 3456 7890 12", "22 characters after the check digits, at most 21"),
        # Illegal characters
        ("RF18 5390-0754-7034", "only letters A-Z and digits are allowed"),
        ("010/8068/1718A", "only digits and '/' may stand"),
        ("INV-2024-001", "is not a payment reference"),
    ],
)
def test_invalid_references_are_refused_with_the_reason(text, reason):
    with pytest.raises(ReferenceError, match=re.escape(reason)):
        validate(text)


def test_twelve_bare_digits_failing_both_checks_give_both_reasons():
    with pytest.raises(ReferenceError) as error:
        validate("010806817184")
    assert "0108068171 mod 97 gives 83" in str(error.value)
    assert "betalingskenmerk" in str(error.value)


def test_twelve_bare_digits_that_are_a_betalingskenmerk_are_kind_nl():
    # C + L=0 + ten digits: the 12-digit form of the Betaalvereniging's table.
    after_check = "0" + "0000000001"
    twelve = nl_check_digit(after_check) + after_check
    assert validate(twelve) == Reference(NL, twelve, "9000 0000 0001")


def test_a_kind_can_be_forced():
    assert validate("312401398067", kind="ogm").kind is OGM
    with pytest.raises(ReferenceError, match="not a betalingskenmerk"):
        validate("312401398067", kind="nl")
    with pytest.raises(ReferenceError, match="unknown reference kind 'iban'"):
        validate("312401398067", kind="iban")


@pytest.mark.parametrize("wrong", ["RF0072", "RF0154", "RF9936"])
def test_rf_check_digits_outside_02_to_98_are_refused_where_stdnum_accepts_them(wrong):
    # RF97 72, RF98 54 and RF02 36 are right; 00, 01 and 99 leave the same remainder mod 97.
    assert iso11649.is_valid(wrong)
    with pytest.raises(ReferenceError, match="the check digits are"):
        validate(wrong)


def test_generate_from_a_counter():
    assert generate("ogm", 108068171).display == "+++010/8068/17183+++"
    # 0 mod 97 is written as 97 (Febelfin).
    assert generate("ogm", 97).display == "+++000/0000/09797+++"
    assert generate("nl", 56789012345).display == "5000 0567 8901 2345"
    assert generate("rf", 539007547034).display == "RF18 5390 0754 7034"
    assert generate("rf", "5390 0754 70y").normalised == "RF185390075470Y"


@pytest.mark.parametrize(
    ("kind", "number", "reason"),
    [
        ("ogm", OGM_BASE_MAX + 1, "not a number from 0 to 9,999,999,999"),
        ("ogm", "12a", "not a number"),
        ("nl", -1, "not a number"),
        ("nl", NL_BASE_MAX + 1, "not a number from 0 to 999,999,999,999,999"),
        ("rf", "A" * 22, "1 to 21 letters"),
        ("rf", "ÄBC", "1 to 21 letters"),
        ("iban", 1, "unknown reference kind"),
    ],
)
def test_generate_refuses_what_does_not_fit(kind, number, reason):
    with pytest.raises(ReferenceError, match=reason):
        generate(kind, number)


@given(st.integers(0, OGM_BASE_MAX))
def test_ogm_generate_then_validate_round_trips(number):
    reference = generate("ogm", number)
    assert validate(reference.display) == reference
    assert validate(reference.display.replace("+", "*")) == reference
    assert validate(reference.normalised) == reference


@given(st.integers(0, NL_BASE_MAX))
def test_nl_generate_then_validate_round_trips(number):
    reference = generate("nl", number)
    assert len(reference.normalised) == 16
    assert validate(reference.display) == reference


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=21))
def test_rf_generate_then_validate_round_trips(body):
    reference = generate("rf", body)
    assert validate(reference.display) == reference
    assert 2 <= int(reference.normalised[2:4]) <= 98


def _change_one_digit(text: str, position: int, delta: int) -> str:
    digit = (int(text[position]) + delta) % 10
    return text[:position] + str(digit) + text[position + 1 :]


@given(st.integers(0, OGM_BASE_MAX), st.integers(0, 11), st.integers(1, 9))
def test_ogm_catches_every_changed_digit(number, position, delta):
    changed = _change_one_digit(generate("ogm", number).normalised, position, delta)
    with pytest.raises(ReferenceError):
        validate(changed, kind="ogm")


@given(st.integers(0, 10**21 - 1), st.data())
def test_rf_catches_every_changed_digit(number, data):
    normalised = generate("rf", number).normalised
    position = data.draw(st.integers(2, len(normalised) - 1))
    changed = _change_one_digit(normalised, position, data.draw(st.integers(1, 9)))
    with pytest.raises(ReferenceError):
        validate(changed)


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(["ogm", "nl", "rf"]),
    first=st.integers(min_value=0, max_value=9_999_999_000),
    count=st.integers(min_value=0, max_value=30),
)
def test_generate_many_gives_what_generate_gives(kind, first, count):
    from debitum.domain.references import generate_many

    assert generate_many(kind, first, count) == [
        generate(kind, number).display for number in range(first, first + count)
    ]
