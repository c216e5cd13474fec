"""What the camt.053 writer writes, the camt reader reads back (the demo's and the benchmark's
statements go through the same reader as a bank's)."""

import datetime as dt
from decimal import Decimal

from debitum.banking.formats import detect_format, parse_statement
from debitum.banking.formats.camt_writer import camt053
from debitum.banking.formats.statement import ParsedEntry

DAY = dt.date(2026, 11, 23)


def test_a_written_statement_reads_back_the_same():
    entries = [
        ParsedEntry(
            booking_date=DAY,
            value_date=DAY,
            amount=Decimal("121.00"),
            currency="EUR",
            counterparty_name="Bakkerij & Zn <Jansen>",
            counterparty_iban="NL02RABO0123456789",
            remittance="factuur 2026-0001",
            structured_reference="+++090/9337/55493+++",
            end_to_end_id="E2E-1",
        ),
        ParsedEntry(
            booking_date=DAY,
            value_date=DAY,
            amount=Decimal("-40.00"),
            currency="EUR",
            counterparty_name="Verhuurder",
            counterparty_iban="BE68539007547034",
            end_to_end_id="E2E-2",
            return_reason="MD06",
        ),
    ]
    data = camt053(
        account_iban="NL91ABNA0417164300",
        currency="EUR",
        statement_number="7",
        opening_balance=Decimal("1000.00"),
        date=DAY,
        entries=entries,
    )
    assert detect_format(data, "day.xml") == "camt.053"
    (statement,) = parse_statement(data, "day.xml")
    assert (statement.account_iban, statement.statement_number) == ("NL91ABNA0417164300", "7")
    assert (statement.opening_balance, statement.closing_balance) == (
        Decimal("1000.00"),
        Decimal("1081.00"),
    )
    fields = (
        "booking_date", "amount", "currency", "counterparty_name", "counterparty_iban",
        "remittance", "structured_reference", "end_to_end_id", "return_reason",
    )  # fmt: skip
    assert [tuple(getattr(e, f) for f in fields) for e in statement.entries] == [
        tuple(getattr(e, f) for f in fields) for e in entries
    ]
