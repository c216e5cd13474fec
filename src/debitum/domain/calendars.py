"""Business days, public holidays and statutory terms of the Netherlands and Belgium.

A "pay before" date in a letter must hold up in court: a date one day too early makes a Dutch
fourteen-day letter worthless (HR 25 November 2016, ECLI:NL:HR:2016:2704) and a Belgian reminder
unlawful (Book XIX Code of Economic Law). Where the law leaves a choice, this module takes the
reading that gives the debtor the later date, and says so.

The holidays are the days the law names, not a general calendar:

- Netherlands: the "algemeen erkende feestdagen" of art. 3 of the Algemene termijnenwet (Atw),
  Stb. 1964, 314: lid 1 New Year's Day, Easter Monday, Whit Monday, both Christmas days,
  Ascension Day, the day the King's birthday is celebrated and 5 May (every year, not only in
  lustrum years: the Atw names "de vijfde mei" without condition); lid 2 adds Good Friday
  (which a general holiday calendar such as the `holidays` package leaves out); lid 3 lets a
  royal decree equate further days ("gelijkgestelde dagen"), see `NL_EQUATED_DAYS`.
- Belgium: the ten legal holidays of the Royal Decree of 18 April 1974 (New Year, Easter
  Monday, 1 May, Ascension, Whit Monday, 21 July, 15 August, 1 November, 11 November,
  Christmas).

Everything takes explicit dates; nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Country = Literal["NL", "BE"]
Channel = Literal["post", "email"]
TermKind = Literal["fourteen-day-letter", "be-reminder"]

COUNTRIES: tuple[str, ...] = ("NL", "BE")
CHANNELS: tuple[str, ...] = ("post", "email")
TERM_KINDS: tuple[str, ...] = ("fourteen-day-letter", "be-reminder")

# The calendar is refused outside these years rather than guessed: Koningsdag, the Atw list
# and the Belgian rules all changed before 2000, and no receivable here is older.
FIRST_YEAR, LAST_YEAR = 2000, 2199

ONE_DAY = dt.timedelta(days=1)
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SATURDAY, SUNDAY, MONDAY = 5, 6, 0


class CalendarError(ValueError):
    """A date, country, channel or term this module cannot answer for."""


# Days equated with a generally recognised holiday by royal decree (art. 3 lid 3 Atw). Source:
# "Besluit gelijkstelling van 28 april 2023, 19 mei 2023, 10 mei 2024, 27 december 2024 en
# 30 mei 2025 met een algemeen erkende feestdag" and "Besluit gelijkstelling van 2 januari 2026,
# 15 mei 2026, 7 mei 2027, 28 april 2028 en 26 mei 2028 met een algemeen erkende feestdag"
# (Staatscourant). A new decree appears every three years; add its days here.
NL_EQUATED_DAYS: dict[dt.date, str] = {
    dt.date(2023, 4, 28): "gelijkgestelde dag (Besluit gelijkstelling 2023-2025)",
    dt.date(2023, 5, 19): "gelijkgestelde dag (Besluit gelijkstelling 2023-2025)",
    dt.date(2024, 5, 10): "gelijkgestelde dag (Besluit gelijkstelling 2023-2025)",
    dt.date(2024, 12, 27): "gelijkgestelde dag (Besluit gelijkstelling 2023-2025)",
    dt.date(2025, 5, 30): "gelijkgestelde dag (Besluit gelijkstelling 2023-2025)",
    dt.date(2026, 1, 2): "gelijkgestelde dag (Besluit gelijkstelling 2026-2028)",
    dt.date(2026, 5, 15): "gelijkgestelde dag (Besluit gelijkstelling 2026-2028)",
    dt.date(2027, 5, 7): "gelijkgestelde dag (Besluit gelijkstelling 2026-2028)",
    dt.date(2028, 4, 28): "gelijkgestelde dag (Besluit gelijkstelling 2026-2028)",
    dt.date(2028, 5, 26): "gelijkgestelde dag (Besluit gelijkstelling 2026-2028)",
}
NL_EQUATED_DAYS_YEARS = range(2023, 2029)

# Delivery assumptions (named, so that a letter can state them and a change is one line).
#
# NL post: a letter is deemed delivered on the second day after posting, not counting Sundays,
# Mondays and holidays (PostNL delivers letters Tuesday to Saturday). This is the presumption
# the Hoge Raad accepts for the fourteen-day letter (HR 25 November 2016,
# ECLI:NL:HR:2016:2704, answer to the preliminary questions).
NL_POST_DELIVERY_DAYS = 2
NL_POST_NO_DELIVERY_WEEKDAYS = frozenset({SUNDAY, MONDAY})
# NL e-mail: deemed received the day after sending. An e-mail reaches the debtor when it
# arrives (art. 3:37 lid 3 BW), usually the same day; counting from the next day costs the
# creditor one day, while a term counted one day too short makes the whole letter void.
NL_EMAIL_DELIVERY_DAYS = 1
# BE: art. XIX.2 Code of Economic Law fixes the start itself: the 14 days start on the third
# working day after a paper reminder was posted, or on the day after an electronic one.
BE_POST_START_WORKING_DAYS = 3
BE_EMAIL_START_DAYS = 1

NL_FOURTEEN_DAY_TERM_DAYS = 14  # art. 6:96 lid 6 BW
BE_REMINDER_TERM_DAYS = 14  # art. XIX.2 WER: fourteen calendar days


def easter_sunday(year: int) -> dt.date:
    """Western (Gregorian) Easter Sunday, by the anonymous Gregorian algorithm (Meeus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _check_country(country: str) -> str:
    normalised = (country or "").strip().upper()
    if normalised not in COUNTRIES:
        raise CalendarError(f"unknown country {country!r} (use NL or BE)")
    return normalised


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarError(f"no holiday calendar for {year} (known: {FIRST_YEAR}-{LAST_YEAR})")


def _check_date(day: dt.date, name: str = "date") -> None:
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise CalendarError(f"{name} must be a date, not {type(day).__name__}")


def _king_day(year: int) -> tuple[dt.date, str]:
    # Since 2014 Koningsdag is 27 April, or 26 April when the 27th is a Sunday; from 1980 to
    # 2013 Koninginnedag was 30 April, or 29 April when the 30th was a Sunday.
    if year >= 2014:
        day = dt.date(year, 4, 27)
        return (day - ONE_DAY if day.weekday() == SUNDAY else day), "Koningsdag"
    day = dt.date(year, 4, 30)
    return (day - ONE_DAY if day.weekday() == SUNDAY else day), "Koninginnedag"


def _predicted_equated_days(year: int, holidays: dict[dt.date, str]) -> dict[dt.date, str]:
    # Years without a known decree: the decrees of 2023-2028 equate exactly the Friday after
    # New Year's Day, Koningsdag, Ascension Day and Boxing Day when those fall on a Thursday.
    # Assuming the same keeps a term at least as long as the law makes it, never shorter.
    predicted = {}
    candidates = [dt.date(year, 1, 1), _king_day(year)[0], dt.date(year, 12, 26)]
    candidates.append(easter_sunday(year) + dt.timedelta(days=39))
    for day in candidates:
        if day.weekday() == 3 and day + ONE_DAY not in holidays:
            predicted[day + ONE_DAY] = "gelijkgestelde dag (voorspeld: geen besluit bekend)"
    return predicted


@lru_cache(maxsize=512)
def _holidays(year: int, country: str) -> dict[dt.date, str]:
    _check_year(year)
    easter = easter_sunday(year)
    if country == "NL":
        king_day, king_name = _king_day(year)
        days = {
            dt.date(year, 1, 1): "Nieuwjaarsdag",
            easter - 2 * ONE_DAY: "Goede Vrijdag (art. 3 lid 2 Atw)",
            easter + ONE_DAY: "Tweede Paasdag",
            king_day: king_name,
            dt.date(year, 5, 5): "vijfde mei (Bevrijdingsdag)",
            easter + 39 * ONE_DAY: "Hemelvaartsdag",
            easter + 50 * ONE_DAY: "Tweede Pinksterdag",
            dt.date(year, 12, 25): "Eerste Kerstdag",
            dt.date(year, 12, 26): "Tweede Kerstdag",
        }
        if year in NL_EQUATED_DAYS_YEARS:
            equated = {day: name for day, name in NL_EQUATED_DAYS.items() if day.year == year}
        else:
            equated = _predicted_equated_days(year, days)
        # Ascension Day can fall on 5 May; keep the first name.
        return {**equated, **days}
    return {
        dt.date(year, 1, 1): "Nieuwjaar / Nouvel An",
        easter + ONE_DAY: "Paasmaandag / Lundi de Pâques",
        dt.date(year, 5, 1): "Feest van de Arbeid / Fête du Travail",
        easter + 39 * ONE_DAY: "O.L.H. Hemelvaart / Ascension",
        easter + 50 * ONE_DAY: "Pinkstermaandag / Lundi de Pentecôte",
        dt.date(year, 7, 21): "Nationale feestdag / Fête nationale",
        dt.date(year, 8, 15): "O.L.V. Hemelvaart / Assomption",
        dt.date(year, 11, 1): "Allerheiligen / Toussaint",
        dt.date(year, 11, 11): "Wapenstilstand / Armistice",
        dt.date(year, 12, 25): "Kerstmis / Noël",
    }


def public_holidays(year: int, country: str) -> dict[dt.date, str]:
    """The holidays that stop a term in `country` in `year`, by date, with their names.

    NL: art. 3 Atw (including Good Friday, 5 May every year, and equated days); BE: the legal
    holidays of the Royal Decree of 18 April 1974.
    """
    return dict(sorted(_holidays(year, _check_country(country)).items()))


def holiday_name(day: dt.date, country: str) -> str | None:
    """The name of the holiday on `day`, or None."""
    _check_date(day)
    return _holidays(day.year, _check_country(country)).get(day)


def is_public_holiday(day: dt.date, country: str) -> bool:
    return holiday_name(day, country) is not None


def is_business_day(day: dt.date, country: str) -> bool:
    """Not a Saturday, a Sunday or a holiday of `public_holidays`."""
    _check_date(day)
    return day.weekday() < SATURDAY and not is_public_holiday(day, country)


def next_business_day(day: dt.date, country: str) -> dt.date:
    """The first business day strictly after `day`."""
    _check_date(day)
    candidate = day + ONE_DAY
    while not is_business_day(candidate, country):
        candidate += ONE_DAY
    return candidate


def add_business_days(day: dt.date, count: int, country: str) -> dt.date:
    """The `count`-th business day after `day` (`day` itself when count is 0)."""
    _check_date(day)
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise CalendarError(f"count must be a whole number of days >= 0, not {count!r}")
    for _ in range(count):
        day = next_business_day(day, country)
    return day


def extend_to_business_day(day: dt.date, country: str) -> dt.date:
    """The last day of a statutory term that ends on `day`, after extension.

    NL: art. 1 lid 1 Atw: a term that ends on a Saturday, Sunday or generally recognised
    holiday is extended to the next day that is none of these. BE: art. 1.7 of Book 1 of the
    Civil Code gives the same rule for a term's last day ("vervaldag") in calendar days.
    """
    return day if is_business_day(day, country) else next_business_day(day, country)


def deemed_delivery_date(sent_date: dt.date, channel: str, country: str) -> dt.date:
    """The day a letter sent on `sent_date` is deemed received (see the constants above).

    NL post: the second day after posting, not counting Sundays, Mondays and holidays. NL
    e-mail: the next day. BE: the day before the Book XIX term starts, since the law fixes the
    start rather than the delivery (the start is the third working day after posting, or the
    day after an e-mail was sent).
    """
    _check_date(sent_date, "sent date")
    country = _check_country(country)
    channel = _check_channel(channel)
    if country == "NL":
        if channel == "email":
            return sent_date + NL_EMAIL_DELIVERY_DAYS * ONE_DAY
        day, counted = sent_date, 0
        while counted < NL_POST_DELIVERY_DAYS:
            day += ONE_DAY
            if day.weekday() not in NL_POST_NO_DELIVERY_WEEKDAYS and not is_public_holiday(
                day, "NL"
            ):
                counted += 1
        return day
    return _be_term_start(sent_date, channel) - ONE_DAY


def _be_term_start(sent_date: dt.date, channel: str) -> dt.date:
    if channel == "post":
        return add_business_days(sent_date, BE_POST_START_WORKING_DAYS, "BE")
    return sent_date + BE_EMAIL_START_DAYS * ONE_DAY


def _check_channel(channel: str) -> str:
    normalised = (channel or "").strip().lower()
    if normalised == "e-mail":
        normalised = "email"
    if normalised not in CHANNELS:
        raise CalendarError(f"unknown channel {channel!r} (use post or email)")
    return normalised


@dataclass(frozen=True, slots=True)
class StatutoryTerm:
    """A term to pay after a letter, with every step of its computation.

    `last_day_to_pay` is the "pay before" date to print (the debtor may pay on that day);
    `first_default_date` is the first day on which the consequences (costs, damages) arise.
    """

    kind: str
    country: str
    channel: str
    sent_date: dt.date
    received_date: dt.date
    start_date: dt.date
    days: int
    end_date: dt.date
    last_day_to_pay: dt.date
    first_default_date: dt.date
    article: str
    reasons: tuple[str, ...]


def _describe(day: dt.date, country: str) -> str:
    name = holiday_name(day, country)
    weekday = WEEKDAY_NAMES[day.weekday()]
    return f"{day.isoformat()} ({weekday}{', ' + name if name else ''})"


def nl_fourteen_day_letter_term(sent_date: dt.date, *, channel: str) -> StatutoryTerm:
    """The term of a Dutch fourteen-day letter (art. 6:96 lid 6 BW) sent on `sent_date`.

    The fourteen days start on the day after the letter is received (HR 25 November 2016,
    ECLI:NL:HR:2016:2704); a term ending on a weekend or holiday is extended (art. 1 Atw).
    The collection costs become due on `first_default_date`.
    """
    _check_date(sent_date, "sent date")
    channel = _check_channel(channel)
    received = deemed_delivery_date(sent_date, channel, "NL")
    start = received + ONE_DAY
    end = received + NL_FOURTEEN_DAY_TERM_DAYS * ONE_DAY
    last_day = extend_to_business_day(end, "NL")
    if channel == "post":
        delivery = (
            f"posted {_describe(sent_date, 'NL')}; deemed delivered on the second day after "
            "posting, not counting Sundays, Mondays and holidays (HR 25 November 2016, "
            f"ECLI:NL:HR:2016:2704): {_describe(received, 'NL')}"
        )
    else:
        delivery = (
            f"e-mailed {_describe(sent_date, 'NL')}; deemed received the next day "
            f"(assumption, see docs/law/calendars.md): {_describe(received, 'NL')}"
        )
    reasons = [
        delivery,
        f"the fourteen days start the day after receipt: {_describe(start, 'NL')} "
        "(art. 6:96 lid 6 BW)",
        f"the fourteenth day is {_describe(end, 'NL')}",
    ]
    if last_day != end:
        reasons.append(
            "a statutory term ending on a Saturday, Sunday or generally recognised holiday "
            f"is extended to the next day that is none of these (art. 1 Atw): {_describe(last_day, 'NL')}"
        )
    reasons.append(
        f"pay on or before {last_day.isoformat()}; collection costs are due from "
        f"{(last_day + ONE_DAY).isoformat()}"
    )
    return StatutoryTerm(
        kind="fourteen-day-letter",
        country="NL",
        channel=channel,
        sent_date=sent_date,
        received_date=received,
        start_date=start,
        days=NL_FOURTEEN_DAY_TERM_DAYS,
        end_date=end,
        last_day_to_pay=last_day,
        first_default_date=last_day + ONE_DAY,
        article="art. 6:96 lid 6 BW; art. 1 Algemene termijnenwet",
        reasons=tuple(reasons),
    )


def be_reminder_term(sent_date: dt.date, *, channel: str) -> StatutoryTerm:
    """The waiting period after a Belgian first (free) reminder to a consumer.

    Art. XIX.2 WER: fourteen calendar days, starting on the third working day after a paper
    reminder was posted, or on the day after an electronic one. No damages, costs or interest
    may be claimed before `first_default_date`. "Working day" is read as Monday to Friday
    except legal holidays; counting Saturdays would give an earlier start, so this reading is
    the safe one. A last day on a weekend or holiday moves to the next working day (art. 1.7
    Civil Code, Book 1).
    """
    _check_date(sent_date, "sent date")
    channel = _check_channel(channel)
    start = _be_term_start(sent_date, channel)
    if channel == "post":
        opening = (
            f"posted {_describe(sent_date, 'BE')}; the fourteen days start on the third "
            f"working day after posting (art. XIX.2 WER): {_describe(start, 'BE')}"
        )
    else:
        opening = (
            f"e-mailed {_describe(sent_date, 'BE')}; the fourteen days start the day after "
            f"sending (art. XIX.2 WER): {_describe(start, 'BE')}"
        )
    end = start + (BE_REMINDER_TERM_DAYS - 1) * ONE_DAY
    last_day = extend_to_business_day(end, "BE")
    reasons = [opening, f"the fourteenth calendar day is {_describe(end, 'BE')}"]
    if last_day != end:
        reasons.append(
            "a last day on a Saturday, Sunday or legal holiday moves to the next working day "
            f"(art. 1.7 Civil Code): {_describe(last_day, 'BE')}"
        )
    reasons.append(
        f"pay on or before {last_day.isoformat()}; damages and interest may be claimed from "
        f"{(last_day + ONE_DAY).isoformat()}"
    )
    return StatutoryTerm(
        kind="be-reminder",
        country="BE",
        channel=channel,
        sent_date=sent_date,
        received_date=start - ONE_DAY,
        start_date=start,
        days=BE_REMINDER_TERM_DAYS,
        end_date=end,
        last_day_to_pay=last_day,
        first_default_date=last_day + ONE_DAY,
        article="art. XIX.2 WER (Book XIX Code of Economic Law); art. 1.7 Civil Code",
        reasons=tuple(reasons),
    )


def statutory_term(sent_date: dt.date, *, kind: str, channel: str) -> StatutoryTerm:
    """The term after a letter of `kind` ("fourteen-day-letter" or "be-reminder")."""
    if kind == "fourteen-day-letter":
        return nl_fourteen_day_letter_term(sent_date, channel=channel)
    if kind == "be-reminder":
        return be_reminder_term(sent_date, channel=channel)
    raise CalendarError(f"unknown term {kind!r} (use {' or '.join(TERM_KINDS)})")
