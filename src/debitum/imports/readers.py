"""Reading CSV and XLSX files into rows of text, with their line numbers.

Both kinds give the same thing: the header (names lower-cased and stripped) and, for every
non-empty line after it, its line number in the file (the header is line 1) and a dict of
column -> value. Values from CSV are text; XLSX cells keep their type (dates, numbers), which
the field parsers accept too.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

from debitum.common.bulk import no_cyclic_gc

from .errors import ImportFailed, RowError


class Rows(Sequence):
    """The rows of a table as (line number, {column: value}), each dict made when asked for."""

    def __init__(self, header: list[str], lines: list[int], records: list[list]):
        self.header, self.lines, self.records = header, lines, records

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self.lines[index], dict(zip(self.header, self.records[index], strict=True))

    def __iter__(self):
        header = self.header
        for line, cells in zip(self.lines, self.records, strict=True):
            yield line, dict(zip(header, cells, strict=True))

    def __eq__(self, other) -> bool:
        return list(self) == list(other)


@dataclass
class Table:
    """The header, and per non-blank line its number and its cells (exactly one per column).

    The cells are kept as lists: a dict per row (`rows`) is made only when a row is read that
    way, and a large file can be taken column by column (`columns`), which is how the invoice
    importer checks a million plain rows in a few seconds.
    """

    file_name: str
    header: list[str]
    lines: list[int]
    records: list[list]
    sha256: str

    @property
    def rows(self) -> Rows:
        return Rows(self.header, self.lines, self.records)

    @property
    def row_count(self) -> int:
        return len(self.records)

    def part(self, start: int, stop: int) -> Table:
        """The rows from `start` to `stop` (positions, not line numbers) as a table."""
        return Table(
            self.file_name,
            self.header,
            self.lines[start:stop],
            self.records[start:stop],
            self.sha256,
        )

    def columns(self) -> dict[str, tuple]:
        """The cells column by column: {column: (cell of each row, ...)}, in one pass (zip in C
        walks each row once, twice as fast as taking the columns one at a time)."""
        if not self.records:
            return {name: () for name in self.header}
        return dict(zip(self.header, zip(*self.records, strict=True), strict=True))


def _normalise_header(cells: list, file_name: str) -> list[str]:
    header = [str(cell or "").strip().lower().replace(" ", "_") for cell in cells]
    while header and not header[-1]:
        header.pop()
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if not name:
            raise ImportFailed(
                [RowError(file_name, 1, f"#{position}", "", "the header has an empty column name")]
            )
        if name in seen:
            raise ImportFailed(
                [RowError(file_name, 1, name, name, "the column appears twice in the header")]
            )
        seen.add(name)
    return header


def _records(
    header: list[str], lines: Iterator[tuple[int, list]], file_name: str
) -> tuple[list[int], list[list]]:
    """The line numbers and cells of the non-blank lines, each padded or cut to the header."""
    width = len(header)
    numbers, records = [], []
    for line_number, cells in lines:
        if len(cells) == width:
            # The common line of a CSV file: text cells, as many as the header. Joining them is
            # the blank test below done in C (a line of only spaces is blank either way); a
            # typed XLSX cell makes join raise, and the general path takes the line.
            try:
                blank = not "".join(cells).strip()
            except TypeError:
                pass
            else:
                if not blank:
                    numbers.append(line_number)
                    records.append(cells)
                continue
        if not any(cell not in (None, "") and str(cell).strip() for cell in cells):
            continue  # blank line
        if len(cells) > width and any(
            str(cell).strip() for cell in cells[width:] if cell is not None
        ):
            raise ImportFailed(
                [
                    RowError(
                        file_name,
                        line_number,
                        None,
                        None,
                        f"the line has {len(cells)} values but the header only {width} columns",
                    )
                ]
            )
        numbers.append(line_number)
        records.append(list(cells[:width]) + [None] * (width - len(cells)))
    return numbers, records


def _decode(data: bytes, file_name: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page, which in NL/BE is cp1252.
        return data.decode("cp1252", errors="strict")


@no_cyclic_gc()
def read_csv_bytes(data: bytes, file_name: str) -> Table:
    text = _decode(data, file_name)
    first_line = text.split("\n", 1)[0]
    # Dutch and Belgian Excel writes ';' because ',' is the decimal separator.
    delimiter = (
        ";"
        if first_line.count(";") > first_line.count(",")
        else ("\t" if first_line.count("\t") > first_line.count(",") else ",")
    )
    read = _read_unquoted if '"' not in text else _read_with_csv
    return read(text, delimiter, data, file_name)


def _read_with_csv(text: str, delimiter: str, data: bytes, file_name: str) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header_cells = next(reader)
    except StopIteration:
        raise ImportFailed([RowError(file_name, None, None, None, "the file is empty")]) from None
    header = _normalise_header(header_cells, file_name)
    try:
        # reader.line_num counts physical lines, so a quoted value with a line break still
        # gives the line where the record ends, which is what a text editor shows.
        lines, records = _records(header, ((reader.line_num, cells) for cells in reader), file_name)
    except csv.Error as error:
        raise ImportFailed(
            [RowError(file_name, reader.line_num, None, None, f"not valid CSV: {error}")]
        ) from None
    return Table(file_name, header, lines, records, hashlib.sha256(data).hexdigest())


def _read_unquoted(text: str, delimiter: str, data: bytes, file_name: str) -> Table:
    """A CSV text without a quote character, read as the csv module would, twice as fast.

    Without quotes a CSV record is one line and its values are what lies between the
    delimiters, so `str.split` (in C, one call per line) gives exactly the csv reader's cells
    and line numbers. Line ends as the csv module knows them: \\r\\n, \\n, or \\r alone.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the line end of the last line
    if not lines:
        raise ImportFailed([RowError(file_name, None, None, None, "the file is empty")])
    header = _normalise_header(lines[0].split(delimiter), file_name)
    body = lines[1:]
    records = list(map(str.split, body, repeat(delimiter)))
    if set(map(len, records)) <= {len(header)} and all(
        map(str.strip, map(str.replace, body, repeat(delimiter), repeat("")))
    ):
        # The usual file: every line as wide as the header and none blank (a line of only
        # spaces and delimiters is), told in C; `_records` would keep every line as it is.
        numbers = list(range(2, len(lines) + 1))
    else:
        numbers, records = _records(
            header, zip(range(2, len(lines) + 1), records, strict=True), file_name
        )
    return Table(file_name, header, numbers, records, hashlib.sha256(data).hexdigest())


@no_cyclic_gc()
def read_xlsx_bytes(data: bytes, file_name: str) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ImportFailed(
            [RowError(file_name, None, None, None, f"not a readable XLSX file: {error}")]
        ) from None
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    try:
        header_cells = list(next(lines))
    except StopIteration:
        raise ImportFailed(
            [RowError(file_name, None, None, None, "the first sheet is empty")]
        ) from None
    header = _normalise_header(header_cells, file_name)
    numbers, records = _records(
        header, ((number, list(cells)) for number, cells in enumerate(lines, start=2)), file_name
    )
    workbook.close()
    return Table(file_name, header, numbers, records, hashlib.sha256(data).hexdigest())


def read_table(path: str | Path) -> Table:
    """A CSV (comma, semicolon or tab separated; UTF-8 or Windows-1252) or XLSX file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFailed(
            [RowError(path.name, None, None, None, f"cannot read the file: {error.strerror}")]
        ) from None
    if path.suffix.lower() in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        return read_xlsx_bytes(data, path.name)
    return read_csv_bytes(data, path.name)


@no_cyclic_gc()
def table_from_rows(
    file_name: str, header: list[str], rows: list[list], *, sha256: str | None = None
) -> Table:
    """A table made in memory (the demo generator), read by the same importers."""
    records = [list(values) for values in rows]
    if any(len(values) != len(header) for values in records):
        raise ValueError("every row needs one value per column of the header")
    if sha256 is None:
        digest = hashlib.sha256()
        digest.update(repr(header).encode())
        for values in rows:
            digest.update(repr(values).encode())
        sha256 = digest.hexdigest()
    return Table(file_name, list(header), list(range(2, len(records) + 2)), records, sha256)
