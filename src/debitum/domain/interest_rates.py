"""The tables of statutory interest rates: which percentage applied on which day, and why.

The rates that Debitum ships live in `data/interest_rates.csv`, one row per period with the
source of the figure. An administrator adds a newer period (a new half-year) without a new
release; the app merges those rows in (`RateTable.with_added`). A day that no row covers is an
error, never a guess: a claim must rest on a published rate.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources

# The regimes with a table. `nl-public` (art. 6:119b BW: a public body as debtor) uses the rate of
# art. 6:119a BW: the law sets one percentage for both (art. 6:120 lid 2 BW).
TABLE_OF_REGIME = {
    "nl-consumer": "nl-consumer",
    "nl-commercial": "nl-commercial",
    "nl-public": "nl-commercial",
    "be-commercial": "be-commercial",
}

SHIPPED, ADDED = "shipped", "added"


class RateError(ValueError):
    """A rate table that is inconsistent, or a row that cannot be read."""


class RateUnknown(LookupError):
    """No rate is known for a day: the table does not reach it."""


@dataclass(frozen=True)
class RateRow:
    """A percentage per year that applied from `start` to `end`, both inclusive."""

    table: str
    start: dt.date
    end: dt.date
    rate: Decimal
    source: str
    origin: str = SHIPPED

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _parse_row(record: dict, *, where: str, origin: str) -> RateRow:
    try:
        table = record["regime"].strip()
        start = dt.date.fromisoformat(record["from"].strip())
        end = dt.date.fromisoformat(record["to"].strip())
        rate = Decimal(record["rate"].strip())
    except (KeyError, ValueError, InvalidOperation) as error:
        raise RateError(f"{where}: cannot read the row {record!r} ({error})") from None
    source = (record.get("source") or "").strip()
    if table not in set(TABLE_OF_REGIME.values()):
        raise RateError(f"{where}: unknown regime {table!r}")
    if end < start:
        raise RateError(f"{where}: the period ends ({end}) before it starts ({start})")
    if not Decimal(0) <= rate <= Decimal(100):
        raise RateError(f"{where}: a rate of {rate}% per year is not plausible")
    if not source:
        raise RateError(f"{where}: every rate needs its source")
    return RateRow(table=table, start=start, end=end, rate=rate, source=source, origin=origin)


class RateTable:
    """The rows of every regime, checked: within a regime no two periods overlap."""

    def __init__(self, rows: list[RateRow] | tuple[RateRow, ...]):
        by_table: dict[str, list[RateRow]] = {}
        for row in rows:
            by_table.setdefault(row.table, []).append(row)
        for table, table_rows in by_table.items():
            table_rows.sort(key=lambda row: row.start)
            for earlier, later in zip(table_rows, table_rows[1:], strict=False):
                if later.start <= earlier.end:
                    raise RateError(
                        f"{table}: the period from {later.start} overlaps the one from "
                        f"{earlier.start} to {earlier.end}"
                    )
        self._rows = by_table

    @classmethod
    def from_csv(cls, text: str, *, name: str, origin: str = SHIPPED) -> RateTable:
        reader = csv.DictReader(io.StringIO(text))
        rows = [
            _parse_row(record, where=f"{name}, line {number}", origin=origin)
            for number, record in enumerate(reader, start=2)
        ]
        return cls(rows)

    def rows(self, regime: str | None = None) -> list[RateRow]:
        if regime is None:
            return [row for table in sorted(self._rows) for row in self._rows[table]]
        return list(self._rows.get(table_for(regime), []))

    def with_added(self, added: list[RateRow]) -> RateTable:
        """This table with rows an administrator added; a shipped row always wins.

        An added row that overlaps a shipped one is left out (a later release published that
        period): see `superseded`.
        """
        kept = [row for row in added if not self.superseded(row)]
        return RateTable(self.rows() + kept)

    def superseded(self, row: RateRow) -> bool:
        return any(
            shipped.start <= row.end and row.start <= shipped.end
            for shipped in self._rows.get(row.table, [])
            if shipped.origin == SHIPPED
        )

    def rate_on(self, regime: str, day: dt.date) -> RateRow:
        for row in self._rows.get(table_for(regime), []):
            if row.covers(day):
                return row
        raise RateUnknown(self._unknown_message(regime, day))

    def changes_between(self, regime: str, start: dt.date, end: dt.date) -> list[dt.date]:
        """The days after `start` and before `end` on which a row starts or the day after one ends.

        Splitting there means every piece lies within one row, or within a gap (an error).
        """
        days = set()
        for row in self._rows.get(table_for(regime), []):
            days.update((row.start, row.end + dt.timedelta(days=1)))
        return sorted(day for day in days if start < day < end)

    def _unknown_message(self, regime: str, day: dt.date) -> str:
        rows = self._rows.get(table_for(regime), [])
        if not rows:
            return f"no {regime} rates are known"
        known = f"the table runs from {rows[0].start} to {rows[-1].end}"
        gap = next(
            (
                (earlier.end, later.start)
                for earlier, later in zip(rows, rows[1:], strict=False)
                if earlier.end < day < later.start
            ),
            None,
        )
        if gap:
            known = f"the table has a gap from {gap[0]} to {gap[1]}"
        return (
            f"no {regime} rate is known for {day}: {known}; "
            "an administrator adds a published rate with `debitum rates add`"
        )


def table_for(regime: str) -> str:
    try:
        return TABLE_OF_REGIME[regime]
    except KeyError:
        raise RateError(
            f"unknown regime {regime!r}: use one of {', '.join(sorted(TABLE_OF_REGIME))}"
        ) from None


def shipped_rate_table() -> RateTable:
    """The rates published up to this release, from the package's data file."""
    text = resources.files("debitum.domain").joinpath("data/interest_rates.csv").read_text("utf-8")
    return RateTable.from_csv(text, name="interest_rates.csv")
