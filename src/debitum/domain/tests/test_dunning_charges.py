"""What a communication may charge, per debtor, as worked examples with their articles."""

import datetime as dt
from decimal import Decimal

from debitum.domain.dunning_charges import ChargedInvoice, TakenStep, communication_charges
from debitum.domain.interest_rates import shipped_rate_table

D = Decimal
RATES = shipped_rate_table()


def charges(
    country, consumer, kind, invoices, as_of, *, fees=True, interest=False, channel="letter"
):
    return communication_charges(
        country=country,
        is_consumer=consumer,
        step_kind=kind,
        channel=channel,
        charges_fees=fees,
        charges_interest=interest,
        invoices=invoices,
        as_of=as_of,
        pay_within_days=14,
        rates=RATES,
    )


def test_dutch_business_costs_follow_the_scale_over_the_letter_total():
    # Art. 6:96 lid 7 BW: the principals of one letter are added up: 1,500 + 1,500 = 3,000 ->
    # 15% of 2,500 + 10% of 500 = 425.00 (Besluit incassokosten, art. 2).
    invoices = [
        ChargedInvoice("F-1", dt.date(2026, 1, 1), D("1500.00")),
        ChargedInvoice("F-2", dt.date(2026, 1, 5), D("1500.00")),
    ]
    result = charges("NL", False, "demand", invoices, dt.date(2026, 2, 2))
    assert result.fee == D("425.00")
    assert result.fee_per_invoice == {"F-1": D("212.50"), "F-2": D("212.50")}
    # Pay within 14 days: 2026-02-16 is a Monday.
    assert result.pay_before == dt.date(2026, 2, 16)


def test_costs_are_charged_once_per_invoice():
    charged_before = ChargedInvoice(
        "F-1",
        dt.date(2026, 1, 1),
        D("1500.00"),
        history=(TakenStep("demand", dt.date(2026, 1, 22), "letter", fee=D("225.00")),),
    )
    result = charges("NL", False, "notice_of_default", [charged_before], dt.date(2026, 2, 20))
    assert result.fee == D("0.00")


def test_a_dutch_consumer_owes_no_costs_before_the_fourteen_day_letter_has_run_its_term():
    fresh = ChargedInvoice("F-1", dt.date(2026, 1, 1), D("267.00"))
    letter = charges("NL", True, "fourteen_day_letter", [fresh], dt.date(2026, 4, 24))
    # The letter names the costs (15% of 267.00 = 40.05) but charges nothing yet; its term:
    # posted Friday 24 April 2026, deemed delivered Tuesday 28 April (not counting Sunday and
    # Koningsdag, Monday 27 April), fourteen days from the 29th: pay on or before 12 May.
    assert (letter.fee, letter.named_costs) == (D("0.00"), D("40.05"))
    assert letter.pay_before == dt.date(2026, 5, 12)
    after_letter = ChargedInvoice(
        "F-1",
        dt.date(2026, 1, 1),
        D("267.00"),
        history=(TakenStep("fourteen_day_letter", dt.date(2026, 4, 24), "letter"),),
    )
    # On 12 May the term has not passed: no costs. From 13 May they are due.
    assert charges("NL", True, "demand", [after_letter], dt.date(2026, 5, 12)).fee == D("0.00")
    assert charges("NL", True, "demand", [after_letter], dt.date(2026, 5, 13)).fee == D("40.05")


def test_a_dutch_consumer_without_a_fourteen_day_letter_owes_no_costs():
    result = charges("NL", True, "demand", [ChargedInvoice("F-1", dt.date(2026, 1, 1), D("900"))],
                     dt.date(2026, 3, 1))  # fmt: skip
    assert result.fee == D("0.00")
    assert "art. 6:96 lid 6 BW" in " ".join(result.calculation["notes"])


def test_belgian_business_pays_40_per_invoice():
    # Art. 6 of the law of 2 August 2002: a flat 40.00 per invoice.
    invoices = [ChargedInvoice(f"F-{n}", dt.date(2026, 1, 1), D("100.00")) for n in (1, 2, 3)]
    assert charges("BE", False, "demand", invoices, dt.date(2026, 2, 1)).fee == D("120.00")


def test_the_first_belgian_consumer_reminder_is_free_and_starts_the_fourteen_days():
    fresh = ChargedInvoice("F-1", dt.date(2026, 7, 1), D("600.00"))
    # The first reminder charges nothing even if the step says so (art. XIX.2 WER).
    first = charges("BE", True, "reminder", [fresh], dt.date(2026, 7, 17))
    assert first.fee == D("0.00")
    # Posted Friday 17 July 2026: the term starts on the third working day after posting,
    # Thursday 23 July (21 July is a holiday), and runs 14 days: pay by 5 August.
    assert first.pay_before == dt.date(2026, 8, 5)
    reminded = ChargedInvoice(
        "F-1",
        dt.date(2026, 7, 1),
        D("600.00"),
        history=(TakenStep("reminder", dt.date(2026, 7, 17), "letter"),),
    )
    assert charges("BE", True, "demand", [reminded], dt.date(2026, 8, 5)).fee == D("0.00")
    # From 6 August: damages within the Book XIX caps, 65.00 + 5% of 100.00 = 70.00.
    assert charges("BE", True, "demand", [reminded], dt.date(2026, 8, 6)).fee == D("70.00")


def test_interest_comes_with_its_computation():
    # Art. 6:119a BW, 10.15% in 2026 H1: 2,000.00 from 2 January to 1 March (exclusive),
    # 58 days: 2,000 x 10.15% x 58/365 = 32.26.
    result = charges(
        "NL", False, "demand", [ChargedInvoice("F-1", dt.date(2026, 1, 1), D("2000.00"))],
        dt.date(2026, 3, 1), fees=False, interest=True,
    )  # fmt: skip
    assert result.interest == D("32.26")
    (line,) = result.calculation["interest"]
    assert line["periods"] == [
        {"from": "2026-01-02", "to": "2026-03-01", "days": 58, "rate": "10.15",
         "principal": "2000.00"}
    ]  # fmt: skip


def test_a_rate_the_table_does_not_know_is_not_charged_but_said():
    result = charges(
        "BE", False, "demand", [ChargedInvoice("F-1", dt.date(2026, 6, 1), D("100.00"))],
        dt.date(2026, 9, 1), fees=False, interest=True,
    )  # fmt: skip
    assert result.interest == D("0.00")
    assert "no be-commercial rate is known" in result.calculation["notes"][0]
