"""`debitum calc interest`: statutory or contractual interest, period by period.

    debitum calc interest --principal P --from D1 --to D2 --regime R [--format json]
        [--rate PCT [--compound]] [--payment DATE=AMOUNT ...] [--costs C]

Interest on P for the days from D1 (inclusive) to D2 (exclusive). Needs no database; when one is
set up, rates added with `debitum rates add` count too.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal

from .common import EXIT_FAILED, EXIT_OK, date_argument, subcommands

EXACT = Decimal("0.000001")


def _amount(text: str) -> Decimal:
    from debitum.domain.money import MoneyError, parse_amount

    try:
        return parse_amount(text)
    except MoneyError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _percentage(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", ".").rstrip("%"))
    except ArithmeticError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage") from None


def _payment(text: str):
    from debitum.domain.interest import Payment

    day, separator, amount = text.partition("=")
    if not separator:
        raise argparse.ArgumentTypeError(f"{text!r}: write a payment as DATE=AMOUNT")
    return Payment(payment_date=date_argument(day), amount=_amount(amount))


def interest_as_dict(result) -> dict:
    return {
        "regime": result.regime,
        "article": result.article,
        "compound": result.compound,
        "from": result.start.isoformat(),
        "to": result.end.isoformat(),
        "interest": f"{result.interest:.2f}",
        "periods": [
            {
                "from": period.start.isoformat(),
                "to": period.end.isoformat(),
                "days": period.days,
                "rate": f"{period.rate:.2f}",
                "principal": f"{period.principal:.2f}",
                "interest": str(period.interest.quantize(EXACT)),
                "capitalised": (
                    f"{period.capitalised:.2f}" if period.capitalised is not None else None
                ),
                "source": period.source,
            }
            for period in result.periods
        ],
        "payments": [
            {
                "date": imputation.payment_date.isoformat(),
                "amount": f"{imputation.amount:.2f}",
                "costs": f"{imputation.costs:.2f}",
                "interest": f"{imputation.interest:.2f}",
                "principal": f"{imputation.principal:.2f}",
                "unapplied": f"{imputation.unapplied:.2f}",
            }
            for imputation in result.imputations
        ],
        "outstanding": {
            "principal": f"{result.principal_outstanding:.2f}",
            "interest": f"{result.interest_outstanding:.2f}",
            "costs": f"{result.costs_outstanding:.2f}",
        },
    }


def _print_text(result) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{result.regime}: {result.article}", title_justify="left")
    for column in ("from", "to (excl.)", "days", "rate %", "principal", "interest"):
        table.add_column(column, justify="left" if column.startswith(("from", "to")) else "right")
    for period in result.periods:
        table.add_row(
            period.start.isoformat(),
            period.end.isoformat(),
            str(period.days),
            f"{period.rate:.2f}",
            f"{period.principal:,.2f}",
            f"{period.interest.quantize(EXACT)}"
            + (f"\n+ {period.capitalised:,.2f} to principal" if period.capitalised else ""),
        )
    console = Console()
    console.print(table)
    for imputation in result.imputations:
        console.print(
            f"Payment {imputation.payment_date} of {imputation.amount:,.2f}: costs "
            f"{imputation.costs:,.2f}, interest {imputation.interest:,.2f}, principal "
            f"{imputation.principal:,.2f}"
            + (f", left over {imputation.unapplied:,.2f}" if imputation.unapplied else "")
        )
    console.print(
        f"Interest {result.start} to {result.end} (exclusive), "
        f"{'compounded yearly' if result.compound else 'simple'}, actual/365: "
        f"[bold]{result.interest:,.2f}[/bold]"
    )
    if result.imputations:
        console.print(
            f"Outstanding: principal {result.principal_outstanding:,.2f}, interest "
            f"{result.interest_outstanding:,.2f}, costs {result.costs_outstanding:,.2f}"
        )


def cmd_calc_interest(args) -> int:
    from debitum.domain.interest import InterestError, RateUnknown, interest_calculate
    from debitum.domain.interest_rates import RateError
    from debitum.law.selectors import rate_table_get

    try:
        result = interest_calculate(
            principal=args.principal,
            start=args.start,
            end=args.end,
            regime=args.regime,
            table=None if args.regime == "contractual" else rate_table_get(),
            rate=args.rate,
            compound=True if args.compound else None,
            payments=args.payment,
            costs=args.costs,
        )
    except (InterestError, RateUnknown, RateError) as error:
        message = str(error).strip("'\"")
        if args.format == "json":
            print(json.dumps({"error": message}, indent=2))
        print(f"debitum: {message}", file=sys.stderr)
        return EXIT_FAILED
    if args.format == "json":
        print(json.dumps(interest_as_dict(result), indent=2))
    else:
        _print_text(result)
    return EXIT_OK


def register(commands) -> None:
    from debitum.domain.interest import REGIMES

    calc = subcommands(commands, "calc", "legal calculations: interest and collection costs")
    interest = calc.add_parser(
        "interest", help="interest on a principal over a period, with every period shown"
    )
    interest.add_argument("--principal", required=True, type=_amount, help="e.g. 1500.00")
    interest.add_argument(
        "--from", dest="start", required=True, type=date_argument, help="first day of interest"
    )
    interest.add_argument(
        "--to", dest="end", required=True, type=date_argument, help="day after the last day"
    )
    interest.add_argument("--regime", required=True, choices=sorted(REGIMES))
    interest.add_argument("--rate", type=_percentage, help="contractual: the percentage per year")
    interest.add_argument(
        "--compound", action="store_true", help="contractual: add the interest yearly"
    )
    interest.add_argument(
        "--payment",
        type=_payment,
        action="append",
        default=[],
        metavar="DATE=AMOUNT",
        help="a partial payment; may be repeated",
    )
    interest.add_argument(
        "--costs", type=_amount, default=Decimal("0.00"), help="costs a payment goes to first"
    )
    interest.add_argument("--format", choices=["text", "json"], default="text")
    interest.set_defaults(handler=cmd_calc_interest, migrated=False)
