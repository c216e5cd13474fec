import pytest

from debitum.domain.identifiers import (
    IdentifierError,
    enterprise_number,
    iban,
    kvk_number,
    vat_number,
)


def test_valid_numbers_come_back_compact():
    # Examples from python-stdnum's documentation (be.vat, eu.vat) and the ECBS IBAN registry.
    assert vat_number("NL 0044.95.445.B01") == "NL004495445B01"
    assert vat_number("BE 0403.170.701") == "BE0403170701"
    assert enterprise_number("0403.170.701") == "0403170701"
    assert iban("NL91 ABNA 0417 1643 00") == "NL91ABNA0417164300"
    assert iban("BE68 5390 0754 7034") == "BE68539007547034"
    assert kvk_number("6363 6363") == "63636363"


@pytest.mark.parametrize(
    ("check", "value"),
    [
        (vat_number, "NL004495446B01"),
        (enterprise_number, "0403170702"),
        (iban, "NL91ABNA0417164301"),
        (kvk_number, "1234567"),
        (kvk_number, "1234567A"),
    ],
)
def test_invalid_numbers_are_refused_with_the_reason(check, value):
    with pytest.raises(IdentifierError, match=value):
        check(value)
