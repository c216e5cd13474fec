"""Holidays and statutory terms; each case names the rule it checks."""

import datetime as dt

import holidays
import pytest
from dateutil.easter import easter
from hypothesis import given
from hypothesis import strategies as st

from debitum.domain.calendars import (
    CalendarError,
    add_business_days,
    be_reminder_term,
    deemed_delivery_date,
    easter_sunday,
    extend_to_business_day,
    is_business_day,
    is_public_holiday,
    next_business_day,
    nl_fourteen_day_letter_term,
    public_holidays,
    statutory_term,
)

D = dt.date
days = st.dates(min_value=D(2000, 1, 1), max_value=D(2199, 11, 30))


def test_easter_matches_dateutil():
    for year in range(1900, 2300):
        assert easter_sunday(year) == easter(year), year


@pytest.mark.parametrize(
    ("day", "country", "expected", "rule"),
    [
        (D(2026, 4, 27), "NL", True, "Koningsdag 27 April (a Monday in 2026)"),
        (D(2025, 4, 26), "NL", True, "Koningsdag on the 26th: 27 April 2025 is a Sunday"),
        (D(2025, 4, 28), "NL", False, "no Koningsdag on the Monday after"),
        (D(2013, 4, 30), "NL", True, "Koninginnedag 30 April before 2014"),
        (D(2026, 4, 3), "NL", True, "Good Friday: art. 3 lid 2 Atw"),
        (D(2026, 5, 5), "NL", True, "5 May every year, not only lustrum years: art. 3 lid 1 Atw"),
        (D(2026, 5, 15), "NL", True, "Friday after Ascension: Besluit gelijkstelling 2026-2028"),
        (D(2024, 12, 27), "NL", True, "27 December 2024: Besluit gelijkstelling 2023-2025"),
        (D(2026, 5, 4), "NL", False, "4 May (Remembrance Day) is a working day"),
        (D(2026, 4, 6), "NL", True, "Easter Monday"),
        (D(2026, 7, 21), "BE", True, "Belgian national day, 21 July"),
        (D(2026, 11, 11), "BE", True, "Armistice, 11 November"),
        (D(2026, 8, 15), "BE", True, "Assumption, 15 August"),
        (D(2026, 4, 3), "BE", False, "no Good Friday in Belgium"),
        (D(2026, 4, 27), "BE", False, "no Koningsdag in Belgium"),
        (D(2026, 12, 26), "BE", False, "no Boxing Day in Belgium"),
        (D(2026, 7, 21), "NL", False, "21 July is a Dutch working day"),
    ],
)
def test_known_holidays(day, country, expected, rule):
    assert is_public_holiday(day, country) is expected, rule


def test_dutch_list_is_the_law_not_the_holidays_package():
    # Differences from `holidays` are exactly the ones the Atw makes: Good Friday, 5 May in
    # every year, and the equated days of the decrees.
    for year in (2023, 2024, 2025, 2026, 2027, 2028):
        ours = set(public_holidays(year, "NL"))
        theirs = {day for day, name in holidays.NL(years=year).items() if day.weekday() < 5}
        ours_weekdays = {day for day in ours if day.weekday() < 5}
        extra = ours_weekdays - theirs
        assert theirs - ours == set(), year
        allowed = {easter_sunday(year) - dt.timedelta(days=2), D(year, 5, 5)}
        assert {day for day in extra if day not in allowed} == {
            day for day in ours if "gelijkgestelde" in public_holidays(year, "NL")[day]
        }, year


def test_belgian_list_matches_the_holidays_package():
    for year in range(2000, 2040):
        ours = set(public_holidays(year, "BE"))
        theirs = {
            day for day in holidays.BE(years=year) if day.weekday() != 6
        }  # Easter and Whit Sunday are Sundays anyway
        assert ours - {day for day in ours if day.weekday() == 6} == theirs, year


def test_equated_days_beyond_the_decrees_follow_their_pattern():
    # 2029: Ascension on Thursday 10 May -> Friday 11 May predicted.
    names = public_holidays(2029, "NL")
    assert "voorspeld" in names[D(2029, 5, 11)]


def test_business_days():
    assert is_business_day(D(2026, 3, 2), "NL")  # a Monday
    assert not is_business_day(D(2026, 3, 7), "NL")  # Saturday
    assert next_business_day(D(2026, 4, 2), "NL") == D(2026, 4, 7)  # Good Friday, Easter
    assert next_business_day(D(2026, 4, 2), "BE") == D(2026, 4, 3)
    assert add_business_days(D(2026, 12, 24), 2, "NL") == D(2026, 12, 29)
    assert add_business_days(D(2026, 5, 1), 0, "BE") == D(2026, 5, 1)


def test_bad_input_is_refused():
    with pytest.raises(CalendarError, match="country"):
        is_business_day(D(2026, 1, 1), "DE")
    with pytest.raises(CalendarError, match="1999"):
        is_business_day(D(1999, 1, 4), "NL")
    with pytest.raises(CalendarError, match="date"):
        is_business_day(dt.datetime(2026, 1, 5, 12), "NL")
    with pytest.raises(CalendarError):
        add_business_days(D(2026, 1, 5), -1, "NL")
    with pytest.raises(CalendarError, match="channel"):
        deemed_delivery_date(D(2026, 1, 5), "fax", "NL")
    with pytest.raises(CalendarError, match="term"):
        statutory_term(D(2026, 1, 5), kind="letter", channel="post")


@pytest.mark.parametrize(
    ("end", "extended", "rule"),
    [
        (D(2026, 3, 7), D(2026, 3, 9), "Saturday moves to Monday: art. 1 Atw"),
        (D(2026, 3, 8), D(2026, 3, 9), "Sunday moves to Monday: art. 1 Atw"),
        (D(2026, 4, 6), D(2026, 4, 7), "Easter Monday moves to Tuesday"),
        (D(2026, 4, 3), D(2026, 4, 7), "Good Friday over Easter to Tuesday"),
        (D(2026, 5, 14), D(2026, 5, 18), "Ascension and the equated Friday to Monday"),
        (D(2026, 3, 10), D(2026, 3, 10), "a Tuesday stays"),
    ],
)
def test_termijnenwet_extension(end, extended, rule):
    assert extend_to_business_day(end, "NL") == extended, rule


@pytest.mark.parametrize(
    ("sent", "channel", "received", "last_day", "rule"),
    [
        # Tuesday post: Wed (1), Thu (2) -> received Thu 5 March; +14 = Thu 19 March.
        (D(2026, 3, 3), "post", D(2026, 3, 5), D(2026, 3, 19), "HR 2016:2704, plain week"),
        # Friday post: Sat (1), Sun and Mon skipped, Tue (2).
        (D(2026, 3, 6), "post", D(2026, 3, 10), D(2026, 3, 24), "no delivery Sun/Mon"),
        # Friday 24 April: Sat (1), Sun, Koningsdag Mon 27 skipped, Tue 28 (2); +14 = 12 May.
        (D(2026, 4, 24), "post", D(2026, 4, 28), D(2026, 5, 12), "Koningsdag not counted"),
        # Thursday post: Fri (1), Sat (2); +14 = Sat 21 March -> Monday 23 March (Atw).
        (D(2026, 3, 5), "post", D(2026, 3, 7), D(2026, 3, 23), "Saturday end -> Monday"),
        # E-mail Friday 20 March: received Sat 21; +14 = Sat 4 April -> Easter Monday 6 April
        # is a holiday too -> Tuesday 7 April.
        (D(2026, 3, 20), "email", D(2026, 3, 21), D(2026, 4, 7), "Easter weekend"),
    ],
)
def test_dutch_fourteen_day_letter(sent, channel, received, last_day, rule):
    term = nl_fourteen_day_letter_term(sent, channel=channel)
    assert term.received_date == received, rule
    assert term.start_date == received + dt.timedelta(days=1)
    assert term.last_day_to_pay == last_day, rule
    assert term.first_default_date == last_day + dt.timedelta(days=1)
    assert "6:96 lid 6" in term.article
    assert term.reasons[-1].startswith(f"pay on or before {last_day.isoformat()}")


@pytest.mark.parametrize(
    ("sent", "channel", "start", "last_day", "rule"),
    [
        # Monday post: Tue (1), Wed (2), Thu (3) = start; 14 days to Wed 18 March.
        (D(2026, 3, 2), "post", D(2026, 3, 5), D(2026, 3, 18), "third working day"),
        # Wednesday post: Thu, Fri, Mon = start 9 March; to Sun 22 March -> Mon 23 March.
        (D(2026, 3, 4), "post", D(2026, 3, 9), D(2026, 3, 23), "weekend skipped, end moved"),
        # Friday 17 July: Mon 20 (1), 21 July national day skipped, Wed 22 (2), Thu 23 (3).
        (D(2026, 7, 17), "post", D(2026, 7, 23), D(2026, 8, 5), "21 July not a working day"),
        # E-mail: the day after sending, whatever day it is.
        (D(2026, 3, 6), "email", D(2026, 3, 7), D(2026, 3, 20), "e-mail: next day"),
        # E-mail Thursday 30 July: start Fri 31 July, day 14 = Thu 13 August; fine.
        (D(2026, 7, 30), "email", D(2026, 7, 31), D(2026, 8, 13), "e-mail"),
        # E-mail 1 August: start 2 Aug, day 14 = Sat 15 August (Assumption) -> Mon 17.
        (D(2026, 8, 1), "email", D(2026, 8, 2), D(2026, 8, 17), "end on a holiday"),
    ],
)
def test_belgian_reminder_waiting_period(sent, channel, start, last_day, rule):
    term = be_reminder_term(sent, channel=channel)
    assert term.start_date == start, rule
    assert term.end_date == start + dt.timedelta(days=13), rule
    assert term.last_day_to_pay == last_day, rule
    assert term.first_default_date == last_day + dt.timedelta(days=1)
    assert "XIX.2" in term.article


@given(days, st.sampled_from(["post", "email"]), st.sampled_from(["NL", "BE"]))
def test_a_term_always_ends_on_a_business_day_at_least_fourteen_days_on(sent, channel, country):
    kind = "fourteen-day-letter" if country == "NL" else "be-reminder"
    term = statutory_term(sent, kind=kind, channel=channel)
    assert is_business_day(term.last_day_to_pay, country)
    assert (term.last_day_to_pay - sent).days >= 14
    assert term.last_day_to_pay >= term.end_date
    # Between the 14th day and the last day to pay there is no business day.
    day = term.end_date
    while day < term.last_day_to_pay:
        assert not is_business_day(day, country)
        day += dt.timedelta(days=1)


@given(days, days)
def test_later_letters_never_give_earlier_dates(first, second):
    early, late = sorted((first, second))
    for kind, channel in (("fourteen-day-letter", "post"), ("be-reminder", "post")):
        assert (
            statutory_term(early, kind=kind, channel=channel).last_day_to_pay
            <= statutory_term(late, kind=kind, channel=channel).last_day_to_pay
        )
