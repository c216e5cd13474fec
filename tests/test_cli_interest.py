"""`debitum calc interest` and `debitum rates` as a user types them."""

import json

import pytest

from debitum.cli import main
from debitum.domain.interest_rates import shipped_rate_table

pytestmark = pytest.mark.django_db


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_calc_interest_json_shape_and_figures(capsys):
    # be-commercial 2024: 12.50% both halves; 10,000.00 x 12.5% x 366/365 = 1,253.42.
    code, out, _ = run(
        capsys,
        "calc", "interest", "--principal", "10000", "--from", "2024-01-01", "--to", "2025-01-01",
        "--regime", "be-commercial", "--format", "json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["interest"] == "1253.42"
    assert [
        {key: period[key] for key in ("from", "to", "days", "rate", "principal", "interest")}
        for period in data["periods"]
    ] == [
        {
            "from": "2024-01-01",
            "to": "2024-07-01",
            "days": 182,
            "rate": "12.50",
            "principal": "10000.00",
            "interest": "623.287671",
        },
        {
            "from": "2024-07-01",
            "to": "2025-01-01",
            "days": 184,
            "rate": "12.50",
            "principal": "10000.00",
            "interest": "630.136986",
        },
    ]


def test_calc_interest_text_explains_the_compounding(capsys):
    code, out, _ = run(
        capsys,
        "calc", "interest", "--principal", "1000,00", "--from", "2023-01-01", "--to", "2025-01-01",
        "--regime", "nl-commercial",
    )  # fmt: skip
    assert code == 0
    assert "112.56 to principal" in out and "250.61" in out and "6:119a" in out


def test_calc_interest_with_payments_and_contractual_rate(capsys):
    code, out, _ = run(
        capsys,
        "calc", "interest", "--principal", "1000", "--from", "2024-01-01", "--to", "2024-07-01",
        "--regime", "contractual", "--rate", "12", "--costs", "40",
        "--payment", "2024-04-01=100", "--format", "json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    # 1,000 x 12% x 91/365 = 29.92: 40.00 costs, 29.92 interest, 30.08 principal.
    assert data["payments"] == [
        {
            "date": "2024-04-01",
            "amount": "100.00",
            "costs": "40.00",
            "interest": "29.92",
            "principal": "30.08",
            "unapplied": "0.00",
        }
    ]
    assert data["outstanding"]["principal"] == "969.92"


def test_calc_interest_refuses_what_it_cannot_know(capsys):
    last = shipped_rate_table().rows("nl-consumer")[-1].end
    code, out, err = run(
        capsys,
        "calc", "interest", "--principal", "100", "--from", str(last),
        "--to", "2030-01-01", "--regime", "nl-consumer", "--format", "json",
    )  # fmt: skip
    assert code == 1
    assert "no nl-consumer rate is known for" in json.loads(out)["error"]
    assert "debitum rates add" in err


def test_calc_interest_usage_errors(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["calc", "interest", "--principal", "abc", "--from", "2024-01-01", "--to",
              "2024-02-01", "--regime", "be-commercial"])  # fmt: skip
    assert exit_.value.code == 2
    code, _, err = run(
        capsys,
        "calc", "interest", "--principal", "100", "--from", "2024-01-01", "--to", "2024-02-01",
        "--regime", "contractual",
    )  # fmt: skip
    assert code == 1 and "needs its rate" in err


def test_rates_add_then_calc_uses_it(capsys):
    last = shipped_rate_table().rows("be-commercial")[-1].end
    start = last.replace(day=1, month=7) if last.month == 6 else last.replace(day=1, month=1)
    assert str(start) > str(last)
    end = start.replace(month=12, day=31) if start.month == 7 else start.replace(month=6, day=30)
    code, out, err = run(
        capsys,
        "rates", "add", "--regime", "be-commercial", "--from", str(start), "--to", str(end),
        "--rate", "10.5", "--source", "Belgisch Staatsblad",
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = run(
        capsys,
        "calc", "interest", "--principal", "36500", "--from", str(start),
        "--to", str(start.replace(day=2)), "--regime", "be-commercial", "--format", "json",
    )  # fmt: skip
    # 36,500 x 10.5% x 1/365 = 10.50
    assert code == 0 and json.loads(out)["interest"] == "10.50"
    code, out, _ = run(capsys, "rates", "list", "--regime", "be-commercial")
    assert "(added)" in out and "Belgisch Staatsblad" in out
    code, _, err = run(
        capsys,
        "rates", "add", "--regime", "be-commercial", "--from", "2024-01-01", "--to", "2024-06-30",
        "--rate", "1", "--source", "x",
    )  # fmt: skip
    assert code == 1 and "already ships" in err


def test_rates_list_json(capsys):
    code, out, _ = run(capsys, "rates", "list", "--regime", "nl-consumer", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert rows[0] == {
        "regime": "nl-consumer",
        "from": "2002-01-01",
        "to": "2003-07-31",
        "rate": "7.00",
        "source": rows[0]["source"],
        "origin": "shipped",
    }


def test_calc_interest_needs_no_database(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "DEBITUM_HOME": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    completed = subprocess.run(
        [sys.executable, "-m", "debitum.cli", "calc", "interest", "--principal", "1000",
         "--from", "2024-01-01", "--to", "2024-02-01", "--regime", "be-commercial",
         "--format", "json"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    # 1,000 x 12.5% x 31/365 = 10.62
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["interest"] == "10.62"
