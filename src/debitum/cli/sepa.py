"""`debitum sepa collect`: the pain.008 direct debit file of a day.

debitum sepa collect --administration A [--as-of D] [--collection-date D]
                     [--schema pain.008.001.02|pain.008.001.08] [--output FILE] [--format text|json]
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .common import (
    EXIT_OK,
    CommandError,
    administration_by_code,
    date_argument,
    subcommands,
    today,
    validation_message,
)

SCHEMAS = ["pain.008.001.02", "pain.008.001.08"]


def _output_paths(output: str, schemes: list[str]) -> list[Path]:
    """Where the copies go: FILE itself, or FILE-CORE.xml and FILE-B2B.xml for two files."""
    path = Path(output)
    if len(schemes) == 1:
        return [path]
    return [path.with_name(f"{path.stem}-{scheme}{path.suffix or '.xml'}") for scheme in schemes]


def _debits(count: int) -> str:
    return f"{count} direct debit{'' if count == 1 else 's'}"


def cmd_sepa_collect(args) -> int:
    from django.core.exceptions import ValidationError

    from debitum.banking.debit_services import direct_debit_collect

    administration = administration_by_code(args.administration)
    as_of = args.as_of or today()
    try:
        result = direct_debit_collect(
            administration=administration,
            as_of=as_of,
            collection_date=args.collection_date,
            schema=args.schema,
        )
    except ValidationError as error:
        raise CommandError(validation_message(error)) from None
    copies = []
    if args.output and result.files:
        targets = _output_paths(args.output, [collected.scheme for collected in result.files])
        for collected, target in zip(result.files, targets, strict=True):
            try:
                shutil.copyfile(collected.file, target)
            except OSError as error:
                raise CommandError(
                    f"{target}: {error.strerror} (the file is stored as {collected.file})"
                ) from None
            copies.append(str(target))
    data = result.as_dict()
    if copies:
        data["output"] = copies
    if args.format == "json":
        print(json.dumps(data, indent=2))
        return EXIT_OK
    for mandate_id in result.lapsed_mandates:
        print(
            f"WARNING: mandate {mandate_id} was not used for 36 months and has lapsed: its "
            "invoices are left out (ask the customer for a new mandate)"
        )
    if not result.files:
        print(
            f"Nothing to collect for {administration.code} on {as_of.isoformat()} (collection "
            f"date {result.collection_date.isoformat()})."
        )
        return EXIT_OK
    for collected in result.files:
        print(
            f"{collected.file}: {_debits(len(collected.items))} ({collected.scheme}), "
            f"EUR {collected.total:.2f}, collection date {result.collection_date.isoformat()}, "
            f"message {collected.message_id}"
        )
    for copy in copies:
        print(f"Copied to {copy}")
    for item in result.items:
        print(
            f"  {item.end_to_end_id}\t{item.customer_number}\t{item.invoice_number}\t"
            f"{item.mandate_id}\t{item.sequence_type}\t{item.amount:>12.2f}"
        )
    print(f"Total: {_debits(len(result.items))}, EUR {result.total:.2f}")
    return EXIT_OK


def register(commands) -> None:
    actions = subcommands(commands, "sepa", help="SEPA direct debit files (pain.008)")

    collect = actions.add_parser(
        "collect",
        help="collect the open invoices of customers with a mandate in a pain.008 file",
        description="Writes one pain.008 file (one per scheme when CORE and B2B mandates both "
        "have something due) under DEBITUM_HOME/sepa/<administration>/ and records it; running "
        "it again collects nothing twice.",
    )
    collect.add_argument("--administration", required=True)
    collect.add_argument(
        "--as-of",
        type=date_argument,
        help="the day the file is made; open amounts at this date (default: today)",
    )
    collect.add_argument(
        "--collection-date",
        type=date_argument,
        help="the due date of the collections (default: the earliest possible, the next "
        "TARGET2 business day); invoices due by then are collected",
    )
    collect.add_argument("--schema", choices=SCHEMAS, default=SCHEMAS[0])
    collect.add_argument("--output", metavar="FILE", help="also copy the file here")
    collect.add_argument("--format", choices=["text", "json"], default="text")
    collect.set_defaults(handler=cmd_sepa_collect)
