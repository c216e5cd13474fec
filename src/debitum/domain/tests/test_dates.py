import datetime as dt

import pytest

from debitum.domain.dates import DateError, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01", dt.date(2026, 3, 1)),
        ("01-03-2026", dt.date(2026, 3, 1)),  # day first, as in NL and BE
        ("1-3-2026", dt.date(2026, 3, 1)),
        ("01/03/2026", dt.date(2026, 3, 1)),
        ("01.03.2026", dt.date(2026, 3, 1)),
        ("2026-03-01 00:00:00", dt.date(2026, 3, 1)),
        ("29-02-2024", dt.date(2024, 2, 29)),
    ],
)
def test_parse_date_accepts_iso_and_day_first(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2026-02-30",
        "31-04-2026",
        "13/13/2026",
        "2026/03/01",
        "03-01-26",
        "yesterday",
        "1/15/2013",
    ],
)
def test_parse_date_refuses_the_rest(text):
    with pytest.raises(DateError):
        parse_date(text)
