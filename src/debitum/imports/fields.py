"""Parsing one cell: text from CSV or a typed value from XLSX into what the ledger stores.

Each parser returns the value or raises ValueError with a message fit for the user.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from debitum.domain.dates import DateError, parse_date
from debitum.domain.money import MoneyError, check_currency, parse_amount


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # A number typed into a spreadsheet cell (customer 1001 becomes 1001.0).
        return str(int(value))
    return str(value).strip()


def date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(text(value))
    except DateError as error:
        raise ValueError(str(error)) from None


def amount(value) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an amount")
    if isinstance(value, int):
        return Decimal(value).quantize(Decimal("0.01"))
    if isinstance(value, float):
        # An XLSX number cell is a binary double; repr() gives the shortest text that reads back
        # as the same double (55.94, not 55.939999...), which is what the user typed.
        value = repr(value)
    if isinstance(value, Decimal):
        value = str(value)
    try:
        return parse_amount(text(value))
    except MoneyError as error:
        raise ValueError(str(error)) from None


def currency(value) -> str:
    try:
        return check_currency(text(value))
    except MoneyError as error:
        raise ValueError(str(error)) from None


def whole_number(value, *, minimum: int = 0, maximum: int = 10_000) -> int:
    raw = text(value)
    if not raw.isdigit() or not minimum <= int(raw) <= maximum:
        raise ValueError(f"{raw!r} is not a whole number from {minimum} to {maximum}")
    return int(raw)


def choice(value, allowed: dict[str, str]) -> str:
    """One of `allowed` (keys are accepted spellings, lower case; values what is stored)."""
    raw = text(value).lower()
    if raw not in allowed:
        raise ValueError(
            f"{text(value)!r} is not one of {', '.join(sorted(set(allowed.values())))}"
        )
    return allowed[raw]
