"""Amounts, dates and labels in the letter's language, and the plain text of an HTML e-mail.

Amounts and dates come from CLDR through babel, in the locale of the language and the
administration's country (nl_NL, nl_BE, fr_BE, ...): "€ 1.234,56" in Dutch, "1.234,56 €" in
French, "€1,234.56" in English.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html.parser import HTMLParser

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

LANGUAGES = ("nl", "fr", "en")
FALLBACK_LANGUAGE = "en"

# CLDR writes French thousands with a narrow no-break space (1 234,56 €). Belgian banks, the
# FPS Finance and Belgian business letters in French write 1.234,56 €, which is also how the
# same debtor reads the Dutch letter: Debitum writes the dot.
_FRENCH_GROUP = "\u202f"


def letter_language(language: str | None, fallback: str | None = None) -> str:
    """The language of a letter: the customer's, else the administration's, else English."""
    for candidate in (language, fallback):
        if candidate and candidate.lower() in LANGUAGES:
            return candidate.lower()
    return FALLBACK_LANGUAGE


def letter_locale(language: str, country: str) -> str:
    """The babel locale of a letter in `language` from an administration in `country`."""
    if language == "en":
        return "en_GB"  # day month year, as read in the Netherlands and Belgium
    if language == "fr":
        return "fr_BE" if country == "BE" else "fr_FR"
    return "nl_BE" if country == "BE" else "nl_NL"


def money(amount: Decimal, currency: str, locale: str) -> str:
    """An amount with its currency, e.g. "€ 1.234,56" (nl), "1.234,56 €" (fr), "€1,234.56" (en)."""
    if isinstance(amount, float):
        raise TypeError("amounts are Decimals, not floats")
    text = format_currency(Decimal(amount), currency, locale=locale)
    if locale.startswith("fr"):
        text = text.replace(_FRENCH_GROUP, ".")
    return text


def number(value: Decimal, locale: str, *, places: int = 2) -> str:
    """A number with the locale's separators and `places` decimals (a rate, a base)."""
    pattern = "#,##0." + "0" * places if places else "#,##0"
    text = format_decimal(Decimal(value), format=pattern, locale=locale)
    if locale.startswith("fr"):
        text = text.replace(_FRENCH_GROUP, ".")
    return text


def day(value: dt.date | None, locale: str) -> str:
    """A date written out: "1 maart 2025", "1 mars 2025", "1 March 2025"."""
    return "" if value is None else format_date(value, format="long", locale=locale)


def short_day(value: dt.date | None, locale: str) -> str:
    """A date in a table: "01-03-2025" (nl), "01/03/2025" (fr, en)."""
    if value is None:
        return ""
    separator = "-" if locale.startswith("nl") else "/"
    return value.strftime(f"%d{separator}%m{separator}%Y")


class _TextExtractor(HTMLParser):
    """HTML to readable plain text: paragraphs and rows on lines of their own, cells apart."""

    BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "table", "ul", "ol", "address", "section"}
    SKIP = {"style", "script", "head", "title", "svg"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.cells_in_row = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "tr":
            self.parts.append("\n")
            self.cells_in_row = 0
        elif tag in ("td", "th"):
            if self.cells_in_row:
                self.parts.append("  ")
            self.cells_in_row += 1
        elif tag == "li":
            self.parts.append("\n- ")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """The plain-text part of an e-mail, derived from its HTML."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = [line.strip() for line in "".join(extractor.parts).splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
