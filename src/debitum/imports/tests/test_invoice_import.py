import datetime as dt
from decimal import Decimal

import pytest

from debitum.administrations.tests.factories import administration_factory
from debitum.customers.tests.factories import customer_factory
from debitum.imports.services import ImportFailed, invoice_import, read_table
from debitum.ledger.models import Invoice
from debitum.ledger.selectors import open_amounts

from .helpers import (
    both_invoice_paths,  # noqa: F401 (a fixture)
    ledger_counts,
    write_csv,
    write_xlsx,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("both_invoice_paths")]
HEADER = "customer_number,invoice_number,invoice_date,due_date,amount"


@pytest.fixture
def administration():
    administration = administration_factory("ACME")
    customer_factory(administration, "C1")
    return administration


def run(administration, tmp_path, text, name="invoices.csv"):
    return invoice_import(
        administration=administration, table=read_table(write_csv(tmp_path, name, text))
    )


def test_invoices_and_credit_notes_in_both_spellings(administration, tmp_path):
    result = run(
        administration,
        tmp_path,
        HEADER + ",kind,vat_amount,currency\n"
        'C1,F-1,2026-01-05,04-02-2026,"1.210,00",,210,\n'
        "C1,CN-1,2026-01-10,2026-01-10,-121.00,,-21,\n"
        "C1,CN-2,10-01-2026,10-01-2026,50,credit_note,,USD\n",
    )
    assert result.created == {
        "invoices": 1,
        "credit notes": 2,
        "customers": 0,
        "credit allocations": 0,
    }
    rows = {
        i.number: (i.kind, i.amount, i.vat_amount, i.currency, i.due_date)
        for i in Invoice.objects.all()
    }
    assert rows == {
        "F-1": ("invoice", Decimal("1210.00"), Decimal("210.00"), "EUR", dt.date(2026, 2, 4)),
        "CN-1": ("credit_note", Decimal("-121.00"), Decimal("-21.00"), "EUR", dt.date(2026, 1, 10)),
        "CN-2": ("credit_note", Decimal("-50.00"), Decimal("0.00"), "USD", dt.date(2026, 1, 10)),
    }


def test_a_new_customer_is_created_from_customer_name(administration, tmp_path):
    run(
        administration,
        tmp_path,
        HEADER + ",customer_name\nC9,F-9,2026-01-05,2026-02-04,10,Bakkerij Jansen\n",
    )
    invoice = Invoice.objects.get(number="F-9")
    assert (invoice.customer.number, invoice.customer.name, invoice.customer.country) == (
        "C9",
        "Bakkerij Jansen",
        "NL",
    )


def test_credit_for_allocates_the_credit_note_to_its_invoice(administration, tmp_path):
    run(
        administration,
        tmp_path,
        HEADER + ",credit_for\n"
        "C1,F-1,2026-01-05,2026-02-04,100.00,\n"
        "C1,CN-1,2026-01-20,2026-01-20,-30.00,F-1\n",
    )
    invoice, credit = Invoice.objects.get(number="F-1"), Invoice.objects.get(number="CN-1")
    assert open_amounts(administration=administration, as_of=dt.date(2026, 1, 19)) == {
        invoice.pk: Decimal("100.00")
    }
    assert open_amounts(administration=administration, as_of=dt.date(2026, 1, 20)) == {
        invoice.pk: Decimal("70.00")
    }
    assert credit.pk not in open_amounts(administration=administration, as_of=dt.date(2026, 1, 20))


def test_the_same_file_twice_and_the_same_rows_in_another_file_change_nothing(
    administration, tmp_path
):
    text = HEADER + "\nC1,F-1,2026-01-05,2026-02-04,100.00\n"
    run(administration, tmp_path, text)
    before = ledger_counts()
    assert run(administration, tmp_path, text).already_imported
    assert ledger_counts() == before
    again = run(administration, tmp_path, text.replace("100.00", '"100,00"'), name="copy.csv")
    assert again.unchanged == 1 and again.created["invoices"] == 0
    assert ledger_counts()["Invoice"] == 1


def test_xlsx_with_typed_cells(administration, tmp_path):
    path = write_xlsx(
        tmp_path,
        "invoices.xlsx",
        [
            ["customer_number", "invoice_number", "invoice_date", "due_date", "amount"],
            ["C1", 1001, dt.datetime(2026, 1, 5), dt.datetime(2026, 2, 4), 55.94],
            ["C1", "1002", "05-01-2026", "2026-02-04", "12,5"],
        ],
    )
    invoice_import(administration=administration, table=read_table(path))
    assert dict(Invoice.objects.values_list("number", "amount")) == {
        "1001": Decimal("55.94"),
        "1002": Decimal("12.50"),
    }


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("C1,F-1,2026-01-05,2026-02-04,", "line 3, column amount: the amount is empty"),
        (
            "C1,F-1,2026-13-05,2026-02-04,10",
            "line 3, column invoice_date: '2026-13-05' is not a date",
        ),
        (
            "C1,F-1,1/15/2013,2026-02-04,10",
            "line 3, column invoice_date: '1/15/2013' is not a date",
        ),
        (
            "C1,F-1,2026-01-05,2026-02-04,12.345",
            "line 3, column amount: '12.345' has more than 2 decimals",
        ),
        ("C1,F-1,2026-01-05,2026-02-04,twelve", "line 3, column amount: 'twelve' is not an amount"),
        ("C1,F-1,2026-01-05,2026-02-04,0", "line 3, column amount: '0': an invoice of zero"),
        (
            "C1,F-1,2026-01-05,2026-01-04,10",
            "line 3, column due_date: '2026-01-04': is before the invoice date 2026-01-05",
        ),
        (
            "C2,F-1,2026-01-05,2026-02-04,10",
            "line 3, column customer_number: 'C2': no such customer",
        ),
        (
            ",F-1,2026-01-05,2026-02-04,10",
            "line 3, column customer_number: the customer number is empty",
        ),
        (
            "C1,OK-1,2026-01-05,2026-02-04,10",
            "line 3, column invoice_number: 'OK-1': appears twice in the file (also on line 2)",
        ),
    ],
)
def test_bad_values_name_line_column_and_value_and_write_nothing(
    administration, tmp_path, row, message
):
    before = ledger_counts()
    with pytest.raises(ImportFailed) as failure:
        run(administration, tmp_path, f"{HEADER}\nC1,OK-1,2026-01-05,2026-02-04,10\n{row}\n")
    assert f"invoices.csv, {message}" in str(failure.value)
    assert str(failure.value).endswith("Nothing was imported.")
    assert ledger_counts() == before  # the good line 2 was not written either


@pytest.mark.parametrize(
    ("header", "rows", "message"),
    [
        (
            "customer_number,invoice_number,invoice_date,amount",
            "C1,F,2026-01-05,1",
            "line 1: required column(s) missing: due_date",
        ),
        (
            HEADER + ",ammount",
            "C1,F,2026-01-05,2026-02-04,1,2",
            "line 1, column ammount: unknown column",
        ),
        (
            HEADER + ",currency",
            "C1,F,2026-01-05,2026-02-04,1,XYZ",
            "line 2, column currency: unknown currency 'XYZ'",
        ),
        (
            HEADER + ",kind",
            "C1,F,2026-01-05,2026-02-04,-1,invoice",
            "line 2, column amount: '-1': an invoice cannot be negative",
        ),
        (
            HEADER + ",kind",
            "C1,F,2026-01-05,2026-02-04,1,bill",
            "line 2, column kind: 'bill' is not one of credit_note, invoice",
        ),
        (
            HEADER + ",vat_amount",
            "C1,F,2026-01-05,2026-02-04,10,21",
            "line 2, column vat_amount: '21': the VAT is more than the amount",
        ),
        (
            HEADER + ",credit_for",
            "C1,F,2026-01-05,2026-02-04,10,X-1",
            "line 2, column credit_for: 'X-1': only a credit note",
        ),
        (
            HEADER + ",credit_for",
            "C1,CN,2026-01-05,2026-02-04,-10,X-1",
            "line 2, column credit_for: 'X-1': no such invoice",
        ),
    ],
)
def test_header_and_column_errors(administration, tmp_path, header, rows, message):
    with pytest.raises(ImportFailed, match=None) as failure:
        run(administration, tmp_path, f"{header}\n{rows}\n")
    assert message in str(failure.value)
    assert ledger_counts()["Invoice"] == 0


def test_an_invoice_already_in_the_ledger_with_other_values_is_refused(administration, tmp_path):
    run(administration, tmp_path, HEADER + "\nC1,F-1,2026-01-05,2026-02-04,100.00\n")
    with pytest.raises(
        ImportFailed,
        match=r"line 2, column invoice_number: 'F-1': already in the ledger with other values \(customer C1, EUR 100.00",
    ):
        run(
            administration,
            tmp_path,
            HEADER + "\nC1,F-1,2026-01-05,2026-02-04,110.00\n",
            name="changed.csv",
        )
    assert Invoice.objects.get().amount == Decimal("100.00")


def test_many_errors_are_all_reported_up_to_a_limit(administration, tmp_path):
    rows = "".join(f"C1,F-{n},2026-01-05,2026-02-04,x\n" for n in range(80))
    with pytest.raises(ImportFailed) as failure:
        run(administration, tmp_path, HEADER + "\n" + rows)
    assert len(failure.value.errors) == 50 and failure.value.more == 30
    assert "... and 30 more errors" in str(failure.value)


def test_invoice_numbers_are_unique_per_administration_not_globally(administration, tmp_path):
    other = administration_factory("OTHER")
    customer_factory(other, "C1")
    text = HEADER + "\nC1,F-1,2026-01-05,2026-02-04,100.00\n"
    run(administration, tmp_path, text)
    result = invoice_import(
        administration=other, table=read_table(write_csv(tmp_path, "invoices.csv", text))
    )
    assert result.created["invoices"] == 1
    assert Invoice.objects.filter(number="F-1").count() == 2
