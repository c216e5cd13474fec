"""Telling the format from the content, and the files that must be refused: XML with a DTD
(entity expansion, external entities), truncated XML, and what is no statement at all."""

import time
from pathlib import Path

import pytest

from debitum.banking.formats import StatementFormatError, detect_format, parse_statement

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).parents[4] / ".." / "shared" / "data"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("oca-test-camt053-txdtls", "camt.053"),
        ("oca-test-camt054", "camt.054"),
        ("handmade-camt053-v08.xml", "camt.053"),
        ("zilverline-ing-mt940_iban.txt", "mt940"),  # a .txt, not a .940
        ("wolph-jejik-abnamro.sta", "mt940"),  # ABN AMRO's header lines before :20:
        ("zilverline-rabobank_mt940_structured.txt", "mt940"),  # ":940:" first
        ("pycoda-Coda_v2_3_globalisation.txt", "coda"),
        ("handmade-rabobank.csv", "csv"),
    ],
)
def test_the_format_comes_from_the_content(name, expected):
    data = (DATA / name).read_bytes()
    assert detect_format(data, name) == expected
    # The file name does not decide: the same bytes under another name read the same.
    assert detect_format(data, "upload.bin") == expected


def test_shared_files_are_detected():
    if not SHARED.is_dir():
        pytest.skip(f"the shared sample files are not at {SHARED}")
    assert detect_format((SHARED / "test-camt053").read_bytes(), "test-camt053") == "camt.053"
    assert detect_format((SHARED / "test-ing.940").read_bytes(), "test-ing.940") == "mt940"
    assert detect_format((SHARED / "test-rabo.swi").read_bytes(), "test-rabo.swi") == "mt940"
    with pytest.raises(StatementFormatError, match="not a camt.053"):
        detect_format((SHARED / "pain.008.001.02.xml").read_bytes(), "pain.008.001.02.xml")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE Document [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>
<Id>&lol9;</Id></Stmt></BkToCstmrStmt></Document>
"""


def test_an_xml_bomb_is_refused_unexpanded():
    started = time.monotonic()
    with pytest.raises(StatementFormatError) as error:
        parse_statement(BILLION_LAUGHS, "bomb.xml")
    # Expanded, &lol9; is a billion "lol"s (3 GB): refused at the declaration instead.
    assert time.monotonic() - started < 2
    assert error.value.file_name == "bomb.xml"
    assert error.value.where == "DOCTYPE"
    assert "DTD" in error.value.message


def test_an_external_entity_is_never_fetched():
    data = b"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>
<Id>&secret;</Id></Stmt></BkToCstmrStmt></Document>"""
    with pytest.raises(StatementFormatError) as error:
        parse_statement(data, "xxe.xml")
    assert error.value.where == "DOCTYPE"
    assert "root:" not in str(error.value)


def test_truncated_xml_names_the_line():
    data = (DATA / "oca-test-camt053-txdtls").read_bytes()
    truncated = data[: len(data) // 2]
    with pytest.raises(StatementFormatError) as error:
        parse_statement(truncated, "afschrift.xml")
    assert error.value.file_name == "afschrift.xml"
    last_line = truncated.count(b"\n") + 1
    assert error.value.where.startswith(f"line {last_line}, column ")
    assert error.value.message.startswith("not well-formed XML")


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n...", b"PK\x03\x04\x14\x00", b"", b"just some words\n"],
    ids=["pdf", "xlsx", "empty", "text"],
)
def test_what_is_no_statement(data):
    with pytest.raises(StatementFormatError) as error:
        parse_statement(data, "upload.dat")
    assert str(error.value).startswith("upload.dat: not a bank statement format")
