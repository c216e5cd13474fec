"""The shipped rate tables against published figures, and the rules of adding to them."""

import datetime as dt
from decimal import Decimal

import pytest

from debitum.domain.interest_rates import (
    ADDED,
    RateError,
    RateRow,
    RateTable,
    RateUnknown,
    shipped_rate_table,
)

TABLE = shipped_rate_table()
D = Decimal


@pytest.mark.parametrize(
    "regime, day, rate, source",
    [
        # Stb. 2009, 262 (6% -> 4% per 1 July 2009) and Stb. 2014, 491 (3% -> 2% per 2015).
        ("nl-consumer", "2009-07-01", "4", "Stb. 2009, 262"),
        ("nl-consumer", "2015-01-01", "2", "Stb. 2014, 491"),
        ("nl-consumer", "2022-12-31", "2", "Stb. 2014, 491"),
        # e-justice.europa.eu (Netherlands, interest rates): 7% and 12.50% since 1 January 2024.
        ("nl-consumer", "2024-01-01", "7", "20 December 2023"),
        ("nl-commercial", "2024-01-01", "12.50", "4.50"),
        # Metaalunie, 'Wettelijke rente per 1 juli 2024': 12.25% commercial.
        ("nl-commercial", "2024-07-01", "12.25", "4.25"),
        # flib.nl, 16 January 2023: commercial rate from 8% to 10.5% per 1 January 2023.
        ("nl-commercial", "2022-12-31", "8.00", "0.00"),
        ("nl-commercial", "2023-01-01", "10.50", "2.50"),
        # Raad van Arbitrage voor de Bouw, overview of art. 6:119a BW: 11.20% from 2008-01-01.
        ("nl-commercial", "2008-03-01", "11.20", "Raad van Arbitrage"),
        # Directive 2011/7/EU (Stb. 2012, 647): 8 points above the ECB rate from 2013-03-16.
        ("nl-commercial", "2013-03-15", "7.75", "0.75"),
        ("nl-commercial", "2013-03-16", "8.75", "2011/7/EU"),
        # Belgian half-year rates (ECB + 8, rounded up to the half percent).
        ("be-commercial", "2024-03-01", "12.50", "4.50"),
        ("be-commercial", "2024-09-01", "12.50", "12.25"),
        ("be-commercial", "2025-01-01", "11.50", "11.15"),
        ("be-commercial", "2020-01-01", "8.00", "0.00"),
    ],
)
def test_published_rates(regime, day, rate, source):
    row = TABLE.rate_on(regime, dt.date.fromisoformat(day))
    assert row.rate == D(rate)
    assert source in row.source


def test_every_table_runs_without_gaps_and_every_row_has_its_source():
    for regime in ("nl-consumer", "nl-commercial", "be-commercial"):
        rows = TABLE.rows(regime)
        assert rows, regime
        for earlier, later in zip(rows, rows[1:], strict=False):
            assert later.start == earlier.end + dt.timedelta(days=1), (regime, later.start)
        assert all(row.source for row in rows)


def test_the_tables_start_when_the_laws_did():
    assert TABLE.rows("nl-consumer")[0].start == dt.date(2002, 1, 1)
    # Art. 6:119a BW came into force on 1 December 2002; the Belgian law on 7 August 2002.
    assert TABLE.rows("nl-commercial")[0].start == dt.date(2002, 12, 1)
    assert TABLE.rows("be-commercial")[0].start == dt.date(2002, 8, 7)
    assert TABLE.rows("nl-public") == TABLE.rows("nl-commercial")


def _row(start, end, rate="10.00", table="be-commercial"):
    return RateRow(
        table=table,
        start=dt.date.fromisoformat(start),
        end=dt.date.fromisoformat(end),
        rate=D(rate),
        source="Belgisch Staatsblad",
        origin=ADDED,
    )


def test_an_added_half_year_extends_the_table():
    last = TABLE.rows("be-commercial")[-1].end
    day = last + dt.timedelta(days=1)
    with pytest.raises(RateUnknown, match="debitum rates add"):
        TABLE.rate_on("be-commercial", day)
    extended = TABLE.with_added([_row(day.isoformat(), (day + dt.timedelta(days=180)).isoformat())])
    assert extended.rate_on("be-commercial", day).rate == D("10.00")
    assert extended.rate_on("be-commercial", day).origin == ADDED


def test_a_shipped_period_wins_over_an_added_one():
    added = _row("2024-01-01", "2024-06-30", rate="99")
    assert TABLE.superseded(added)
    assert TABLE.with_added([added]).rate_on("be-commercial", dt.date(2024, 3, 1)).rate == D(
        "12.50"
    )


def test_overlapping_added_rows_are_refused():
    with pytest.raises(RateError, match="overlaps"):
        TABLE.with_added([_row("2030-01-01", "2030-06-30"), _row("2030-06-01", "2030-12-31")])


def test_a_gap_is_named_in_the_error():
    table = TABLE.with_added([_row("2030-01-01", "2030-06-30")])
    with pytest.raises(RateUnknown, match="gap"):
        table.rate_on("be-commercial", dt.date(2029, 1, 1))


def test_a_bad_data_file_names_its_line():
    text = "regime,from,to,rate,source\nbe-commercial,2030-01-01,2030-06-30,10,ok\nbe-commercial,2030-07-01,2030-13-01,10,ok\n"
    with pytest.raises(RateError, match="rates.csv, line 3"):
        RateTable.from_csv(text, name="rates.csv")
    with pytest.raises(RateError, match="needs its source"):
        RateTable.from_csv(
            "regime,from,to,rate,source\nbe-commercial,2030-01-01,2030-06-30,10,\n", name="x"
        )
