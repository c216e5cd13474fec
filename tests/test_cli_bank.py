"""`debitum import statement` and `debitum bank queue|confirm|ignore` as a user types them."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from debitum.administrations.tests.factories import administration_factory
from debitum.banking.formats.camt_writer import camt053
from debitum.banking.formats.statement import ParsedEntry
from debitum.cli import main
from debitum.customers.tests.factories import customer_factory
from debitum.ledger.selectors import open_amounts
from debitum.ledger.tests.factories import invoice_factory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 30)
ALL = dt.date(9999, 12, 31)


@pytest.fixture
def statement_file(tmp_path):
    """ACME with two open invoices, and a camt.053 that pays one by reference and holds a
    payment nobody can place and a bank's debit."""
    acme = administration_factory("ACME")
    baker = customer_factory(acme, "C001", name="Bakkerij Jansen")
    invoice_factory(baker, "2026-0001", "121.00", invoice_date=dt.date(2026, 5, 1),
                    reference="+++090/9337/55493+++")  # fmt: skip
    invoice_factory(baker, "2026-0002", "80.00", invoice_date=dt.date(2026, 5, 2))

    def entry(amount, **kwargs):
        return ParsedEntry(DAY, DAY, Decimal(amount), "EUR", **kwargs)

    path = tmp_path / "2026-06-30.xml"
    path.write_bytes(
        camt053(
            account_iban="NL91ABNA0417164300",
            currency="EUR",
            statement_number="181",
            opening_balance=Decimal("500.00"),
            date=DAY,
            entries=[
                entry("121.00", counterparty_name="Jansen", structured_reference="090933755493"),
                entry("30.00", counterparty_name="Onbekend", remittance="voorschot"),
                entry("-12.50", counterparty_name="ABN AMRO", remittance="kosten"),
            ],
        )
    )
    return acme, path


def test_import_a_statement_as_json_then_again(statement_file, capsys):
    acme, path = statement_file
    assert (
        main(["import", "statement", str(path), "--administration", "ACME", "--format", "json"])
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    (statement,) = out["statements"]
    assert (statement["account"], statement["opening_balance"], statement["closing_balance"]) == (
        "NL91ABNA0417164300",
        "500.00",
        "638.50",
    )
    assert [(e["amount"], e["outcome"], e["invoices"]) for e in statement["entries"]] == [
        ("121.00", "matched", ["2026-0001"]),
        ("30.00", "unmatched", []),
        ("-12.50", "ignored", []),
    ]
    assert main(["import", "statement", str(path), "--administration", "ACME"]) == 0
    assert "this file was imported before; nothing changed" in capsys.readouterr().out


def test_the_queue_confirmed_on_an_invoice_and_set_aside(statement_file, capsys):
    acme, path = statement_file
    assert main(["import", "statement", str(path), "--administration", "ACME"]) == 0
    capsys.readouterr()
    assert main(["bank", "queue", "--administration", "ACME", "--format", "json"]) == 0
    (waiting,) = json.loads(capsys.readouterr().out)["entries"]
    assert (waiting["amount"], waiting["outcome"]) == ("30.00", "unmatched")
    entry = str(waiting["entry"])
    # An invoice of another amount: 30.00 of 80.00 is paid, the rest stays open.
    assert main(["bank", "confirm", entry, "--administration", "ACME", "--customer", "C001",
                 "--invoice", "2026-0002"]) == 0  # fmt: skip
    assert "matched to C001: 2026-0002 30.00" in capsys.readouterr().out
    invoice_id = next(iter(open_amounts(administration=acme, as_of=ALL)))
    assert open_amounts(administration=acme, as_of=ALL) == {invoice_id: Decimal("50.00")}
    assert main(["bank", "ignore", entry, "--administration", "ACME"]) == 1
    assert "matched already" in capsys.readouterr().err
    assert main(["bank", "queue", "--administration", "ACME"]) == 0
    assert "The reconciliation queue is empty." in capsys.readouterr().out
    assert main(["bank", "confirm", "999999", "--administration", "ACME"]) == 1
    assert "there is no bank entry 999999 in ACME" in capsys.readouterr().err


def test_a_file_that_is_no_statement_names_the_file_and_place(tmp_path, capsys):
    administration_factory("ACME")
    path = tmp_path / "broken.xml"
    path.write_bytes(b"<?xml version='1.0'?><Document><BkToCstmrStmt><Stmt>")
    assert main(["import", "statement", str(path), "--administration", "ACME"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("broken.xml, line 1") and "Nothing was imported." in err
