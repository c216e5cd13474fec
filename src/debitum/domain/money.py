"""Money as a value: a `Decimal` amount with a currency.

Rounding happens in one named place, `quantize`, with ROUND_HALF_UP to the currency's minor
unit. Floats are refused: 0.1 + 0.2 is not 0.3, and a ledger must add up to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# ISO 4217 minor units of the currencies a Dutch or Belgian ledger meets. A currency missing
# here is refused rather than guessed.
MINOR_UNITS: dict[str, int] = {
    "EUR": 2,
    "USD": 2,
    "GBP": 2,
    "CHF": 2,
    "SEK": 2,
    "NOK": 2,
    "DKK": 2,
    "PLN": 2,
    "CZK": 2,
    "HUF": 2,
    "RON": 2,
    "BGN": 2,
    "CAD": 2,
    "AUD": 2,
    "NZD": 2,
    "CNY": 2,
    "HKD": 2,
    "SGD": 2,
    "TRY": 2,
    "ZAR": 2,
    "MAD": 2,
    "AED": 2,
    "INR": 2,
    "BRL": 2,
    "MXN": 2,
    "JPY": 0,
    "KRW": 0,
    "ISK": 0,
}


class MoneyError(ValueError):
    """An amount or currency that cannot be money."""


class CurrencyMismatch(MoneyError):
    """Two amounts in different currencies were combined."""


def check_currency(code: str) -> str:
    """The ISO 4217 code, upper-cased, or MoneyError if Debitum does not know it."""
    normalised = (code or "").strip().upper()
    if normalised not in MINOR_UNITS:
        raise MoneyError(f"unknown currency {code!r}")
    return normalised


def quantize(amount: Decimal, currency: str = "EUR") -> Decimal:
    """Round to the currency's minor unit, half up (0.005 -> 0.01)."""
    if not isinstance(amount, Decimal):
        raise MoneyError(f"money must be a Decimal, not {type(amount).__name__}")
    exponent = Decimal(1).scaleb(-MINOR_UNITS[check_currency(currency)])
    return amount.quantize(exponent, rounding=ROUND_HALF_UP)


def to_minor_units(amount: Decimal, currency: str = "EUR") -> int:
    """Whole minor units (cents) of an amount that is already exact to the minor unit."""
    places = MINOR_UNITS[check_currency(currency)]
    scaled = amount.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise MoneyError(f"{amount} has more than {places} decimals for {currency}")
    return int(scaled)


def from_minor_units(minor: int, currency: str = "EUR") -> Decimal:
    places = MINOR_UNITS.get(currency)
    if places is None:
        places = MINOR_UNITS[check_currency(currency)]
    if type(minor) is int:
        # An integer moved `places` to the right has exactly `places` decimals already: the
        # quantize below would change nothing (reports convert tens of thousands of these).
        return Decimal(minor).scaleb(-places)
    return Decimal(minor).scaleb(-places).quantize(Decimal(1).scaleb(-places))


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise MoneyError(f"money must be a Decimal, not {type(self.amount).__name__}")
        object.__setattr__(self, "currency", check_currency(self.currency))

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal("0"), currency)

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise MoneyError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency} cannot be combined")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def quantized(self) -> Money:
        return Money(quantize(self.amount, self.currency), self.currency)

    def __str__(self) -> str:
        return f"{self.currency} {quantize(self.amount, self.currency)}"


def parse_amount(text: str, *, places: int = 2) -> Decimal:
    """An amount as people type it: `1234.56`, `1234,56`, `1.234,56`, `1,234.56`, `-12,5`.

    A lone comma is a Dutch decimal comma. With both separators, the last one is the decimal
    separator and the other groups thousands. More decimals than the currency has is an error,
    not a silent rounding: an import must not change an amount.
    """
    if text is None:
        raise MoneyError("no amount")
    cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "").replace("€", "")
    if not cleaned:
        raise MoneyError("no amount")
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    if cleaned.endswith("-"):
        negative, cleaned = True, cleaned[:-1]
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
        whole, _, fraction = cleaned.rpartition(decimal_mark)
        head, *groups = whole.split(grouping)
        if (
            grouping in fraction
            or decimal_mark in whole
            or not all(len(group) == 3 for group in groups)
        ):
            raise MoneyError(f"{text!r} is not an amount")
        cleaned = head + "".join(groups) + "." + fraction
    elif "," in cleaned:
        if cleaned.count(",") > 1:
            raise MoneyError(f"{text!r} is not an amount")
        cleaned = cleaned.replace(",", ".")
    elif cleaned.count(".") > 1:
        # 1.234.567 : Dutch thousands separators without decimals.
        head, *groups = cleaned.split(".")
        if not all(len(group) == 3 for group in groups):
            raise MoneyError(f"{text!r} is not an amount")
        cleaned = head + "".join(groups)
    if not cleaned or not all(c.isdigit() or c in ".+-" for c in cleaned):
        raise MoneyError(f"{text!r} is not an amount")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise MoneyError(f"{text!r} is not an amount") from None
    if not amount.is_finite():
        raise MoneyError(f"{text!r} is not an amount")
    if amount.as_tuple().exponent < -places and amount != amount.quantize(
        Decimal(1).scaleb(-places)
    ):
        raise MoneyError(f"{text!r} has more than {places} decimals")
    amount = amount.quantize(Decimal(1).scaleb(-places))
    return -amount if negative else amount
