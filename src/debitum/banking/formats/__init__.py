"""Bank statement files read into `ParsedStatement`s: camt.053 and camt.054 (ISO 20022 XML),
MT940 (SWIFT, the Dutch banks' variants), CODA (Belgium) and CSV exports through a column
mapping. Pure Python: no Django, no database.

    statements = parse_statement(data, "afschrift.xml")

The format is told from the content, not the file name; a file that cannot be read raises
`StatementFormatError` naming the file and the place (line, record, or XML element).
"""

from __future__ import annotations

import re

from .bank_csv import CSV_PRESETS, parse_bank_csv
from .camt import NOTIFICATION_MESSAGE, STATEMENT_MESSAGE, parse_camt
from .coda import parse_coda
from .mt940 import parse_mt940
from .statement import ParsedEntry, ParsedStatement, StatementFormatError

__all__ = [
    "CSV_PRESETS",
    "FORMATS",
    "ParsedEntry",
    "ParsedStatement",
    "StatementFormatError",
    "detect_format",
    "parse_statement",
]

FORMATS = ("camt.053", "camt.054", "mt940", "coda", "csv")

_MT940_START = re.compile(rb"^(?:\{1:|:940:|:20:)", re.M)
_MT940_TAGS = re.compile(rb"^:(?:25|28C?|60[FM]|61|62[FM]):", re.M)
_CODA_HEADER = re.compile(rb"0{5}[0-9]{6}")
_BINARY = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # PDF, XLSX/ZIP, XLS


def detect_format(data: bytes, file_name: str) -> str:
    """Which of `FORMATS` the bytes are, told from their content: the camt message element,
    MT940 tags at the start of lines, a CODA header record (0), or else delimited text."""
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"<"):
        if STATEMENT_MESSAGE.encode() in data:
            return "camt.053"
        if NOTIFICATION_MESSAGE.encode() in data:
            return "camt.054"
        raise StatementFormatError(
            file_name,
            "",
            "an XML file, but not a camt.053 statement (BkToCstmrStmt) nor a camt.054 "
            "notification (BkToCstmrDbtCdtNtfctn)",
        )
    if start.startswith(_BINARY) or b"\x00" in start[:4096]:
        raise StatementFormatError(file_name, "", _UNKNOWN)
    if _CODA_HEADER.match(start):
        return "coda"
    if _MT940_START.search(start) and _MT940_TAGS.search(start):
        return "mt940"
    first_line = start.split(b"\n", 1)[0]
    if any(mark in first_line for mark in (b",", b";", b"\t")):
        return "csv"
    raise StatementFormatError(file_name, "", _UNKNOWN)


_UNKNOWN = (
    "not a bank statement format Debitum reads (camt.053 or camt.054 XML, MT940, CODA, "
    "or a CSV export)"
)


def parse_statement(
    data: bytes, file_name: str, *, csv_mapping: dict | None = None
) -> list[ParsedStatement]:
    """The statements in a bank file, in file order. `csv_mapping` is used when the file is a
    CSV export (see `bank_csv`); a file recognised as another format ignores it."""
    file_format = detect_format(data, file_name)
    if file_format in ("camt.053", "camt.054"):
        return parse_camt(data, file_name)
    if file_format == "mt940":
        return parse_mt940(data, file_name)
    if file_format == "coda":
        return parse_coda(data, file_name)
    return parse_bank_csv(data, file_name, csv_mapping)
