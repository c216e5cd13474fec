"""The `debitum` command as a user types it."""

import json
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from debitum.administrations.models import Administration, Membership
from debitum.cli import main
from debitum.ledger.models import Invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(capsys):
    assert main(["administration", "create", "ACME", "--name", "Acme B.V.", "--country", "NL"]) == 0
    capsys.readouterr()
    return Administration.objects.get(code="ACME")


def test_init_is_safe_to_run_again(capsys):
    assert main(["init"]) == 0
    assert main(["init"]) == 0
    assert "Database ready" in capsys.readouterr().out


def test_administration_create_and_list(capsys):
    assert (
        main(
            [
                "administration",
                "create",
                "BELG",
                "--name",
                "Belg SRL",
                "--country",
                "BE",
                "--currency",
                "eur",
            ]
        )
        == 0
    )
    assert "Administration BELG (Belg SRL, BE, EUR) created." in capsys.readouterr().out
    belg = Administration.objects.get(code="BELG")
    assert (belg.language, belg.currency) == ("fr", "EUR")
    assert main(["administration", "create", "BELG", "--name", "again", "--country", "BE"]) == 1
    assert "administration 'BELG' already exists" in capsys.readouterr().err
    assert (
        main(
            [
                "administration",
                "create",
                "X",
                "--name",
                "x",
                "--country",
                "NL",
                "--currency",
                "EURO",
            ]
        )
        == 1
    )
    assert "unknown currency 'EURO'" in capsys.readouterr().err
    assert main(["administration", "list"]) == 0
    assert "BELG\tBelg SRL\tBE\tEUR" in capsys.readouterr().out


def test_user_create_with_a_role(acme, capsys):
    assert (
        main(
            [
                "user",
                "create",
                "marie",
                "--password",
                "s3cret-enough",
                "--administration",
                "ACME",
                "--role",
                "controller",
            ]
        )
        == 0
    )
    assert "User marie created, controller in ACME." in capsys.readouterr().out
    user = get_user_model().objects.get(username="marie")
    assert user.check_password("s3cret-enough") and user.password.startswith("argon2")
    assert Membership.objects.get(user=user).role == "controller"
    assert main(["user", "create", "weak", "--password", "123"]) == 1
    assert "too short" in capsys.readouterr().err
    assert not get_user_model().objects.filter(username="weak").exists()
    assert main(["user", "grant", "marie", "--administration", "ACME", "--role", "manager"]) == 0
    assert Membership.objects.get(user=user).role == "manager"


def test_user_create_without_password_prints_a_generated_one(acme, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["user", "create", "bot"]) == 0
    password = capsys.readouterr().out.split("Password: ")[1].strip()
    assert get_user_model().objects.get(username="bot").check_password(password)


def test_import_failure_exits_1_and_names_the_line(acme, tmp_path, capsys):
    path = tmp_path / "invoices.csv"
    path.write_text(
        "customer_number,customer_name,invoice_number,invoice_date,due_date,amount\n"
        "C1,Jansen,F-1,2026-01-05,2026-02-04,100\n"
        "C1,Jansen,F-2,2026-01-05,2026-02-04,1OO\n"
    )
    assert main(["import", "invoices", str(path), "--administration", "ACME"]) == 1
    err = capsys.readouterr().err
    assert "invoices.csv, line 3, column amount: '1OO' is not an amount" in err
    assert "Nothing was imported." in err
    assert Invoice.objects.count() == 0
    assert (
        main(["import", "invoices", str(path), "--administration", "ACME", "--format", "json"]) == 1
    )
    assert json.loads(capsys.readouterr().out)["errors"] == [
        {
            "file": "invoices.csv",
            "line": 3,
            "column": "amount",
            "value": "1OO",
            "message": "'1OO' is not an amount",
        }
    ]


def test_import_json_and_reports_in_every_format(acme, tmp_path, capsys):
    path = tmp_path / "invoices.csv"
    path.write_text(
        "customer_number;customer_name;invoice_number;invoice_date;due_date;amount\n"
        "C1;Jansen;F-1;01-05-2026;31-05-2026;1.234,56\n"
    )
    assert (
        main(["import", "invoices", str(path), "--administration", "ACME", "--format", "json"]) == 0
    )
    assert json.loads(capsys.readouterr().out)["created"]["invoices"] == 1
    assert (
        main(
            [
                "report",
                "aging",
                "--as-of",
                "2026-06-15",
                "--administration",
                "ACME",
                "--format",
                "json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["currencies"]["EUR"]["1-30"] == "1234.56"
    assert (
        main(
            [
                "report",
                "aging",
                "--as-of",
                "15-06-2026",
                "--administration",
                "ACME",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    assert (
        "C1,Jansen,EUR,0.00,1234.56,0.00,0.00,0.00,1234.56,0.00,1234.56" in capsys.readouterr().out
    )
    xlsx = tmp_path / "aging.xlsx"
    assert (
        main(
            [
                "report",
                "aging",
                "--as-of",
                "2026-06-15",
                "--administration",
                "ACME",
                "--format",
                "xlsx",
                "--output",
                str(xlsx),
            ]
        )
        == 0
    )
    assert load_workbook(BytesIO(xlsx.read_bytes()))["Totals"]["C2"].value == 1234.56
    assert main(["report", "aging", "--as-of", "2026-06-15", "--administration", "ACME"]) == 0
    assert "1234.56" in capsys.readouterr().out


def test_unknown_administration_is_a_clear_error(capsys):
    assert main(["report", "aging", "--administration", "NOPE", "--as-of", "2026-01-01"]) == 1
    assert "no administration with code 'NOPE'" in capsys.readouterr().err


def test_bad_date_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "aging", "--administration", "ACME", "--as-of", "2026-02-30"])
    assert exit_info.value.code == 2
    assert "'2026-02-30' is not a date" in capsys.readouterr().err


def test_write_off_from_the_command_line(acme, tmp_path, capsys):
    path = tmp_path / "invoices.csv"
    path.write_text(
        "customer_number,customer_name,invoice_number,invoice_date,due_date,amount\n"
        "C1,Jansen,F-1,2026-01-05,2026-02-04,100.00\n"
    )
    assert main(["import", "invoices", str(path), "--administration", "ACME"]) == 0
    args = ["invoice", "write-off", "F-1", "--administration", "ACME", "--date", "2026-06-01"]
    assert main([*args, "--amount", "100,01", "--reason", "bankrupt"]) == 1
    assert "100.00 is open on F-1; cannot write off 100.01" in capsys.readouterr().err
    assert main([*args, "--amount", "100,00", "--reason", "bankrupt, no payout"]) == 0
    assert "EUR 100.00 of F-1 written off on 2026-06-01." in capsys.readouterr().out
    assert (
        main(
            [
                "report",
                "aging",
                "--as-of",
                "2026-06-01",
                "--administration",
                "ACME",
                "--format",
                "json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["customers"] == []


def test_demo_twice_changes_nothing_and_a_conflicting_demo_is_a_clear_error(capsys):
    args = ["demo", "--customers", "12", "--seed", "3", "--as-of", "2026-06-30"]
    assert main(args) == 0
    assert "Demo administration DEMO" in capsys.readouterr().out
    invoices = Invoice.objects.count()
    assert main(args) == 0
    assert Invoice.objects.count() == invoices
    capsys.readouterr()
    assert main(["demo", "--customers", "13", "--seed", "3", "--as-of", "2026-06-30"]) == 1
    assert capsys.readouterr().err.startswith("debitum: ")


def test_serve_takes_its_thread_count_from_the_option_or_the_environment(monkeypatch, capsys):
    served = []
    monkeypatch.setattr("debitum.web.server.serve", lambda **kwargs: served.append(kwargs))
    assert main(["serve", "--port", "8123", "--threads", "16"]) == 0
    monkeypatch.setenv("DEBITUM_THREADS", "4")
    assert main(["serve"]) == 0
    assert served == [
        {"host": "127.0.0.1", "port": 8123, "threads": 16},
        {"host": "127.0.0.1", "port": 8000, "threads": 4},
    ]
