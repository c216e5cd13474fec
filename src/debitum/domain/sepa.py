"""SEPA direct debit rules: creditor identifiers, collection dates, identifiers and text.

Sources:
- Creditor identifier: EPC262-08 "Creditor Identifier Overview" (European Payments Council),
  section 3 and 7. Positions 1-2 the ISO country code, 3-4 check digits by ISO 7064 MOD 97-10,
  5-7 the creditor business code (ZZZ when unused), from 8 on the national identifier (at most
  35 characters in all). The check digits are computed over the national identifier followed by
  the country code and "00"; the business code is always left out, so a creditor may change it
  without new check digits. Worked example in the Dutch banks' guide (NVB): KvK 40536533, location
  0000 -> NL51ZZZ405365330000. A few countries (e.g. Finland) use a check of their own; this
  module applies the EPC's general rule, which is the rule of the Netherlands and Belgium.
- Presentation: since 20 November 2016 (SDD Core rulebook 9.0, SDD B2B rulebook 7.0) every
  collection, first, recurrent or one-off, may reach the debtor's bank up to one inter-bank
  business day before its due date (D-1); before that a first or one-off Core collection needed
  D-5 and a recurrent one D-2. Inter-bank business days are the days TARGET2 is open: Monday to
  Friday except New Year's Day, Good Friday, Easter Monday, 1 May and 25 and 26 December (ECB,
  TARGET2 closing days), which the `holidays` package has as the "ECB" financial calendar.
- Mandate expiry: a mandate for which no collection was presented for 36 months, counted from
  the due date of the latest collection even if it was refused, rejected, returned or
  refunded, lapses and must not be used (SDD rulebooks; Banque de France, FAQ "Le prélèvement
  SEPA"; ABN AMRO, "Timescales SEPA Direct Debit"). A mandate never used is counted from its
  signature: the cautious reading.
- Characters: the EPC implementation guidelines restrict the content to the Latin character
  set a-z A-Z 0-9 / - ? : ( ) . , ' + and space, and identifiers (message, payment, end-to-end
  and mandate ids) must not start or end with '/' nor contain '//' (EPC clarification paper on
  the use of slashes in references, identifications and identifiers).

Everything takes explicit dates; nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

import holidays

from .calendars import WEEKDAY_NAMES

ONE_DAY = dt.timedelta(days=1)

# Inter-bank business days a collection must reach the debtor's bank before its due date, per
# scheme (SDD Core rulebook 9.0 and B2B rulebook 7.0, effective 20 November 2016).
PRESENTATION_DAYS = {"CORE": 1, "B2B": 1}
# A mandate lapses after this many months without a collection (SDD rulebooks).
MANDATE_LAPSE_MONTHS = 36

MAX_ID_LENGTH = 35
# The EPC's Latin character set, as a regular expression class (without the space).
_LATIN = r"A-Za-z0-9/\-?:().,'+"
_IDENTIFIER = re.compile(rf"^[{_LATIN}]{{1,{MAX_ID_LENGTH}}}$")
_CREDITOR_ID = re.compile(r"^([A-Z]{2})([0-9]{2})([A-Z0-9]{3})([A-Z0-9]{1,28})$")


class SepaError(ValueError):
    """A creditor identifier, mandate id or collection date that SEPA refuses."""


def _mod97(text: str) -> int:
    """The remainder of `text` (letters as A=10 ... Z=35) divided by 97 (ISO 7064 MOD 97-10)."""
    return int("".join(str(int(character, 36)) for character in text)) % 97


def creditor_identifier_check_digits(country: str, national_identifier: str) -> str:
    """The two check digits of a creditor identifier (EPC262-08, section 7)."""
    national = "".join(c for c in national_identifier.upper() if c.isalnum())
    return f"{98 - _mod97(national + country.upper() + '00'):02d}"


def creditor_identifier(value: str) -> str:
    """A SEPA creditor identifier (Incassant ID, identifiant créancier), compact and upper case.

    Raises SepaError naming what is wrong: the format or the check digits.
    """
    compact = "".join(str(value).split()).upper()
    match = _CREDITOR_ID.match(compact)
    if match is None or len(compact) > MAX_ID_LENGTH:
        raise SepaError(
            f"{value!r} is not a SEPA creditor identifier: it is a country code, two check "
            "digits, a three-character business code (ZZZ when unused) and the national "
            "identifier, at most 35 letters and digits (e.g. NL51ZZZ405365330000)"
        )
    country, digits, _business_code, national = match.groups()
    expected = creditor_identifier_check_digits(country, national)
    if digits != expected:
        raise SepaError(
            f"{value!r} is not a SEPA creditor identifier: the check digits are {digits}, the "
            f"identifier needs {expected} (ISO 7064 MOD 97-10 over the national part, EPC262-08)"
        )
    return compact


def sepa_identifier(value: str, what: str = "identifier") -> str:
    """A mandate id or other SEPA identifier: 1-35 characters of the Latin set, no spaces, not
    starting or ending with '/' and without '//'. Raises SepaError."""
    text = str(value).strip()
    if not _IDENTIFIER.match(text):
        raise SepaError(
            f"{what} {value!r} must be 1-35 characters: letters, digits and / - ? : ( ) . , ' +"
            " (no spaces or accents)"
        )
    if text.startswith("/") or text.endswith("/") or "//" in text:
        raise SepaError(f"{what} {value!r} must not start or end with '/' nor contain '//'")
    return text


def sepa_text(value: str, max_length: int) -> str:
    """Free text (a name, a remittance line) in the Latin character set: accents dropped,
    '&' as '+', any other character outside the set as a space, cut at `max_length`."""
    text = unicodedata.normalize("NFKD", str(value).replace("ß", "ss").replace("&", "+"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(rf"[^{_LATIN} ]", " ", text)
    return " ".join(text.split())[:max_length].strip()


def end_to_end_id(*, prefix: str, sequence: int, invoice_number: str) -> str:
    """The end-to-end id of one collection: `prefix` (unique per file), the item's number in the
    file and as much of the invoice number as fits in 35 characters.

    The prefix and sequence alone make it unique; the invoice number is there for the person
    reading a bank statement. Characters outside the set become '-', and no '//' is left.
    """
    head = f"{prefix}-{sequence}"
    if len(head) > MAX_ID_LENGTH - 2:
        raise SepaError(f"end-to-end id prefix {prefix!r} is too long")
    tail = re.sub(r"[^A-Za-z0-9\-.]", "-", invoice_number).strip("-")
    if not tail:
        return head
    return (f"{head}-{tail}")[:MAX_ID_LENGTH].rstrip("-")


@lru_cache(maxsize=64)
def target_closing_days(year: int) -> dict[dt.date, str]:
    """The days TARGET2 is closed in `year` besides weekends, with their names."""
    return dict(sorted(holidays.financial_holidays("ECB", years=year).items()))


def is_target_business_day(day: dt.date) -> bool:
    """An inter-bank business day: TARGET2 is open (not a weekend nor a closing day)."""
    return day.weekday() < 5 and day not in target_closing_days(day.year)


def next_target_business_day(day: dt.date) -> dt.date:
    """The first inter-bank business day after `day`."""
    day += ONE_DAY
    while not is_target_business_day(day):
        day += ONE_DAY
    return day


def mandate_lapse_date(last_used: dt.date) -> dt.date:
    """The last day a mandate last used (or signed) on `last_used` may still be collected on:
    36 months later (29 February counts on to 28 February)."""
    years = MANDATE_LAPSE_MONTHS // 12
    try:
        return last_used.replace(year=last_used.year + years)
    except ValueError:
        return last_used.replace(year=last_used.year + years, day=28)


def earliest_collection_date(as_of: dt.date, scheme: str = "CORE") -> dt.date:
    """The first due date a collection submitted on `as_of` can have.

    The file reaches the bank on `as_of`, or on the next business day when `as_of` is none; the
    collection must be presented PRESENTATION_DAYS business days before its due date, which
    must itself be a business day. So: never earlier than as_of plus one business day. A bank's
    own cut-off time may ask for a day more; `collection_date_check` takes a later date.
    """
    try:
        days = PRESENTATION_DAYS[scheme]
    except KeyError:
        raise SepaError(f"unknown scheme {scheme!r} (CORE or B2B)") from None
    submitted = as_of if is_target_business_day(as_of) else next_target_business_day(as_of)
    for _ in range(days):
        submitted = next_target_business_day(submitted)
    return submitted


def _describe(day: dt.date) -> str:
    if day.weekday() >= 5:
        return f"{day.isoformat()} is a {WEEKDAY_NAMES[day.weekday()]}"
    return f"{day.isoformat()} is a TARGET2 closing day ({target_closing_days(day.year)[day]})"


def collection_date_check(
    collection_date: dt.date, *, as_of: dt.date, scheme: str = "CORE"
) -> dt.date:
    """`collection_date` when a file made on `as_of` may ask for it; SepaError saying why not
    and which date is the earliest otherwise."""
    earliest = earliest_collection_date(as_of, scheme)
    if not is_target_business_day(collection_date):
        raise SepaError(
            f"collection date {_describe(collection_date)}, not an inter-bank business day; "
            f"the earliest possible date is {earliest.isoformat()}"
        )
    if collection_date < earliest:
        raise SepaError(
            f"collection date {collection_date.isoformat()} is too early for a file made on "
            f"{as_of.isoformat()}: {scheme} collections reach the debtor's bank one inter-bank "
            f"business day before (D-1); the earliest possible date is {earliest.isoformat()}"
        )
    return collection_date
