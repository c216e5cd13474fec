import pytest
from hypothesis import given
from hypothesis import strategies as st

from debitum.imports import readers
from debitum.imports.readers import read_table
from debitum.imports.services import ImportFailed

from .helpers import write_csv, write_xlsx


def test_semicolon_csv_with_bom_and_windows_line_ends(tmp_path):
    path = write_csv(
        tmp_path, "f.csv", '\ufeffCustomer_Number;Name\r\n1;Bakker\r\n\r\n2;"De Vries; zn"\r\n'
    )
    table = read_table(path)
    assert table.header == ["customer_number", "name"]
    assert table.rows == [
        (2, {"customer_number": "1", "name": "Bakker"}),
        (4, {"customer_number": "2", "name": "De Vries; zn"}),
    ]


def test_windows_1252_file_is_read(tmp_path):
    path = write_csv(tmp_path, "f.csv", "customer_number,name\n1,Café Brûlé\n", encoding="cp1252")
    assert read_table(path).rows[0][1]["name"] == "Café Brûlé"


def test_xlsx_line_numbers_are_sheet_rows(tmp_path):
    path = write_xlsx(
        tmp_path, "f.xlsx", [["customer_number", "name"], [1001, "A"], [None, None], [1002, "B"]]
    )
    table = read_table(path)
    assert [line for line, _ in table.rows] == [2, 4]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("customer_number,name,name\n", "line 1, column name: 'name': the column appears twice"),
        ("customer_number,,name\n", "empty column name"),
        (
            "customer_number,name\n1,A,extra\n",
            "line 2: the line has 3 values but the header only 2 columns",
        ),
    ],
)
def test_malformed_files_are_refused_with_where(tmp_path, content, message):
    with pytest.raises(ImportFailed, match=message):
        read_table(write_csv(tmp_path, "bad.csv", content))


def test_damaged_xlsx_and_missing_file(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportFailed, match="broken.xlsx: not a readable XLSX file"):
        read_table(broken)
    with pytest.raises(ImportFailed, match="missing.csv: cannot read the file"):
        read_table(tmp_path / "missing.csv")


# Cells without quotes, delimiters or line ends; lines joined by any line end the csv module
# knows, with blank lines, lines of spaces and short or long lines among them.
_cell = st.text(st.characters(codec="utf-8", exclude_characters='"\r\n,;\t'), max_size=6)
_line = st.lists(_cell, min_size=0, max_size=5)


@given(
    header=st.lists(
        st.from_regex(r"[a-z]{1,8}", fullmatch=True), min_size=1, max_size=4, unique=True
    ),
    lines=st.lists(_line, max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
    ends=st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=9, max_size=9),
    final_end=st.booleans(),
)
def test_a_file_without_quotes_is_read_as_the_csv_module_reads_it(
    header, lines, delimiter, ends, final_end
):
    records = [delimiter.join(header)] + [delimiter.join(cells) for cells in lines]
    text = "".join(record + end for record, end in zip(records, ends, strict=False))
    if not final_end:
        text = text[: -len(ends[len(records) - 1])]
    data = text.encode()

    def outcome(read):
        try:
            table = read(text, delimiter, data, "f.csv")
        except ImportFailed as failed:
            return str(failed)
        return table.header, table.lines, table.records, table.sha256

    assert outcome(readers._read_unquoted) == outcome(readers._read_with_csv)
