"""`debitum rates list|add`: the statutory interest rates Debitum knows, and adding a new one.

debitum rates list [--regime R] [--format text|json]
debitum rates add --regime R --from D --to D --rate PCT --source TEXT
"""

from __future__ import annotations

import json

from .common import EXIT_OK, CommandError, date_argument, subcommands, validation_message


def cmd_rates_list(args) -> int:
    from debitum.domain.interest_rates import RateError
    from debitum.law.selectors import added_rate_rows, rate_table_get

    try:
        table = rate_table_get()
    except RateError as error:
        raise CommandError(str(error)) from None
    rows = table.rows(args.regime) if args.regime else table.rows()
    superseded = [row for row in added_rate_rows() if table.superseded(row)] if rows else []
    if args.format == "json":
        print(
            json.dumps(
                [
                    {
                        "regime": row.table,
                        "from": row.start.isoformat(),
                        "to": row.end.isoformat(),
                        "rate": f"{row.rate:.2f}",
                        "source": row.source,
                        "origin": row.origin,
                    }
                    for row in rows
                ],
                indent=2,
            )
        )
        return EXIT_OK
    for row in rows:
        marker = " (added)" if row.origin == "added" else ""
        print(f"{row.table}\t{row.start}\t{row.end}\t{row.rate:.2f}%{marker}\t{row.source}")
    for row in superseded:
        print(
            f"note: the added {row.table} rate from {row.start} is superseded by the shipped table"
        )
    return EXIT_OK


def cmd_rates_add(args) -> int:
    from django.core.exceptions import ValidationError

    from debitum.law.services import statutory_rate_add

    try:
        rate = statutory_rate_add(
            regime=args.regime,
            start_date=args.start,
            end_date=args.end,
            rate=args.rate,
            source=args.source,
        )
    except ValidationError as error:
        raise CommandError(validation_message(error)) from None
    print(f"{rate.regime}: {rate.rate}% from {rate.start_date} to {rate.end_date} added.")
    return EXIT_OK


def register(commands) -> None:
    from debitum.domain.interest_rates import TABLE_OF_REGIME

    from .calc_interest import _percentage

    rates = subcommands(commands, "rates", "statutory interest rates: list, add a new period")
    listing = rates.add_parser("list", help="the rates Debitum knows, with their sources")
    listing.add_argument("--regime", choices=sorted(TABLE_OF_REGIME))
    listing.add_argument("--format", choices=["text", "json"], default="text")
    listing.set_defaults(handler=cmd_rates_list, migrated=False)
    add = rates.add_parser("add", help="add a published rate for a period after the shipped table")
    add.add_argument("--regime", required=True, choices=sorted(set(TABLE_OF_REGIME.values())))
    add.add_argument("--from", dest="start", required=True, type=date_argument)
    add.add_argument("--to", dest="end", required=True, type=date_argument, help="last day")
    add.add_argument("--rate", required=True, type=_percentage, help="percent per year")
    add.add_argument("--source", required=True, help="where the rate was published")
    add.set_defaults(handler=cmd_rates_add)
