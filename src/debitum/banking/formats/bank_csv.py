"""A bank's CSV export, read through a column mapping.

The mapping says which column holds which of our fields, and how the file writes amounts
and dates. Two banks' exports ship as presets (`CSV_PRESETS`): ING's Dutch "Af Bij" export
and Rabobank's; a mapping may name a preset and change some of it. Without a mapping, a file
whose header is one of the presets' is read with that preset.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

from .statement import (
    ParsedEntry,
    ParsedStatement,
    StatementFormatError,
    clean_account,
    clean_text,
    decode_text,
    looks_like_iban,
)

# Our fields that a mapping may fill from columns. A remittance may come from several
# columns (Rabobank's Omschrijving-1, -2, -3), joined with a space.
FIELDS = (
    "booking_date",
    "value_date",
    "amount",
    "currency",
    "counterparty_name",
    "counterparty_iban",
    "counterparty_bic",
    "remittance",
    "structured_reference",
    "end_to_end_id",
    "mandate_id",
    "return_reason",
    "bank_reference",
    "transaction_code",
    "account_iban",
    "debit_credit",
)
OPTIONS = (
    "preset",
    "credit_value",
    "debit_value",
    "date_format",
    "decimal",
    "delimiter",
    "encoding",
    "default_currency",
    "bank_name",
)

CSV_PRESETS: dict[str, dict] = {
    # ING Nederland, "Af Bij" export: "Datum","Naam / Omschrijving","Rekening","Tegenrekening",
    # "Code","Af Bij","Bedrag (EUR)","Mutatiesoort","Mededelingen" (newer files add
    # "Saldo na mutatie","Tag" and may use ";"). Dates YYYYMMDD, amounts without a sign.
    "ing-nl": {
        "booking_date": "Datum",
        "counterparty_name": "Naam / Omschrijving",
        "account_iban": "Rekening",
        "counterparty_iban": "Tegenrekening",
        "transaction_code": "Code",
        "debit_credit": "Af Bij",
        "credit_value": "Bij",
        "debit_value": "Af",
        "amount": "Bedrag (EUR)",
        "remittance": "Mededelingen",
        "date_format": "%Y%m%d",
        "decimal": ",",
        "default_currency": "EUR",
        "bank_name": "ING",
    },
    # Rabobank: "IBAN/BBAN","Munt","BIC","Volgnr","Datum","Rentedatum","Bedrag","Saldo na trn",
    # "Tegenrekening IBAN/BBAN","Naam tegenpartij","Naam uiteindelijke partij",
    # "Naam initiërende partij","BIC tegenpartij","Code","Batch ID","Transactiereferentie",
    # "Machtigingskenmerk","Incassant ID","Betalingskenmerk","Omschrijving-1","Omschrijving-2",
    # "Omschrijving-3","Reden retour","Oorspr bedrag","Oorspr munt","Koers". Signed amounts;
    # the export has no end-to-end column of that name: its "Transactiereferentie" is it.
    "rabobank": {
        "account_iban": "IBAN/BBAN",
        "currency": "Munt",
        "bank_reference": "Volgnr",
        "booking_date": "Datum",
        "value_date": "Rentedatum",
        "amount": "Bedrag",
        "counterparty_iban": "Tegenrekening IBAN/BBAN",
        "counterparty_name": "Naam tegenpartij",
        "counterparty_bic": "BIC tegenpartij",
        "transaction_code": "Code",
        "end_to_end_id": "Transactiereferentie",
        "mandate_id": "Machtigingskenmerk",
        "structured_reference": "Betalingskenmerk",
        "remittance": ["Omschrijving-1", "Omschrijving-2", "Omschrijving-3"],
        "return_reason": "Reden retour",
        "decimal": ",",
        "bank_name": "Rabobank",
    },
}

_DATE_FORMATS = (("%Y-%m-%d", "YYYY-MM-DD"), ("%d-%m-%Y", "DD-MM-YYYY"), ("%Y%m%d", "YYYYMMDD"))
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")


def preset_for_header(header: list[str]) -> str | None:
    """The preset whose columns this header has (ING's or Rabobank's), or None."""
    names = {_key(name) for name in header}
    for preset_name, preset in CSV_PRESETS.items():
        columns = [preset[field] for field in ("booking_date", "amount", "counterparty_iban")]
        if all(_key(column) in names for column in columns):
            return preset_name
    return None


def parse_bank_csv(
    data: bytes, file_name: str, csv_mapping: dict | None = None
) -> list[ParsedStatement]:
    """The movements of a CSV export: one statement per account (and currency) in it, without
    balances or number. Errors name the line (the header is line 1) and the column."""
    mapping = dict(csv_mapping or {})
    encoding = mapping.get("encoding")
    try:
        text = decode_text(data, encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise StatementFormatError(
            file_name, "", f"cannot be read as {encoding}: {error}"
        ) from None
    header_line = next((line for line in text.split("\n") if line.strip()), "")
    delimiter = mapping.get("delimiter") or _sniff_delimiter(header_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    for row in reader:
        if any(cell.strip() for cell in row):
            header = row
            break
    if header is None:
        raise StatementFormatError(file_name, "line 1", "an empty CSV file")
    header_number = reader.line_num
    mapping = _resolve(mapping, header, file_name, header_number)
    columns = {_key(name): index for index, name in enumerate(header)}
    fields = {
        field: _column_indexes(mapping[field], columns, header, file_name, header_number)
        for field in FIELDS
        if mapping.get(field)
    }
    for required in ("booking_date", "amount"):
        if required not in fields:
            raise StatementFormatError(
                file_name, "CSV mapping", f"it names no column for {required}"
            )
    if "debit_credit" in fields and not (mapping.get("credit_value") or mapping.get("debit_value")):
        raise StatementFormatError(
            file_name, "CSV mapping", "debit_credit needs a credit_value or a debit_value"
        )
    statements: dict[tuple[str, str], list[ParsedEntry]] = {}
    previous_line = reader.line_num
    for row in reader:
        first_line, previous_line = previous_line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        entry, account = _entry(row, fields, mapping, header, file_name, first_line)
        statements.setdefault((account, entry.currency), []).append(entry)
    return [
        ParsedStatement(
            file_format="csv",
            account_iban=account,
            currency=currency,
            statement_number="",
            opening_date=None,
            opening_balance=None,
            closing_date=None,
            closing_balance=None,
            entries=tuple(entries),
            bank_name=mapping.get("bank_name", ""),
        )
        for (account, currency), entries in statements.items()
    ]


def _resolve(mapping: dict, header: list[str], file_name: str, header_number: int) -> dict:
    unknown = sorted(set(mapping) - set(FIELDS) - set(OPTIONS))
    if unknown:
        raise StatementFormatError(
            file_name, "CSV mapping", f"unknown key {unknown[0]!r} (known: {', '.join(FIELDS)})"
        )
    preset_name = mapping.pop("preset", None)
    if preset_name is None and not any(mapping.get(field) for field in FIELDS):
        preset_name = preset_for_header(header)
        if preset_name is None:
            raise StatementFormatError(
                file_name,
                f"line {header_number}",
                "a CSV file needs a column mapping unless it is an ING or Rabobank export; "
                f"its columns are {', '.join(header)}",
            )
    if preset_name is not None:
        if preset_name not in CSV_PRESETS:
            raise StatementFormatError(
                file_name,
                "CSV mapping",
                f"no preset {preset_name!r} (presets: {', '.join(CSV_PRESETS)})",
            )
        mapping = {**CSV_PRESETS[preset_name], **mapping}
    return mapping


def _column_indexes(
    names, columns: dict[str, int], header: list[str], file_name: str, header_number: int
) -> list[tuple[int, str]]:
    names = [names] if isinstance(names, str) else list(names)
    found = []
    for name in names:
        index = columns.get(_key(name))
        if index is None:
            raise StatementFormatError(
                file_name,
                f"line {header_number}",
                f"no column {name!r}; the columns are {', '.join(header)}",
            )
        found.append((index, header[index].strip()))
    return found


def _entry(row, fields, mapping, header, file_name, line_number) -> tuple[ParsedEntry, str]:
    def cell(field: str) -> tuple[str, str]:
        """The text of `field` on this row (columns joined by a space) and its column name."""
        indexes = fields.get(field, [])
        values = [row[index] if index < len(row) else "" for index, _ in indexes]
        return clean_text(" ".join(values)), ", ".join(name for _, name in indexes)

    def where(column: str) -> str:
        return f"line {line_number}, column {column!r}"

    booking_text, booking_column = cell("booking_date")
    booking_date = _date(booking_text, mapping, file_name, where(booking_column))
    value_text, value_column = cell("value_date")
    value_date = _date(value_text, mapping, file_name, where(value_column)) if value_text else None
    amount_text, amount_column = cell("amount")
    amount = _amount(amount_text, mapping.get("decimal"), file_name, where(amount_column))
    if "debit_credit" in fields:
        indicator, indicator_column = cell("debit_credit")
        credit, debit = mapping.get("credit_value"), mapping.get("debit_value")
        if credit and indicator.casefold() == str(credit).casefold():
            amount = abs(amount)
        elif debit and indicator.casefold() == str(debit).casefold():
            amount = -abs(amount)
        elif credit and debit:
            raise StatementFormatError(
                file_name,
                where(indicator_column),
                f"{indicator!r} is neither {credit!r} nor {debit!r}",
            )
        else:
            # Only one value given: anything else is the other side.
            amount = -abs(amount) if credit else abs(amount)
    currency = cell("currency")[0].upper() or mapping.get("default_currency", "EUR")
    counterparty = clean_account(cell("counterparty_iban")[0])
    iban, account = (counterparty, "") if looks_like_iban(counterparty) else ("", counterparty)
    return_reason = cell("return_reason")[0]
    entry = ParsedEntry(
        booking_date=booking_date,
        value_date=value_date,
        amount=amount,
        currency=currency,
        counterparty_name=cell("counterparty_name")[0],
        counterparty_iban=iban,
        counterparty_account=account,
        counterparty_bic=clean_account(cell("counterparty_bic")[0]),
        remittance=cell("remittance")[0],
        structured_reference=cell("structured_reference")[0],
        end_to_end_id=cell("end_to_end_id")[0],
        mandate_id=cell("mandate_id")[0],
        return_reason=return_reason,
        bank_reference=cell("bank_reference")[0],
        transaction_code=cell("transaction_code")[0],
        is_reversal=bool(return_reason),
        where=f"line {line_number}",
    )
    return entry, clean_account(cell("account_iban")[0])


def _date(value: str, mapping: dict, file_name: str, where: str) -> dt.date:
    date_format = mapping.get("date_format")
    if date_format:
        label = date_format.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD")
        formats = [(date_format, label)]
    else:
        formats = _DATE_FORMATS
    for python_format, _ in formats:
        try:
            return dt.datetime.strptime(value, python_format).date()
        except ValueError:
            continue
    expected = " or ".join(label for _, label in formats)
    raise StatementFormatError(file_name, where, f"{value!r} is not a date ({expected})")


def _amount(value: str, decimal: str | None, file_name: str, where: str) -> Decimal:
    """An amount as Dutch and other exports write it: "1.234,56", "-45,00", "+2500,00",
    "1234.56". With `decimal` given the other mark is a thousands separator; without it the
    last of "," and "." is the decimal mark."""
    text = value.replace(" ", "").replace("\u00a0", "")
    sign = -1 if text.startswith("-") or text.endswith("-") else 1
    text = text.strip("+-")
    mark = decimal or (max((",", "."), key=text.rfind) if ("," in text or "." in text) else ".")
    thousands = "." if mark == "," else ","
    text = text.replace(thousands, "").replace(mark, ".")
    if not _NUMBER.fullmatch(text):
        raise StatementFormatError(file_name, where, f"{value!r} is not an amount")
    return sign * Decimal(text)


def _sniff_delimiter(header_line: str) -> str:
    """The separator of the header line: the most frequent of ";", "," and tab outside quotes."""
    outside = re.sub(r'"[^"]*"', "", header_line)
    return max((";", ",", "\t"), key=outside.count) if outside.strip() else ","


def _key(name: str) -> str:
    """A column name compared without case, surrounding spaces or a byte-order mark
    ("MutatieSoort" and "Mutatiesoort" are one column)."""
    return clean_text(name.replace("\ufeff", "")).casefold()
