"""Bank CSV exports through a column mapping, with the ING and Rabobank presets. The two
preset files are hand-made on the banks' real headers (see data/README.md)."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from debitum.banking.formats import CSV_PRESETS, StatementFormatError, parse_statement
from debitum.banking.formats.bank_csv import preset_for_header

DATA = Path(__file__).parent / "data"


def test_ing_af_bij_export_read_without_a_mapping():
    # handmade-ing-nl.csv: ING's comma export, Windows-1252, CRLF, a quoted field over two
    # lines; "Af"/"Bij" give the sign, "Bedrag (EUR)" has a Dutch decimal comma.
    [statement] = parse_statement((DATA / "handmade-ing-nl.csv").read_bytes(), "ing.csv")
    assert statement.file_format == "csv"
    assert statement.bank_name == "ING"
    assert statement.account_iban == "NL20INGB0001234567"  # the "Rekening" column
    assert statement.currency == "EUR"
    assert statement.opening_balance is statement.closing_balance is None
    cafe, garage, costs = statement.entries
    assert cafe.booking_date == dt.date(2024, 1, 31)  # "20240131"
    assert cafe.amount == Decimal("1210.00")  # "Bij", "1.210,00"
    assert cafe.counterparty_name == "Café De Zon"
    assert cafe.counterparty_iban == "NL91ABNA0417164300"
    assert cafe.transaction_code == "OV"
    assert garage.remittance == (
        "Naam: Garage Jansen Omschrijving: Factuur 2024-0118 en 2024-0119 IBAN: NL44RABO0123456789"
    )
    assert garage.where == "line 3"
    assert costs.amount == Decimal("-1.25")  # "Af"
    assert costs.counterparty_iban == ""
    assert costs.where == "line 5"  # the quoted field of line 3 ran on to line 4


def test_ing_semicolon_export_with_its_newer_columns():
    data = (
        b'"Datum";"Naam / Omschrijving";"Rekening";"Tegenrekening";"Code";"Af Bij";'
        b'"Bedrag (EUR)";"MutatieSoort";"Mededelingen";"Saldo na mutatie";"Tag"\n'
        b'"20240305";"Brasserie";"NL20INGB0001234567";"BE71096123456769";"OV";"Bij";"250,00";'
        b'"Overschrijving";"+++090/9337/55493+++";"1.250,00";""\n'
    )
    [statement] = parse_statement(data, "ing.csv", csv_mapping={"preset": "ing-nl"})
    [entry] = statement.entries
    assert entry.amount == Decimal("250.00")
    assert entry.counterparty_iban == "BE71096123456769"


def test_rabobank_export_read_without_a_mapping():
    # handmade-rabobank.csv: Rabobank's header (UTF-8, "Naam initiërende partij"), signed
    # amounts, two accounts in one export.
    ours, savings = parse_statement((DATA / "handmade-rabobank.csv").read_bytes(), "rabo.csv")
    assert ours.bank_name == "Rabobank"
    assert ours.account_iban == "NL02RABO0123456789"
    assert savings.account_iban == "NL02RABO0987654321"
    paid, returned = ours.entries
    assert paid.amount == Decimal("1210.00")  # "+1.210,00"
    assert paid.booking_date == dt.date(2024, 3, 1)
    assert paid.counterparty_name == "Bakkerij De Korenschoof B.V."
    assert paid.counterparty_bic == "ABNANL2A"
    assert paid.structured_reference == "0000000021234567"  # "Betalingskenmerk"
    assert paid.end_to_end_id == "E2E-2024-0001"  # "Transactiereferentie"
    assert paid.bank_reference == "000000000000004711"  # "Volgnr"
    assert returned.amount == Decimal("-60.50")
    assert returned.value_date == dt.date(2024, 3, 1)  # "Rentedatum"
    assert returned.remittance == "Storno incasso Factuur 2024-0118 termijn maart"
    assert returned.mandate_id == "MANDATE-0042"
    assert returned.return_reason == "MD06" and returned.is_reversal
    assert savings.entries[0].amount == Decimal("10.00")


def test_the_presets_name_the_banks_columns():
    assert preset_for_header(
        ["Datum", "Naam / Omschrijving", "Rekening", "Tegenrekening", "Code", "Af Bij",
         "Bedrag (EUR)", "Mutatiesoort", "Mededelingen"]
    ) == "ing-nl"  # fmt: skip
    assert CSV_PRESETS["rabobank"]["remittance"] == [
        "Omschrijving-1",
        "Omschrijving-2",
        "Omschrijving-3",
    ]


def test_a_mapping_of_our_own():
    data = (
        b"Boekdatum;Bedrag;D/C;Naam;IBAN tegenrekening;Omschrijving;Kenmerk\n"
        b"05-03-2024;1210.00;C;Bakkerij;nl91 abna 0417 1643 00;Factuur;RF18539007547034\n"
        b"\n"
        b"06-03-2024;60.50;D;Garage;;Retour;\n"
    )
    mapping = {
        "booking_date": "Boekdatum",
        "amount": "bedrag",  # column names are compared without case
        "debit_credit": "D/C",
        "credit_value": "C",
        "debit_value": "D",
        "counterparty_name": "Naam",
        "counterparty_iban": "IBAN tegenrekening",
        "remittance": ["Omschrijving", "Kenmerk"],
        "structured_reference": "Kenmerk",
        "date_format": "%d-%m-%Y",
        "decimal": ".",
        "account_iban": "IBAN tegenrekening",
    }
    first, second = parse_statement(data, "eigen.csv", csv_mapping=mapping)
    assert first.account_iban == "NL91ABNA0417164300"
    [paid] = first.entries
    assert paid.amount == Decimal("1210.00")
    assert paid.counterparty_iban == "NL91ABNA0417164300"  # upper case, no spaces
    assert paid.remittance == "Factuur RF18539007547034"
    assert paid.structured_reference == "RF18539007547034"
    [returned] = second.entries
    assert returned.amount == Decimal("-60.50")
    assert returned.where == "line 4"  # the empty line 3 is skipped, not renumbered


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,56", "1234.56"),
        ("-45,00", "-45.00"),
        ("+2500,00", "2500.00"),
        ("1234.56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("12", "12"),
    ],
)
def test_amounts_without_a_decimal_setting(text, expected):
    data = f'Datum,Bedrag\n2024-03-05,"{text}"\n'.encode()
    [statement] = parse_statement(
        data, "a.csv", csv_mapping={"booking_date": "Datum", "amount": "Bedrag"}
    )
    assert statement.entries[0].amount == Decimal(expected)


@pytest.mark.parametrize("text", ["2024-03-05", "05-03-2024", "20240305"])
def test_the_three_date_forms(text):
    data = f"Datum,Bedrag\n{text},1\n".encode()
    [statement] = parse_statement(
        data, "a.csv", csv_mapping={"booking_date": "Datum", "amount": "Bedrag"}
    )
    assert statement.entries[0].booking_date == dt.date(2024, 3, 5)


def test_a_bad_date_names_the_line_and_the_column():
    data = (DATA / "handmade-ing-nl.csv").read_bytes().replace(b'"20240201"', b'"2024-02-31"')
    with pytest.raises(StatementFormatError) as error:
        parse_statement(data, "ing.csv")
    assert str(error.value) == (
        "ing.csv, line 3, column 'Datum': '2024-02-31' is not a date (YYYYMMDD)"
    )


def test_a_bad_amount_names_the_line_and_the_column():
    data = (DATA / "handmade-rabobank.csv").read_bytes().replace(b'"-60,50"', b'"-60,5O"')
    with pytest.raises(StatementFormatError) as error:
        parse_statement(data, "rabo.csv")
    assert error.value.where == "line 3, column 'Bedrag'"
    assert error.value.message == "'-60,5O' is not an amount"


def test_an_unknown_af_bij_value():
    data = (DATA / "handmade-ing-nl.csv").read_bytes().replace(b'"Af"', b'"?"')
    with pytest.raises(StatementFormatError) as error:
        parse_statement(data, "ing.csv")
    assert error.value.where == "line 5, column 'Af Bij'"
    assert error.value.message == "'?' is neither 'Bij' nor 'Af'"


def test_mapping_errors():
    data = b"Datum,Bedrag\n2024-03-05,1\n"
    with pytest.raises(StatementFormatError, match=r"line 1: no column 'Amount'"):
        parse_statement(data, "a.csv", csv_mapping={"booking_date": "Datum", "amount": "Amount"})
    with pytest.raises(StatementFormatError, match=r"CSV mapping: it names no column for amount"):
        parse_statement(data, "a.csv", csv_mapping={"booking_date": "Datum"})
    with pytest.raises(StatementFormatError, match=r"unknown key 'bedrag'"):
        parse_statement(data, "a.csv", csv_mapping={"bedrag": "Bedrag"})
    with pytest.raises(StatementFormatError, match=r"no preset 'abn'"):
        parse_statement(data, "a.csv", csv_mapping={"preset": "abn"})
    with pytest.raises(StatementFormatError, match=r"needs a column mapping.*Datum, Bedrag"):
        parse_statement(data, "a.csv")
