"""What every bank statement format is read into: plain values, no Django.

A parser turns a file into `ParsedStatement`s; the statement import (banking.services) stores
them and matches the entries. Amounts are Decimals, signed: credits (money in) positive,
debits negative.
"""

from __future__ import annotations

import datetime as dt
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
