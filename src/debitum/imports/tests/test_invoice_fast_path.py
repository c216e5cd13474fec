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
rows = st.fixed_dictionaries(
    {
        "customer_number": texts,
        "invoice_number": texts,
        "invoice_date": dates,
        "due_date": dates,
        "amount": amounts,
    },
    optional={
        "currency": st.sampled_from(["", "EUR", "usd", "XYZ"]),
        "vat_amount": amounts,
        "kind": st.sampled_from(["", "invoice", "credit_note", "creditnota", "bill"]),
        "credit_for": st.sampled_from(["", "F-1"]),
        "customer_name": texts,
        "description": texts,
        "reference": texts,
    },
)


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
