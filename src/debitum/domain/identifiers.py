"""Company and bank identifiers, checked with python-stdnum and schwifty.

Each function returns the compact, canonical form or raises IdentifierError with the reason.
"""

from __future__ import annotations

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.be import vat as be_vat
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError


class IdentifierError(ValueError):
    """A number that fails its format or check digits."""


def _check(module, value: str, what: str) -> str:
    try:
        return module.validate(value)
    except ValidationError as error:
        raise IdentifierError(f"{value!r} is not a valid {what}: {error.message}") from None


def vat_number(value: str) -> str:
    """An EU VAT number with its country prefix, e.g. NL004495445B01 or BE0403170701."""
    return _check(eu_vat, value, "EU VAT number")


def enterprise_number(value: str) -> str:
    """A Belgian enterprise number (KBO/BCE): 10 digits with a mod-97 check.

    It is the Belgian VAT number without the BE prefix, so stdnum's `be.vat` checks it.
    """
    return _check(be_vat, value, "Belgian enterprise number")


def kvk_number(value: str) -> str:
    """A Dutch Chamber of Commerce (KvK) number: 8 digits.

    python-stdnum has no KvK module, and since 2016 KvK numbers carry no check digit (KvK,
    "Het KVK-nummer", kvk.nl), so the format is all there is to check.
    """
    compact = "".join(c for c in str(value) if not c.isspace() and c not in ".-")
    if len(compact) != 8 or not compact.isdigit():
        raise IdentifierError(f"{value!r} is not a valid KvK number: it must be 8 digits")
    return compact


def iban(value: str) -> str:
    try:
        return IBAN(value).compact
    except SchwiftyException as error:
        raise IdentifierError(f"{value!r} is not a valid IBAN: {error}") from None
