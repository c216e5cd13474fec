"""Dates as they come in files: ISO `YYYY-MM-DD` and Dutch/Belgian `DD-MM-YYYY`."""

from __future__ import annotations

import datetime as dt


class DateError(ValueError):
    """A text that is not a date in an accepted format."""


def parse_date(text: str) -> dt.date:
    """`2026-03-01`, `01-03-2026`, `1-3-2026`, `01/03/2026` or `01.03.2026` (day first).

    Day-first is the only order for the short forms: in the Netherlands and Belgium 01-03-2026
    is the first of March. An American M/D/YYYY file must be converted first.
    """
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    raw = (text or "").strip()
    if not raw:
        raise DateError("no date")
    if len(raw) == 10 and raw[4] == "-" and raw[7] == "-":
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise DateError(f"{raw!r} is not a date") from None
    for separator in "-/.":
        parts = raw.split(separator)
        if len(parts) == 3 and all(part.isdigit() for part in parts) and len(parts[2]) == 4:
            day, month, year = (int(part) for part in parts)
            if len(parts[0]) > 2 or len(parts[1]) > 2:
                break
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise DateError(f"{raw!r} is not a date") from None
    # A timestamp from a spreadsheet export: 2026-03-01 00:00:00 or 2026-03-01T00:00:00.
    if len(raw) > 10 and raw[4] == "-" and raw[10] in " T":
        try:
            return dt.datetime.fromisoformat(raw).date()
        except ValueError:
            pass
    raise DateError(f"{raw!r} is not a date (use YYYY-MM-DD or DD-MM-YYYY)")
