"""`debitum calc fees` and `debitum calc pay-before` as a user types them (no database)."""

import json

import pytest

from debitum.cli import main


def run_json(capsys, *argv):
    assert main([*argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("principal", "fee"),
    [
        # Issue 3, art. 2 lid 1 Besluit vergoeding voor buitengerechtelijke incassokosten.
        ("1500", "225.00"),
        ("3000", "425.00"),
        ("800000", "5775.00"),
        ("1200000", "6775.00"),
        ("1.500,00", "225.00"),  # typed the Dutch way
    ],
)
def test_nl_fee_in_json(capsys, principal, fee):
    result = run_json(capsys, "calc", "fees", "--principal", principal, "--regime", "nl")
    assert result["fee"] == fee


def test_nl_breakdown_in_json(capsys):
    result = run_json(
        capsys, "calc", "fees", "--principal", "3000", "--regime", "nl", "--consumer", "--vat"
    )
    assert result["fee"] == "514.25"  # 425.00 + 21% VAT (art. 2 lid 3 Besluit)
    assert [(s["rate"], s["base"], s["amount"]) for s in result["slices"]] == [
        ("15.00", "2500.00", "375.00"),
        ("10.00", "500.00", "50.00"),
    ]
    assert result["subtotal"] == result["costs"] == "425.00"
    assert (result["vat_rate"], result["vat"]) == ("21.00", "89.25")
    assert (result["minimum"], result["maximum"]) == ("40.00", "6775.00")
    assert result["minimum_applied"] is False and result["maximum_applied"] is False
    assert "Besluit" in result["article"]
    assert "fourteen-day letter" in result["conditions"][0]


def test_nl_claims_in_one_letter_are_added_up(capsys):
    result = run_json(
        capsys, "calc", "fees", "--principal", "1500", "--principal", "1500", "--regime", "nl"
    )
    assert (result["principal"], result["fee"]) == ("3000.00", "425.00")
    assert result["principals"] == ["1500.00", "1500.00"]


def test_nl_text_table(capsys):
    assert main(["calc", "fees", "--principal", "1200000", "--regime", "nl", "--consumer"]) == 0
    out = capsys.readouterr().out
    assert "15% over 0.00 to 2,500.00" in out
    assert "0.5% over the part above 200,000.00" in out
    assert "held at the maximum of 6,775.00" in out
    assert out.splitlines()[out.splitlines().index("") - 1].split() == ["fee", "6,775.00"]
    assert "fourteen-day letter" in out
    assert "art. 6:96 lid 6 BW" in out


def test_be_business_per_invoice(capsys):
    result = run_json(
        capsys, "calc", "fees", "--principal", "900", "--regime", "be-business", "--invoices", "3"
    )
    assert result["fee"] == "120.00"
    assert "2 August 2002" in result["article"]


def test_be_consumer_caps_and_reminders(capsys):
    result = run_json(capsys, "calc", "fees", "--principal", "300", "--regime", "be-consumer")
    assert result["fee"] == "45.00"  # 30.00 + 10% of 150.00 (Book XIX WER)
    result = run_json(
        capsys,
        "calc",
        "fees",
        "--principal",
        "1000",
        "--regime",
        "be-consumer",
        "--reminders",
        "2",
        "--postage",
        "1,35",
    )
    assert result["fee"] == "107.70"  # 65.00 + 25.00 + 2 x (7.50 + 1.35)
    assert [extra["amount"] for extra in result["extras"]] == ["15.00", "2.70"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--principal", "100", "--regime", "be-consumer", "--vat"], "VAT"),
        (["--principal", "100", "--regime", "nl", "--reminders", "1"], "--reminders"),
        (["--principal", "100", "--regime", "nl", "--invoices", "2"], "--invoices"),
        (["--principal", "100", "--regime", "be-business", "--consumer"], "--consumer"),
        (["--principal", "100", "--regime", "be-consumer", "--postage", "1"], "--reminders N"),
        (["--principal", "-5", "--regime", "nl"], "negative"),
        (
            ["--principal", "1", "--principal", "2", "--regime", "be-consumer"],
            "one principal",
        ),
    ],
)
def test_refuses_what_it_cannot_know(capsys, argv, message):
    assert main(["calc", "fees", *argv]) == 1
    assert message in capsys.readouterr().err


def test_bad_amount_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["calc", "fees", "--principal", "12.345", "--regime", "nl"])
    assert exit_info.value.code == 2
    assert "more than 2 decimals" in capsys.readouterr().err


def test_pay_before_fourteen_day_letter(capsys):
    # Posted Friday 24 April 2026: Sat (1), Sunday and Koningsdag Monday skipped, Tue 28 (2);
    # fourteen days from Wed 29 April end on Tuesday 12 May.
    result = run_json(
        capsys,
        "calc",
        "pay-before",
        "--sent",
        "2026-04-24",
        "--channel",
        "post",
        "--kind",
        "fourteen-day-letter",
    )
    assert result["pay_before"] == "2026-05-12"
    assert result["first_default_date"] == "2026-05-13"
    assert result["received"] == "2026-04-28"
    assert any("HR 25 November 2016" in reason for reason in result["reasons"])


def test_pay_before_be_reminder_text(capsys):
    argv = ["calc", "pay-before", "--sent", "2026-03-04", "--channel", "post"]
    assert main([*argv, "--kind", "be-reminder", "--country", "BE"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Pay on or before 2026-03-23\n")
    assert "third working day" in out
    assert main([*argv, "--kind", "be-reminder", "--country", "NL"]) == 1
    assert "BE term" in capsys.readouterr().err
