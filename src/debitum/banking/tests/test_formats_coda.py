"""Belgian CODA 2, read from the sample files of acsone/pycoda (see data/README.md) and from a
file built here, field by field, at the positions of the Febelfin standard."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from debitum.banking.formats import StatementFormatError, detect_format, parse_statement

DATA = Path(__file__).parent / "data"


def read(name: str):
    data = (DATA / name).read_bytes()
    assert detect_format(data, name) == "coda"
    return parse_statement(data, name)


def balances(statement) -> bool:
    total = sum((entry.amount for entry in statement.entries), Decimal("0"))
    return statement.opening_balance + total == statement.closing_balance


def record(*fields: tuple[int, str]) -> str:
    """One CODA record from (width, text) pairs, left-aligned and padded with spaces."""
    line = "".join(text.ljust(width)[:width] for width, text in fields)
    assert len(line) == 128, len(line)
    return line


def coda_with_ogm() -> bytes:
    """A statement of BE68539007547034: a credit with structured communication 101, a
    returned direct debit (R-transaction 2, reason MD06) to an old Belgian account, and a
    total globalised by the bank (type 2) over two credits of type 6, each with its OGM."""
    iban = (16, "BE68539007547034"), (18, ""), (3, "EUR")

    def movement(sequence, detail, sign, amount, value_date, code, structured, text, glob, nxt):
        return record(
            (2, "21"), (4, sequence), (4, detail), (21, f"REF{sequence}{detail}"), (1, sign),
            (15, amount), (6, value_date), (8, code), (1, structured), (53, text),
            (6, "050324"), (3, "065"), (1, glob), (1, nxt), (1, ""), (1, "0"),
        )  # fmt: skip

    lines = [
        record(
            (1, "0"), (4, "0000"), (6, "050324"), (3, "300"), (2, "05"), (1, ""), (7, ""),
            (10, "DEBITUMT01"), (26, "DEBITUM TEST BV"), (11, "BBRUBEBB"), (11, "00123456789"),
            (1, ""), (5, "00000"), (16, ""), (16, ""), (7, ""), (1, "2"),
        ),
        record(
            (1, "1"), (1, "2"), (3, "065"), *iban, (1, "0"), (15, "000000001000000"),
            (6, "040324"), (26, "DEBITUM TEST BV"), (35, "ZICHTREKENING"), (3, "065"),
        ),
        movement("0001", "0000", "0", "000000000121000", "050324", "00150000", "1",
                 "101090933755493", "0", "1"),
        record(
            (2, "22"), (4, "0001"), (4, "0000"), (53, ""), (35, "E2E-2024-0001"),
            (11, "GKCCBEBB"), (3, ""), (1, ""), (4, ""), (4, ""), (4, ""), (1, "1"), (1, ""),
            (1, "0"),
        ),
        record(
            (2, "23"), (4, "0001"), (4, "0000"), (34, "BE71096123456769"), (3, "EUR"),
            (35, "BRASSERIE LE COQ"), (43, ""), (1, "0"), (1, ""), (1, "1"),
        ),
        record(
            (2, "31"), (4, "0001"), (4, "0001"), (21, "REF00010000"), (8, "00150000"),
            (1, "1"), (73, "001BRASSERIE LE COQ"), (12, ""), (1, "0"), (1, ""), (1, "0"),
        ),
        movement("0002", "0000", "1", "000000000060500", "000000", "00503000", "0",
                 "FACTUUR 2024-0117 TERMIJN MAART, EN NOG WAT MEER TEKS", "0", "1"),
        record(
            (2, "22"), (4, "0002"), (4, "0000"), (53, "T OVER DE BETALING"),
            (35, "DD-2024-000123"), (11, "KREDBEBB"), (3, ""), (1, "2"), (4, "MD06"),
            (4, ""), (4, ""), (1, "1"), (1, ""), (1, "0"),
        ),
        record(
            (2, "23"), (4, "0002"), (4, "0000"), (12, "310180203454"), (1, ""), (3, "EUR"),
            (21, ""), (35, "GARAGE JANSEN"), (43, ""), (1, "0"), (1, ""), (1, "0"),
        ),
        movement("0003", "0000", "0", "000000000300000", "050324", "20150000", "0",
                 "GLOBALISATIE 2 BETALINGEN", "1", "0"),
        movement("0003", "0001", "0", "000000000200000", "050324", "60150000", "1",
                 "101123456789002", "0", "0"),
        movement("0003", "0002", "0", "000000000100000", "050324", "60150000", "1",
                 "101123456789103", "1", "0"),
        record(
            (1, "8"), (3, "065"), *iban, (1, "0"), (15, "000000001360500"), (6, "050324"),
            (64, ""), (1, "0"),
        ),
        record(
            (1, "9"), (15, ""), (6, "000012"), (15, "000000000060500"),
            (15, "000000000421000"), (75, ""), (1, "2"),
        ),
    ]  # fmt: skip
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def test_structured_communication_counterparty_returns_and_globalisation():
    [statement] = parse_statement(coda_with_ogm(), "afschrift.cod")
    assert statement.file_format == "coda"
    assert statement.account_iban == "BE68539007547034"  # record 1, structure 2, 6-21
    assert statement.currency == "EUR"  # record 1, 40-42
    assert statement.statement_number == "065"  # record 1, 3-5
    assert (statement.opening_date, statement.opening_balance) == (
        dt.date(2024, 3, 4),
        Decimal("1000.00"),
    )
    assert (statement.closing_date, statement.closing_balance) == (
        dt.date(2024, 3, 5),
        Decimal("1360.50"),
    )
    assert balances(statement)
    ogm, returned, first, second = statement.entries
    assert ogm.amount == Decimal("121.00")
    assert ogm.booking_date == ogm.value_date == dt.date(2024, 3, 5)
    assert ogm.structured_reference == "090933755493"  # type 101, the 12 digits
    assert ogm.remittance == ""
    assert ogm.counterparty_iban == "BE71096123456769"  # record 2.3, 11-44
    assert ogm.counterparty_name == "BRASSERIE LE COQ"  # record 2.3, 48-82
    assert ogm.counterparty_bic == "GKCCBEBB"  # record 2.2, 99-109
    assert ogm.end_to_end_id == "E2E-2024-0001"  # record 2.2, 64-98
    assert ogm.transaction_code == "00150000"
    assert ogm.where == "line 3"
    # Movement 2: a debit (sign 1), no value date (000000), free communication continued
    # from 2.1 into 2.2 mid-word, an old Belgian account in 2.3.
    assert returned.amount == Decimal("-60.50")
    assert returned.value_date is None
    assert returned.remittance == (
        "FACTUUR 2024-0117 TERMIJN MAART, EN NOG WAT MEER TEKST OVER DE BETALING"
    )
    assert returned.counterparty_account == "310180203454"
    assert returned.counterparty_iban == ""
    assert returned.counterparty_name == "GARAGE JANSEN"
    assert returned.return_reason == "MD06" and returned.is_reversal
    # Movement 3: the total of 300.00 is read as its two details.
    assert (first.amount, second.amount) == (Decimal("200.00"), Decimal("100.00"))
    assert (first.structured_reference, second.structured_reference) == (
        "123456789002",
        "123456789103",
    )
    assert first.transaction_code == "60150000"


def test_pycoda_two_statements_in_one_file():
    # pycoda-Coda_v2_3_multi_statements.txt. The first statement is the one acsone/pycoda's
    # test_parser.py expects for its Dummy_testbestand_coda_iban_v2_3.txt: account
    # BE86407051416150, EUR, old balance 0.0 credit on 2009-03-04, paper seq 042, new
    # balance 0.0 on 2009-03-05, 32 movement records (2.1), the first SWJVZ0BN6 BKTBBNPOSKZ,
    # 20.0, credit, 2009-03-05, family 04, code 50, category 000, structured type 114.
    first, second = read("pycoda-Coda_v2_3_multi_statements.txt")
    assert first.account_iban == "BE86407051416150"
    assert first.currency == "EUR"
    assert first.statement_number == "042"
    assert (first.opening_date, first.opening_balance) == (dt.date(2009, 3, 4), Decimal("0.00"))
    assert (first.closing_date, first.closing_balance) == (dt.date(2009, 3, 5), Decimal("0.00"))
    assert balances(first)
    # 32 records 2.1: 15 single movements, then 16 (a total with 1 detail) and 17 (a total
    # with 14 details) globalised by the bank (type 2): 15 + 1 + 14 entries.
    assert len(first.entries) == 30
    card = first.entries[0]
    assert card.bank_reference == "SWJVZ0BN6 BKTBBNPOSKZ"
    assert card.amount == Decimal("20.00")
    assert card.booking_date == card.value_date == dt.date(2009, 3, 5)
    assert card.transaction_code == "00450000"  # type 0, family 04, transaction 50, cat 000
    assert card.structured_reference == ""  # structured type 114 is a card payment, not OGM
    american_express = first.entries[9]
    assert american_express.amount == Decimal("-62095.01")
    assert american_express.counterparty_name == "AMERICAN EXPRESS"
    vivium = first.entries[10]
    assert vivium.counterparty_account == "310180203454"  # a Belgian 12-digit account
    assert vivium.remittance == "ONG. SG 20-4203595 LOONVERLIES HAMERLYNCK TONY"
    details = first.entries[16:]
    assert sum(entry.amount for entry in details) == Decimal("-2608.00")  # total of seq 0017
    assert {entry.counterparty_iban for entry in details} == {"BE38733040385372"}
    assert second.account_iban == "BE12341702625236"
    assert (second.opening_balance, second.closing_balance) == (
        Decimal("19338.09"),
        Decimal("10807.81"),
    )
    assert balances(second) and len(second.entries) == 11
    transfer = second.entries[3]
    assert transfer.counterparty_iban == "BE12345307390039"
    assert transfer.counterparty_bic == "GKCCBEBB"
    assert transfer.remittance == "F 13110862"
    assert transfer.end_to_end_id == "201312241200195957XXXXXX"
    # The anonymised sample wrote its names from position 45, over the currency (45-47), so
    # by the standard's positions 48-82 this name starts three characters in.
    assert transfer.counterparty_name == "XXXX"


def test_pycoda_globalisation_with_a_debit_old_balance():
    # pycoda-Coda_v2_3_globalisation.txt: old balance 455.17 debit (sign 1) on 2014-12-09,
    # new balance 275270.53 on 2014-12-10; movement 3 is a net amount (type 3) with one detail.
    [statement] = read("pycoda-Coda_v2_3_globalisation.txt")
    assert statement.opening_balance == Decimal("-455.17")
    assert statement.opening_date == dt.date(2014, 12, 9)
    assert statement.closing_balance == Decimal("275270.53")
    assert balances(statement)
    assert [entry.amount for entry in statement.entries] == [
        Decimal("113135.00"),
        Decimal("113135.00"),
        Decimal("50000.00"),
        Decimal("-544.30"),
    ]
    # The sample's communication runs into the entry date (positions 116-121): "111111".
    assert statement.entries[0].booking_date == dt.date(2011, 11, 11)
    assert statement.entries[2].where == "line 18"  # the detail, not the total on line 14


def test_pycoda_foreign_account():
    # pycoda-Coda_foreign_account.txt: record 1 with structure 3 (a foreign IBAN, 6-39).
    [statement] = read("pycoda-Coda_foreign_account.txt")
    assert statement.account_iban == "FR1234567890240924002304825"
    assert statement.currency == "EUR"
    assert (statement.opening_balance, statement.closing_balance) == (
        Decimal("443390.70"),
        Decimal("443346.30"),
    )
    assert balances(statement)
    assert statement.entries[0].remittance == "TRANS : NMSC / INFO : ELYS PC ABONNEMENT"


def test_a_record_of_the_wrong_length():
    lines = coda_with_ogm().decode("cp1252").split("\r\n")
    lines[6] = lines[6][:100]
    with pytest.raises(StatementFormatError) as error:
        parse_statement("\r\n".join(lines).encode("cp1252"), "kort.cod")
    assert str(error.value) == (
        "kort.cod, line 7: a CODA record has 128 characters, this one has 100"
    )


def test_a_bad_amount_names_its_positions():
    lines = coda_with_ogm().decode("cp1252").split("\r\n")
    lines[2] = lines[2][:32] + "00000000012A000" + lines[2][47:]
    with pytest.raises(StatementFormatError) as error:
        parse_statement("\r\n".join(lines).encode("cp1252"), "x.cod")
    assert error.value.where == "line 3, positions 33-47"


def test_a_continuation_without_its_movement():
    lines = coda_with_ogm().decode("cp1252").split("\r\n")
    del lines[2]  # the 2.1 of movement 0001; its 2.2 follows the old balance
    with pytest.raises(StatementFormatError) as error:
        parse_statement("\r\n".join(lines).encode("cp1252"), "x.cod")
    assert error.value.where == "line 3"
    assert "does not follow its 2.1" in error.value.message


def test_version_1_is_refused():
    lines = coda_with_ogm().decode("cp1252").split("\r\n")
    lines[0] = lines[0][:127] + "1"
    with pytest.raises(StatementFormatError) as error:
        parse_statement("\r\n".join(lines).encode("cp1252"), "oud.cod")
    assert error.value.where == "line 1, position 128"
