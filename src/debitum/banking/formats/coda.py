"""Belgian CODA (Coded statement of account), Febelfin standard version 2.

Fixed records of 128 characters: 0 header, 1 old balance, 2.1/2.2/2.3 a movement, 3.1/3.2/3.3
information about it, 4 free communication, 8 new balance, 9 trailer. A file may hold several
statements (each from its 0 to its 9). Positions below are the standard's, counted from 1;
the slices are Python's, from 0.

A movement the bank globalised (type 1, 2 or 3: a total, with its details under the same
sequence number) is read as its details when they add up to the total, so that each
customer's payment is its own entry; otherwise as the total alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
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

RECORD_LENGTH = 128
_CENT = Decimal("0.01")
# Structured communication types (positions 63-65 of record 2.1) that carry the 12 digits
# of a Belgian structured communication (OGM, +++123/4567/89012+++) in positions 66-77.
_OGM_TYPES = {"101", "102"}
_R_TRANSACTIONS = {"1", "2", "3", "4", "5"}  # reject, return, refund, reversal, cancellation


@dataclass
class _Movement:
    line: int
    sequence: str  # positions 3-6: the movement's sequence number
    detail: str  # positions 7-10: 0000 for the movement, 0001... for its details
    amount: Decimal  # signed
    value_date: dt.date | None
    booking_date: dt.date
    transaction_code: str  # positions 54-61: type, family, transaction, category
    bank_reference: str
    structured: bool
    communication: str  # raw, continued over 2.2 and 2.3
    customer_reference: str = ""
    bic: str = ""
    r_transaction: str = ""
    return_reason: str = ""
    account: str = ""
    name: str = ""

    @property
    def globalised(self) -> bool:
        return self.transaction_code[:1] in ("1", "2", "3")


@dataclass
class _Statement:
    line: int
    account: str = ""
    currency: str = ""
    number: str = ""
    opening: tuple[Decimal, dt.date] | None = None
    closing: tuple[Decimal, dt.date] | None = None
    movements: list[_Movement] | None = None


def parse_coda(data: bytes, file_name: str) -> list[ParsedStatement]:
    """Every statement of a CODA file, in file order."""
    text = decode_text(data)
    statements: list[_Statement] = []
    current: _Statement | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        if len(line) != RECORD_LENGTH:
            raise StatementFormatError(
                file_name,
                where,
                f"a CODA record has {RECORD_LENGTH} characters, this one has {len(line)}",
            )
        kind = line[0]
        if kind == "0":
            if line[127] != "2":
                raise StatementFormatError(
                    file_name,
                    f"{where}, position 128",
                    f"CODA version {line[127]!r}; only version 2 is read",
                )
            current = _Statement(line=number, movements=[])
            statements.append(current)
        elif current is None:
            raise StatementFormatError(file_name, where, "a record before the header record 0")
        elif kind == "1":
            _old_balance(line, current, where, file_name)
        elif kind == "2":
            _movement_record(line, number, current, file_name)
        elif kind == "8":
            sign = _sign(line[41], f"{where}, position 42", file_name)
            current.closing = (
                sign * _amount(line[42:57], f"{where}, positions 43-57", file_name),
                _date(line[57:63], f"{where}, positions 58-63", file_name),
            )
        elif kind == "9":
            current = None
        elif kind not in ("3", "4"):
            # 3.x tells more about a movement, 4 is a free message from the bank: neither
            # changes what was booked, so both are skipped.
            raise StatementFormatError(file_name, where, f"unknown record type {kind!r}")
    if not statements:
        raise StatementFormatError(file_name, "line 1", "no CODA header record (0)")
    return [_statement(statement, file_name) for statement in statements]


def _old_balance(line: str, statement: _Statement, where: str, file_name: str) -> None:
    structure = line[1]
    # Position 2: 0 Belgian account (12 digits), 1 foreign account, 2 Belgian IBAN, 3 foreign IBAN.
    if structure == "0":
        account, currency = line[5:17], line[18:21]
    elif structure == "2":
        account, currency = line[5:21], line[39:42]
    elif structure in ("1", "3"):
        account, currency = line[5:39], line[39:42]
    else:
        raise StatementFormatError(
            file_name, f"{where}, position 2", f"unknown account structure {structure!r}"
        )
    statement.account = clean_account(account)
    statement.currency = currency.strip()
    statement.number = line[2:5].strip()  # the (paper) statement number
    sign = _sign(line[42], f"{where}, position 43", file_name)
    statement.opening = (
        sign * _amount(line[43:58], f"{where}, positions 44-58", file_name),
        _date(line[58:64], f"{where}, positions 59-64", file_name),
    )


def _movement_record(line: str, number: int, statement: _Statement, file_name: str) -> None:
    where = f"line {number}"
    article = line[1]
    movements = statement.movements
    if article == "1":
        sign = _sign(line[31], f"{where}, position 32", file_name)
        value_date = None
        if line[47:53] != "000000":
            value_date = _date(line[47:53], f"{where}, positions 48-53", file_name)
        movements.append(
            _Movement(
                line=number,
                sequence=line[2:6],
                detail=line[6:10],
                amount=sign * _amount(line[32:47], f"{where}, positions 33-47", file_name),
                value_date=value_date,
                booking_date=_date(line[115:121], f"{where}, positions 116-121", file_name),
                transaction_code=line[53:61],
                bank_reference=clean_text(line[10:31]),
                structured=line[61] == "1",
                communication=line[62:115],
            )
        )
        return
    if article not in ("2", "3"):
        raise StatementFormatError(file_name, where, f"unknown movement record 2.{article}")
    if not movements or movements[-1].sequence != line[2:6] or movements[-1].detail != line[6:10]:
        raise StatementFormatError(
            file_name,
            where,
            f"record 2.{article} of movement {line[2:6]}/{line[6:10]} does not follow its 2.1",
        )
    movement = movements[-1]
    if article == "2":
        movement.communication += line[10:63]
        movement.customer_reference = clean_text(line[63:98])
        movement.bic = clean_account(line[98:109])
        movement.r_transaction = line[112].strip()
        movement.return_reason = line[113:117].strip()
    else:
        # Positions 11-47: an IBAN (34) and currency, or a Belgian 12-digit account, a blank
        # and its currency.
        movement.account = clean_account(line[10:22] if line[22] == " " else line[10:44])
        movement.name = clean_text(line[47:82])
        movement.communication += line[82:125]


def _statement(statement: _Statement, file_name: str) -> ParsedStatement:
    if statement.opening is None:
        raise StatementFormatError(
            file_name, f"line {statement.line}", "a statement without its old balance (record 1)"
        )
    entries: list[ParsedEntry] = []
    groups: dict[str, list[_Movement]] = {}
    for movement in statement.movements:
        groups.setdefault(movement.sequence, []).append(movement)
    for group in groups.values():
        main, details = group[0], group[1:]
        if (
            main.detail == "0000"
            and main.globalised
            and details
            and sum(detail.amount for detail in details) == main.amount
        ):
            entries.extend(_entry(detail, statement.currency) for detail in details)
        else:
            entries.append(_entry(main, statement.currency))
    return ParsedStatement(
        file_format="coda",
        account_iban=statement.account,
        currency=statement.currency,
        statement_number=statement.number,
        opening_date=statement.opening[1],
        opening_balance=statement.opening[0],
        closing_date=statement.closing[1] if statement.closing else None,
        closing_balance=statement.closing[0] if statement.closing else None,
        entries=tuple(entries),
    )


def _entry(movement: _Movement, currency: str) -> ParsedEntry:
    communication = movement.communication
    structured_reference = remittance = ""
    if movement.structured:
        kind = communication[:3]
        if kind in _OGM_TYPES:
            structured_reference = communication[3:15].strip()
            remittance = clean_text(communication[15:])
        else:
            # Other structured types (card payments, direct debits, ...) keep their text.
            remittance = clean_text(communication[3:])
    else:
        remittance = clean_text(communication)
    account = movement.account
    iban, counterparty_account = (account, "") if looks_like_iban(account) else ("", account)
    return_reason = movement.return_reason if movement.r_transaction in _R_TRANSACTIONS else ""
    return ParsedEntry(
        booking_date=movement.booking_date,
        value_date=movement.value_date,
        amount=movement.amount,
        currency=currency,
        counterparty_name=movement.name,
        counterparty_iban=iban,
        counterparty_bic=movement.bic,
        counterparty_account=counterparty_account,
        remittance=remittance,
        structured_reference=structured_reference,
        end_to_end_id=movement.customer_reference,
        return_reason=return_reason,
        bank_reference=movement.bank_reference,
        transaction_code=movement.transaction_code,
        is_reversal=movement.r_transaction in _R_TRANSACTIONS,
        where=f"line {movement.line}",
    )


def _sign(value: str, where: str, file_name: str) -> int:
    if value == "0":
        return 1
    if value == "1":
        return -1
    raise StatementFormatError(file_name, where, f"sign {value!r} is neither 0 (credit) nor 1")


def _amount(value: str, where: str, file_name: str) -> Decimal:
    """Fifteen digits, the last three decimals; an amount in cents keeps two."""
    if not value.isdigit():
        raise StatementFormatError(file_name, where, f"amount {value!r} is not 15 digits")
    amount = Decimal(value).scaleb(-3)
    return amount.quantize(_CENT) if amount == amount.quantize(_CENT) else amount


def _date(value: str, where: str, file_name: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%d%m%y").date()
    except ValueError:
        raise StatementFormatError(file_name, where, f"{value!r} is not a date (DDMMYY)") from None
