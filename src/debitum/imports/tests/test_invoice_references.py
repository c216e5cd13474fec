"""Imported invoices get a payment reference of the administration's kind when they have none."""

import pytest

from debitum.administrations.models import Administration
from debitum.administrations.tests.factories import administration_factory
from debitum.customers.tests.factories import customer_factory
from debitum.domain.references import validate
from debitum.imports.services import ImportFailed, invoice_import, read_table
from debitum.ledger.models import Invoice

from .helpers import (
    both_invoice_paths,  # noqa: F401 (a fixture)
    write_csv,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("both_invoice_paths")]
HEADER = "customer_number,invoice_number,invoice_date,due_date,amount,reference\n"


def run(administration, tmp_path, text):
    return invoice_import(
        administration=administration,
        table=read_table(write_csv(tmp_path, "invoices.csv", HEADER + text)),
    )


def references():
    return dict(Invoice.objects.order_by("number").values_list("number", "reference"))


def test_belgian_invoices_get_a_structured_communication(tmp_path):
    belgian = administration_factory("BELG", country="BE")
    customer_factory(belgian, "C1")
    run(
        belgian,
        tmp_path,
        "C1,F-1,2026-01-05,2026-02-04,100.00,\n"
        "C1,F-2,2026-01-05,2026-02-04,100.00,+++090/9337/55493+++\n"
        "C1,CN-1,2026-01-05,2026-01-05,-10.00,\n",
    )
    # The counter starts at 1: 0000000001 mod 97 = 01 -> +++000/0000/00101+++.
    assert references() == {
        "CN-1": "",
        "F-1": "+++000/0000/00101+++",
        "F-2": "+++090/9337/55493+++",
    }
    assert validate(references()["F-1"]).kind == "ogm"
    # One number used (the credit note needs none): the counter moved by one, also where the
    # import reserved one for every row without a reference and gave back what it did not use.
    assert Administration.objects.get(pk=belgian.pk).payment_reference_next == 2


def test_dutch_invoices_get_a_betalingskenmerk_and_numbers_are_never_reused(tmp_path):
    dutch = administration_factory("ACME", country="NL")
    customer_factory(dutch, "C1")
    run(dutch, tmp_path, "C1,F-1,2026-01-05,2026-02-04,100.00,\nC1,F-2,2026-01-05,2026-02-04,1,\n")
    first = references()
    assert {validate(reference).kind for reference in first.values()} == {"nl"}
    assert len(set(first.values())) == 2
    # The same file again: nothing new, the counter does not move.
    run(dutch, tmp_path, "C1,F-1,2026-01-05,2026-02-04,100.00,\nC1,F-2,2026-01-05,2026-02-04,1,\n")
    assert Administration.objects.get(pk=dutch.pk).payment_reference_next == 3


def test_a_failed_import_gives_its_numbers_back(tmp_path):
    dutch = administration_factory("ACME", country="NL")
    customer_factory(dutch, "C1")
    # The credit note's invoice is unknown: found after the invoices were written and their
    # references reserved, so the rollback must return the numbers too.
    table = read_table(
        write_csv(
            tmp_path,
            "invoices.csv",
            "customer_number,invoice_number,invoice_date,due_date,amount,credit_for\n"
            "C1,F-1,2026-01-05,2026-02-04,100.00,\n"
            "C1,CN-1,2026-01-05,2026-01-05,-10.00,F-404\n",
        )
    )
    with pytest.raises(ImportFailed, match="F-404"):
        invoice_import(administration=dutch, table=table)
    assert Administration.objects.get(pk=dutch.pk).payment_reference_next == 1
    assert not Invoice.objects.exists()


def test_an_administration_without_references_gets_none(tmp_path):
    plain = administration_factory("PLAIN", country="NL", payment_reference_kind="none")
    customer_factory(plain, "C1")
    run(plain, tmp_path, "C1,F-1,2026-01-05,2026-02-04,100.00,\n")
    assert references() == {"F-1": ""}


def test_imported_invoices_carry_the_keys_the_statement_matcher_looks_them_up_by(tmp_path):
    belgian = administration_factory("BELG", country="BE")
    customer_factory(belgian, "C1")
    run(
        belgian,
        tmp_path,
        "C1,F-2026/00123,2026-01-05,2026-02-04,100.00,\n"
        "C1,f 2026-0456,2026-01-05,2026-02-04,100.00,+++090/9337/55493+++\n"
        "C1,CN-007,2026-01-05,2026-01-05,-10.00,\n",
    )
    # number_key: letters and digits, upper case, without any zero; reference_key: letters and digits of the
    # reference the invoice has (given, or the one it got: +++000/0000/00101+++).
    assert list(
        Invoice.objects.order_by("number").values_list("number", "number_key", "reference_key")
    ) == [
        ("CN-007", "CN7", ""),
        ("F-2026/00123", "F226123", "000000000101"),
        ("f 2026-0456", "F226456", "090933755493"),
    ]
