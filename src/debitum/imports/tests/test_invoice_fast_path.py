"""The fast path for plain rows of large invoice files (`_plain_rows`) must give exactly what the
general parser gives, or step aside (None) and let the general parser report the errors."""

from hypothesis import given, settings
from hypothesis import strategies as st

from debitum.imports.errors import ErrorList
from debitum.imports.invoice_import import _parse_row, _plain_rows
from debitum.imports.readers import Table

dates = st.sampled_from(
    ["2026-01-05", "2026-02-04", "05-01-2026", "2026-02-30", "", " 2026-01-05 ", "1/5/2026"]
)
amounts = st.sampled_from(
    ["100.00", "-100.00", "0.00", "12.5", "1.234,56", "abc", "", "99999999999999.99", "21.00"]
)
texts = st.sampled_from(["", "C1", "F-1", " F-2 ", "x" * 51, "Bakkerij"])
required = {
    "customer_number": texts,
    "invoice_number": texts,
    "invoice_date": dates,
    "due_date": dates,
    "amount": amounts,
}
optional = {
    "currency": st.sampled_from(["", "EUR", "usd", "XYZ"]),
    "vat_amount": amounts,
    "kind": st.sampled_from(["", "invoice", "credit_note", "creditnota", "bill"]),
    "credit_for": st.sampled_from(["", "F-1"]),
    "customer_name": texts,
    "description": texts,
    "reference": texts,
}
rows = st.fixed_dictionaries(required, optional=optional)


@settings(max_examples=400, deadline=None)
@given(row=rows)
def test_fast_path_agrees_with_the_general_parser(row):
    (fast,) = _plain_rows(Table("invoices.csv", list(row), [2], [list(row.values())], ""), "EUR")
    if fast is not None:
        assert fast == _parse_row(2, row, "EUR", ErrorList("invoices.csv"))


def test_a_typed_cell_sends_the_table_to_the_general_parser():
    row = {
        "customer_number": 1001,
        "invoice_number": "F-1",
        "invoice_date": "2026-01-05",
        "due_date": "2026-02-04",
        "amount": "100.00",
    }
    assert _plain_rows(Table("invoices.xlsx", list(row), [2], [list(row.values())], ""), "EUR") == [
        None
    ]


full_rows = st.fixed_dictionaries(required | optional)
# Files of rows that are mostly plain and right, with a wrong one among them now and then:
# a bad row must not change what the fast path gives for the others.
plain_rows = st.fixed_dictionaries(
    {
        "customer_number": st.sampled_from(["C1", "C2"]),
        "invoice_number": st.sampled_from(["F-1", "F-2", "CN-1"]),
        "invoice_date": st.just("2026-01-05"),
        "due_date": st.sampled_from(["2026-01-05", "2026-02-04"]),
        "amount": st.sampled_from(["100.00", "-100.00", "21.00", "-0.01"]),
        "currency": st.sampled_from(["", "EUR", "usd"]),
        "vat_amount": st.sampled_from(["", "0.00", "17.36", "-17.36", "21.00"]),
        "kind": st.sampled_from(["", "invoice", "credit_note", "creditnota"]),
        "credit_for": st.sampled_from(["", "", "F-1"]),
        "customer_name": st.sampled_from(["", "Bakkerij"]),
        "description": st.sampled_from(["", "Levering"]),
        "reference": st.sampled_from(["", "F-1"]),
    }
)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.one_of(plain_rows, plain_rows, plain_rows, full_rows), max_size=6))
def test_fast_path_agrees_with_the_general_parser_over_a_whole_file(rows):
    header = list(rows[0]) if rows else ["customer_number"]
    lines = list(range(2, len(rows) + 2))
    fast = _plain_rows(
        Table("invoices.csv", header, lines, [list(row.values()) for row in rows], ""), "EUR"
    )
    assert len(fast) == len(rows)
    for line, row, parsed in zip(lines, rows, fast, strict=True):
        if parsed is not None:
            assert parsed == _parse_row(line, row, "EUR", ErrorList("invoices.csv"))
