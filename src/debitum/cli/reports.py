"""`debitum report aging …`."""

from __future__ import annotations

import json
import sys

from .common import EXIT_OK, CommandError, administration_by_code, date_argument, today


def cmd_report_aging(args) -> int:
    from debitum.reports.exports import aging_as_csv, aging_as_dict, aging_as_table, aging_as_xlsx
    from debitum.reports.selectors import aging_report

    administration = administration_by_code(args.administration)
    report = aging_report(administration=administration, as_of=args.as_of or today())
    if args.format == "json":
        output = json.dumps(aging_as_dict(report), indent=2) + "\n"
    elif args.format == "csv":
        output = aging_as_csv(report)
    elif args.format == "xlsx":
        data = aging_as_xlsx(report)
        if args.output:
            with open(args.output, "wb") as handle:
                handle.write(data)
            print(f"Written {args.output}", file=sys.stderr)
        elif sys.stdout.isatty():
            raise CommandError(
                "an XLSX file is not for the terminal: add --output FILE or redirect to a file"
            )
        else:
            sys.stdout.buffer.write(data)
        return EXIT_OK
    else:
        from rich.console import Console

        Console(file=open(args.output, "w") if args.output else None).print(  # noqa: SIM115
            aging_as_table(report, limit=None if args.all else 50)
        )
        return EXIT_OK
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as handle:
            handle.write(output)
    else:
        sys.stdout.write(output)
    return EXIT_OK


def register(commands) -> None:
    report = commands.add_parser("report", help="reports")
    report_commands = report.add_subparsers(dest="report", required=True)
    aging = report_commands.add_parser("aging", help="aging of open items (ouderdomsanalyse)")
    aging.add_argument(
        "--as-of", type=date_argument, help="report date, YYYY-MM-DD (default: today)"
    )
    aging.add_argument("--administration", required=True)
    aging.add_argument("--format", choices=["table", "json", "csv", "xlsx"], default="table")
    aging.add_argument("--output", help="write to this file instead of standard output")
    aging.add_argument(
        "--all", action="store_true", help="table: every customer, not the largest 50"
    )
    aging.set_defaults(handler=cmd_report_aging)
