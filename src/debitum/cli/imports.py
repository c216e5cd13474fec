"""`debitum import customers|invoices|payments|statement FILE --administration CODE`."""

from __future__ import annotations

import json
import sys

from debitum.domain.matching import DEFAULT_THRESHOLD

from .common import EXIT_FAILED, EXIT_OK, CommandError, administration_by_code
from .statements import add_statement_options


def cmd_import(args) -> int:
    from debitum.imports.services import IMPORTERS, ImportFailed, read_table
    from debitum.progress import rich_progress

    if args.kind == "statement":
        from .statements import cmd_import_statement

        return cmd_import_statement(args)
    if args.mapping or args.threshold != DEFAULT_THRESHOLD:
        raise CommandError("--mapping and --threshold are for `debitum import statement`")
    administration = administration_by_code(args.administration)
    try:
        table = read_table(args.file)
        with rich_progress(
            f"{args.kind} {table.file_name}", enabled=args.format == "text"
        ) as progress:
            result = IMPORTERS[args.kind](
                administration=administration,
                table=table,
                progress=progress,
                dry_run=args.dry_run,
            )
    except ImportFailed as failure:
        if args.format == "json":
            print(
                json.dumps(
                    {
                        "ok": False,
                        "errors": [
                            {
                                "file": e.file_name,
                                "line": e.line,
                                "column": e.column,
                                "value": e.value,
                                "message": e.message,
                            }
                            for e in failure.errors
                        ],
                        "more_errors": failure.more,
                    },
                    indent=2,
                )
            )
        else:
            print(str(failure), file=sys.stderr)
        return EXIT_FAILED
    if args.format == "json":
        print(
            json.dumps(
                {
                    "ok": True,
                    "file": result.file_name,
                    "rows": result.rows,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "already_imported": result.already_imported,
                },
                indent=2,
            )
        )
    else:
        print(result.summary())
    return EXIT_OK


def register(commands) -> None:
    importing = commands.add_parser(
        "import",
        help="import customers, invoices or payments (CSV or XLSX), or a bank statement "
        "(camt.053/054, MT940, CODA, bank CSV)",
    )
    importing.add_argument("kind", choices=["customers", "invoices", "payments", "statement"])
    importing.add_argument("file")
    importing.add_argument("--administration", required=True)
    importing.add_argument("--format", choices=["text", "json"], default="text")
    add_statement_options(importing)
    importing.set_defaults(handler=cmd_import)
