"""What every bank statement format is read into: plain values, no Django.

A parser turns a file into `ParsedStatement`s; the statement import (banking.services) stores
them and matches the entries. Amounts are Decimals, signed: credits (money in) positive,
debits negative.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal


class StatementFormatError(ValueError):
    """A file that cannot be read as a statement: names the file, where in it, and what."""

    def __init__(self, file_name: str, where: str, message: str):
        self.file_name, self.where, self.message = file_name, where, message
        super().__init__(f"{file_name}, {where}: {message}" if where else f"{file_name}: {message}")


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    booking_date: dt.date
    value_date: dt.date | None
    amount: Decimal  # signed: credits positive
    currency: str
    counterparty_name: str = ""
    counterparty_iban: str = ""  # upper case, no spaces; "" when the bank gives none
    counterparty_bic: str = ""
    # The counterparty's account when the bank gives a number that is not an IBAN (an old
    # Dutch giro or bank number, a Belgian 12-digit number): kept, but never as an IBAN.
    counterparty_account: str = ""
    remittance: str = ""  # the unstructured remittance information, lines joined by a space
    structured_reference: str = ""  # creditor reference as given (OGM, betalingskenmerk, RF)
    end_to_end_id: str = ""
    mandate_id: str = ""
    return_reason: str = ""  # ISO 20022 reason code (AC04, MD06, ...) of a return or reversal
    bank_reference: str = ""  # the bank's own reference of the entry (AcctSvcrRef, :61: ref)
    transaction_code: str = ""  # bank transaction code (camt BkTxCd, MT940 type, CODA code)
    is_reversal: bool = False  # a return, reversal or refund of an earlier movement
    where: str = ""  # where in the file: "line 12" or "Ntry 3" (for messages)


@dataclass(frozen=True, slots=True)
class ParsedStatement:
    file_format: str  # camt.053, camt.054, mt940, coda, csv
    account_iban: str  # the statement's own account, upper case, no spaces
    currency: str
    statement_number: str  # as the bank numbers it ("" when it does not)
    opening_date: dt.date | None
    opening_balance: Decimal | None  # None for notifications (camt.054) and CSV
    closing_date: dt.date | None
    closing_balance: Decimal | None
    entries: tuple[ParsedEntry, ...] = field(default_factory=tuple)
    bank_name: str = ""  # the variant read (ING, Rabobank, ...) when known


_WHITESPACE = re.compile(r"\s+")
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")


def clean_text(value: str | None) -> str:
    """Text as every parser gives it: stripped, each run of whitespace folded to one space."""
    return _WHITESPACE.sub(" ", value).strip() if value else ""


def clean_account(value: str | None) -> str:
    """An account number as every parser gives it: upper case, without spaces."""
    return _WHITESPACE.sub("", value).upper() if value else ""


def looks_like_iban(value: str) -> bool:
    """The shape of an IBAN (country, check digits, 11 to 30 letters and digits). The check
    digits are not verified here: a bank file says what the bank booked, and the import
    decides what to trust."""
    return bool(_IBAN_SHAPE.fullmatch(value))


def decode_text(data: bytes, encoding: str | None = None) -> str:
    """The text of a bank file: `encoding` when given, else UTF-8 (a byte-order mark dropped)
    and, when that fails, Windows-1252, which Dutch and Belgian banks use for their exports.
    Line ends become "\\n"."""
    if encoding:
        text = data.decode(encoding)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# The four letters a Dutch IBAN (positions 5-8) or a BIC (positions 1-4) name a bank by.
BANK_CODES = {
    "ABNA": "ABN AMRO",
    "ASNB": "ASN Bank",
    "BUNQ": "bunq",
    "INGB": "ING",
    "KNAB": "Knab",
    "RABO": "Rabobank",
    "RBRB": "RegioBank",
    "SNSB": "SNS",
    "TRIO": "Triodos",
}


def bank_name_of(account: str = "", bic: str = "") -> str:
    """The bank of a Dutch IBAN or of a BIC, when it is one we know ("" otherwise)."""
    if account.startswith("NL") and looks_like_iban(account):
        return BANK_CODES.get(account[4:8], "")
    return BANK_CODES.get(bic[:4].upper(), "") if len(bic) in (8, 11) else ""
