"""A statement preview kept by a background job: the first entries, the counts of all."""

import datetime as dt
from decimal import Decimal

from debitum.banking.statement_results import (
    EntryResult,
    StatementImportResult,
    StatementResult,
    result_data,
    result_from_data,
)


def _entry(sequence, outcome, amount):
    return EntryResult(
        sequence, dt.date(2026, 6, 30), None, Decimal(amount), "EUR", "Jansen",
        "NL91ABNA0417164300", "F-1", "", "", outcome, 95, "reference", "", "C001", ["F-1"],
    )  # fmt: skip


def test_the_preview_keeps_the_first_entries_and_counts_all_of_them():
    statements = [
        StatementResult("NL91ABNA0417164300", "181", "EUR", Decimal("500.00"), None, "camt.053",
                        entries=[_entry(1, "matched", "121.00"), _entry(2, "unmatched", "30.10")]),
        StatementResult("NL91ABNA0417164300", "182", "EUR", None, None, "camt.053",
                        entries=[_entry(1, "matched", "-12.50")]),
    ]  # fmt: skip
    result = StatementImportResult("day.xml", statements=statements)

    kept, counts = result_from_data(result_data(result, entries_limit=2))

    assert counts == {"matched": 2, "unmatched": 1}
    assert [len(statement.entries) for statement in kept.statements] == [2, 0]
    assert kept.statements[0].opening_balance == Decimal("500.00")
    assert kept.statements[0].closing_balance is None
    assert kept.statements[0].entries[1] == _entry(2, "unmatched", "30.10")  # Decimal and date
