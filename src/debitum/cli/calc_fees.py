"""`debitum calc fees` and `debitum calc pay-before`: collection costs and statutory terms.

    debitum calc fees --principal P [--principal P ...] --regime nl [--consumer] [--vat]
    debitum calc fees --principal P --regime be-business [--invoices N]
    debitum calc fees --principal P --regime be-consumer [--reminders N --postage P]
        [--format text|json]
    debitum calc pay-before --sent D --channel post|email --kind fourteen-day-letter|be-reminder
        [--country NL|BE] [--format text|json]

Neither needs a database. In JSON, amounts are strings with two decimals; `fee` is the total.
"""

from __future__ import annotations

import argparse
import json
from decimal import Decimal

from .common import EXIT_OK, CommandError, date_argument, subcommands


def _amount(text: str) -> Decimal:
    from debitum.domain.money import MoneyError, parse_amount

    try:
        return parse_amount(text)
    except MoneyError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} cannot be negative")
    return value


def _money(amount: Decimal | None) -> str | None:
    from debitum.domain.money import quantize

    return None if amount is None else f"{quantize(amount):.2f}"


def _line_as_dict(line) -> dict:
    return {
        "description": line.description,
        "rate": None if line.rate is None else f"{line.rate * 100:.2f}",
        "base": _money(line.base) if line.rate is not None else f"{line.base.normalize():f}",
        "amount": _money(line.amount),
    }


def fees_as_dict(costs, principals: list[Decimal]) -> dict:
    """The breakdown as JSON-ready data; `fee` first, amounts as strings with two decimals."""
    return {
        "fee": _money(costs.fee),
        "regime": costs.regime,
        "principal": _money(costs.principal),
        "principals": [_money(principal) for principal in principals],
        "slices": [_line_as_dict(line) for line in costs.slices],
        "subtotal": _money(costs.subtotal),
        "minimum": _money(costs.minimum),
        "maximum": _money(costs.maximum),
        "minimum_applied": costs.is_minimum_applied,
        "maximum_applied": costs.is_maximum_applied,
        "costs": _money(costs.costs),
        "extras": [_line_as_dict(line) for line in costs.extras],
        "vat_rate": f"{costs.vat_rate * 100:.2f}",
        "vat": _money(costs.vat),
        "article": costs.article,
        "conditions": list(costs.conditions),
    }


def _grouped(amount: Decimal | None) -> str:
    from debitum.domain.money import quantize

    return f"{quantize(amount):,.2f}"


def fees_as_text(costs, principals: list[Decimal]) -> str:
    _money = _grouped  # the table groups thousands: 6,775.00
    rows: list[tuple[str, str]] = []
    if len(principals) > 1:
        for index, principal in enumerate(principals, start=1):
            rows.append((f"claim {index}", _money(principal)))
    rows.append(("principal", _money(costs.principal)))
    for line in costs.slices:
        rows.append((line.description, _money(line.amount)))
    if costs.slices and (len(costs.slices) > 1 or costs.subtotal != costs.costs):
        rows.append(("subtotal", _money(costs.subtotal)))
    if costs.is_minimum_applied:
        rows.append((f"raised to the minimum of {_money(costs.minimum)}", _money(costs.costs)))
    if costs.is_maximum_applied:
        rows.append((f"held at the maximum of {_money(costs.maximum)}", _money(costs.costs)))
    for line in costs.extras:
        rows.append((line.description, _money(line.amount)))
    if costs.vat:
        rows.append((f"VAT {costs.vat_rate * 100:.0f}%", _money(costs.vat)))
    rows.append(("fee", _money(costs.fee)))
    width = max(len(label) for label, _ in rows)
    amount_width = max(len(amount) for _, amount in rows)
    lines = [f"Collection costs ({costs.regime})"]
    for label, amount in rows:
        if label == "fee":
            lines.append("-" * (width + 2 + amount_width))
        lines.append(f"{label:<{width}}  {amount:>{amount_width}}")
    lines.append("")
    lines.append(f"Law: {costs.article}")
    lines.extend(f"- {condition}" for condition in costs.conditions)
    return "\n".join(lines) + "\n"


def cmd_calc_fees(args) -> int:
    from debitum.domain.fees import FeeError, collection_costs

    if args.regime != "nl" and args.consumer:
        raise CommandError("--consumer is for --regime nl (be-consumer is its own regime)")
    if args.regime != "be-consumer" and (args.reminders or args.postage is not None):
        raise CommandError("--reminders and --postage are for --regime be-consumer")
    if args.regime != "be-business" and args.invoices is not None:
        raise CommandError("--invoices is for --regime be-business")
    if args.postage is not None and not args.reminders:
        raise CommandError("--postage is charged per paid reminder: add --reminders N")
    try:
        costs = collection_costs(
            args.regime,
            args.principal,
            is_consumer=args.consumer,
            vat=args.vat,
            invoices=1 if args.invoices is None else args.invoices,
            paid_reminders=args.reminders,
            postage=args.postage or Decimal("0"),
        )
    except FeeError as error:
        raise CommandError(str(error)) from None
    if args.format == "json":
        print(json.dumps(fees_as_dict(costs, args.principal), indent=2))
    else:
        print(fees_as_text(costs, args.principal), end="")
    return EXIT_OK


def term_as_dict(term) -> dict:
    return {
        "pay_before": term.last_day_to_pay.isoformat(),
        "first_default_date": term.first_default_date.isoformat(),
        "kind": term.kind,
        "country": term.country,
        "channel": term.channel,
        "sent": term.sent_date.isoformat(),
        "received": term.received_date.isoformat(),
        "start": term.start_date.isoformat(),
        "days": term.days,
        "end": term.end_date.isoformat(),
        "article": term.article,
        "reasons": list(term.reasons),
    }


def cmd_calc_pay_before(args) -> int:
    from debitum.domain.calendars import CalendarError, statutory_term

    expected_country = "NL" if args.kind == "fourteen-day-letter" else "BE"
    if args.country and args.country.upper() != expected_country:
        raise CommandError(f"a {args.kind} is a {expected_country} term, not {args.country}")
    try:
        term = statutory_term(args.sent, kind=args.kind, channel=args.channel)
    except CalendarError as error:
        raise CommandError(str(error)) from None
    if args.format == "json":
        print(json.dumps(term_as_dict(term), indent=2))
    else:
        print(f"Pay on or before {term.last_day_to_pay.isoformat()}")
        print(f"In default from {term.first_default_date.isoformat()}")
        print()
        for reason in term.reasons:
            print(f"- {reason}")
        print(f"Law: {term.article}")
    return EXIT_OK


def register(commands) -> None:
    calc = subcommands(commands, "calc", "legal calculations: interest and collection costs")

    fees = calc.add_parser(
        "fees",
        help="collection costs a creditor may claim (NL scale, BE flat fee, BE consumer caps)",
        description="Collection costs with their breakdown and the article that applies.",
    )
    fees.add_argument(
        "--principal",
        type=_amount,
        action="append",
        required=True,
        help="principal, e.g. 1500.00 or 1.500,00; for nl repeat it for every claim in one "
        "letter (their sum counts, art. 6:96 lid 7 BW)",
    )
    fees.add_argument("--regime", choices=["nl", "be-business", "be-consumer"], required=True)
    fees.add_argument(
        "--consumer",
        action="store_true",
        help="nl: the debtor is a consumer (costs only after a fourteen-day letter)",
    )
    fees.add_argument(
        "--vat",
        action="store_true",
        help="nl: add 21%% VAT because the creditor cannot deduct it",
    )
    fees.add_argument(
        "--invoices", type=_count, help="be-business: number of unpaid invoices (40.00 each)"
    )
    fees.add_argument(
        "--reminders",
        type=_count,
        default=0,
        help="be-consumer: further reminders that may be charged (7.50 each)",
    )
    fees.add_argument(
        "--postage", type=_amount, help="be-consumer: postage per charged reminder, e.g. 1.35"
    )
    fees.add_argument("--format", choices=["text", "json"], default="text")
    fees.set_defaults(handler=cmd_calc_fees, migrated=False)

    pay_before = calc.add_parser(
        "pay-before",
        help="the last day to pay after a fourteen-day letter (NL) or first reminder (BE)",
        description="The statutory term after a letter, with each step of the computation.",
    )
    pay_before.add_argument("--sent", type=date_argument, required=True, help="YYYY-MM-DD")
    pay_before.add_argument("--channel", choices=["post", "email"], required=True)
    pay_before.add_argument("--kind", choices=["fourteen-day-letter", "be-reminder"], required=True)
    pay_before.add_argument("--country", choices=["NL", "BE", "nl", "be"])
    pay_before.add_argument("--format", choices=["text", "json"], default="text")
    pay_before.set_defaults(handler=cmd_calc_pay_before, migrated=False)
