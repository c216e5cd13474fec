"""The dry run of an import (the web page's preview): every check, then nothing written."""

import pytest

from debitum.administrations.tests.factories import administration_factory
from debitum.customers.tests.factories import customer_factory
from debitum.imports.services import IMPORTERS, ImportFailed, read_table

from .helpers import (
    both_invoice_paths,  # noqa: F401 (a fixture)
    ledger_counts,
    write_csv,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("both_invoice_paths")]


@pytest.fixture
def administration():
    administration = administration_factory("ACME")
    customer_factory(administration, "C1")
    return administration


def test_a_dry_run_tells_what_the_import_would_do_and_writes_nothing(administration, tmp_path):
    # Given a good invoice file,
    table = read_table(
        write_csv(
            tmp_path,
            "invoices.csv",
            "customer_number,customer_name,invoice_number,invoice_date,due_date,amount\n"
            "C1,,F-1,2026-01-05,2026-02-04,1210.00\n"
            "C9,Nieuwe Klant BV,F-2,2026-01-06,2026-02-05,99.95\n",
        )
    )
    before = ledger_counts()
    # when it is imported as a dry run,
    result = IMPORTERS["invoices"](administration=administration, table=table, dry_run=True)
    # then the result counts what would be created, and nothing was written;
    assert result.created == {
        "invoices": 2,
        "credit notes": 0,
        "customers": 1,
        "credit allocations": 0,
    }
    assert result.batch_id is None
    assert ledger_counts() == before
    # the real import afterwards does the same and keeps it.
    real = IMPORTERS["invoices"](administration=administration, table=table)
    assert real.created == result.created and real.batch_id is not None
    assert ledger_counts() != before


def test_a_dry_run_finds_the_errors_that_need_the_ledger(administration, tmp_path):
    # An invoice number already in the ledger with another amount is found only while writing.
    header = "customer_number,invoice_number,invoice_date,due_date,amount\n"
    IMPORTERS["invoices"](
        administration=administration,
        table=read_table(
            write_csv(tmp_path, "a.csv", header + "C1,F-1,2026-01-05,2026-02-04,10\n")
        ),
    )
    before = ledger_counts()
    table = read_table(write_csv(tmp_path, "b.csv", header + "C1,F-1,2026-01-05,2026-02-04,11\n"))
    with pytest.raises(ImportFailed) as failed:
        IMPORTERS["invoices"](administration=administration, table=table, dry_run=True)
    assert failed.value.errors[0].line == 2
    assert ledger_counts() == before
