"""The `debitum` command: parses arguments, calls services and selectors, prints.

    debitum init
    debitum administration create CODE --name N --country NL|BE [--currency EUR] [--language nl]
    debitum administration list
    debitum user create USERNAME [--password P] [--email E] [--administration CODE --role ROLE] [--superuser]
    debitum user grant USERNAME --administration CODE --role ROLE
    debitum import customers|invoices|payments FILE --administration CODE [--format text|json]
    debitum report aging --as-of YYYY-MM-DD --administration CODE [--format table|json|csv|xlsx] [--output FILE]
    debitum invoice write-off NUMBER --administration CODE --amount A --reason R [--date YYYY-MM-DD]
    debitum demo [--customers N] [--seed S] [--as-of YYYY-MM-DD] [--administration CODE]
    debitum serve [--host H] [--port P]
    debitum manage ARGS...      (Django's manage.py commands)

The command line is an edge: it may read the clock (a default `--as-of` is today), the code
below it may not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import secrets
import sys

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A failure to report to the user in one sentence, without a traceback."""


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "debitum.settings")
    import django

    django.setup()


def _require_migrated() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CommandError("the database is not set up or not up to date: run `debitum init` first")


def _date(text: str) -> dt.date:
    from debitum.domain.dates import DateError, parse_date

    try:
        return parse_date(text)
    except DateError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def _administration(code: str):
    from debitum.administrations.selectors import administration_get

    try:
        return administration_get(code=code)
    except LookupError as error:
        raise CommandError(str(error)) from None


def _validation_message(error) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


# --- commands -------------------------------------------------------------------------------


def cmd_init(args) -> int:
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    database = settings.DATABASES["default"]
    where = (
        database["NAME"]
        if database["ENGINE"].endswith("sqlite3")
        else f"{database['HOST']}/{database['NAME']}"
    )
    print(f"Database ready: {where}")
    return EXIT_OK


def cmd_administration_create(args) -> int:
    from django.core.exceptions import ValidationError

    from debitum.administrations.services import administration_create

    try:
        administration = administration_create(
            code=args.code,
            name=args.name,
            country=args.country.upper(),
            currency=args.currency,
            language=args.language,
        )
    except ValidationError as error:
        raise CommandError(_validation_message(error)) from None
    print(
        f"Administration {administration.code} ({administration.name}, {administration.country}, "
        f"{administration.currency}) created."
    )
    return EXIT_OK


def cmd_administration_list(args) -> int:
    from debitum.administrations.models import Administration

    for administration in Administration.objects.order_by("code"):
        print(
            f"{administration.code}\t{administration.name}\t{administration.country}\t{administration.currency}"
        )
    return EXIT_OK


def cmd_user_create(args) -> int:
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from debitum.administrations.services import membership_grant, user_create

    password = args.password
    generated = False
    if password is None:
        if sys.stdin.isatty():
            password = getpass.getpass("Password: ")
        else:
            password, generated = secrets.token_urlsafe(12), True
    administration = _administration(args.administration) if args.administration else None
    if administration is not None and not args.role:
        raise CommandError(
            "--administration needs --role (admin, manager, controller, sales or viewer)"
        )
    try:
        with transaction.atomic():
            user = user_create(
                username=args.username,
                password=password,
                email=args.email or "",
                is_staff=args.staff,
                is_superuser=args.superuser,
            )
            if administration is not None:
                membership_grant(user=user, administration=administration, role=args.role)
    except ValidationError as error:
        raise CommandError(_validation_message(error)) from None
    print(
        f"User {user.username} created"
        + (f", {args.role} in {administration.code}" if administration else "")
        + "."
    )
    if generated:
        print(f"Password: {password}")
    return EXIT_OK


def cmd_user_grant(args) -> int:
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from debitum.administrations.services import membership_grant

    administration = _administration(args.administration)
    try:
        user = get_user_model().objects.get(username=args.username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"no user {args.username!r}") from None
    try:
        membership_grant(user=user, administration=administration, role=args.role)
    except ValidationError as error:
        raise CommandError(_validation_message(error)) from None
    print(f"{user.username} is {args.role} in {administration.code}.")
    return EXIT_OK


def cmd_import(args) -> int:
    from debitum.imports.services import IMPORTERS, ImportFailed, read_table

    from .progress import rich_progress

    administration = _administration(args.administration)
    try:
        table = read_table(args.file)
        with rich_progress(
            f"{args.kind} {table.file_name}", enabled=args.format == "text"
        ) as progress:
            result = IMPORTERS[args.kind](
                administration=administration, table=table, progress=progress
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


def cmd_report_aging(args) -> int:
    from debitum.reports.exports import aging_as_csv, aging_as_dict, aging_as_table, aging_as_xlsx
    from debitum.reports.selectors import aging_report

    administration = _administration(args.administration)
    report = aging_report(administration=administration, as_of=args.as_of or _today())
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


def cmd_invoice_write_off(args) -> int:
    from django.core.exceptions import ValidationError

    from debitum.domain.money import MoneyError, parse_amount
    from debitum.ledger.models import Invoice
    from debitum.ledger.services import invoice_write_off

    administration = _administration(args.administration)
    try:
        invoice = Invoice.objects.get(administration=administration, number=args.invoice_number)
    except Invoice.DoesNotExist:
        raise CommandError(f"no invoice {args.invoice_number!r} in {administration.code}") from None
    try:
        amount = parse_amount(args.amount)
        write_off = invoice_write_off(
            invoice=invoice, amount=amount, write_off_date=args.date or _today(), reason=args.reason
        )
    except MoneyError as error:
        raise CommandError(f"--amount: {error}") from None
    except ValidationError as error:
        raise CommandError(_validation_message(error)) from None
    print(
        f"{invoice.currency} {write_off.amount:.2f} of {invoice.number} written off on {write_off.write_off_date}."
    )
    return EXIT_OK


def cmd_demo(args) -> int:
    from debitum.demo.services import DemoError, demo_build
    from debitum.imports.services import ImportFailed

    from .progress import rich_progress

    try:
        with rich_progress("demo", enabled=True) as progress:
            summary = demo_build(
                code=args.administration,
                customers=args.customers,
                seed=args.seed,
                as_of=args.as_of or _today(),
                progress=progress,
            )
    except (DemoError, ImportFailed) as error:
        raise CommandError(str(error)) from None
    print(summary)
    return EXIT_OK


def cmd_serve(args) -> int:
    from debitum.web.server import serve

    print(f"Debitum on http://{args.host}:{args.port}/  (Ctrl+C stops it)")
    serve(host=args.host, port=args.port)
    return EXIT_OK


def cmd_manage(args) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["debitum manage", *args.rest])
    return EXIT_OK


# --- the parser ----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="debitum", description="Debitum credit management")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser("init", help="create or migrate the database (safe to run again)")
    init.set_defaults(handler=cmd_init, migrated=False)

    administration = commands.add_parser("administration", help="administrations (tenants)")
    administration_commands = administration.add_subparsers(dest="action", required=True)
    create = administration_commands.add_parser("create", help="create an administration")
    create.add_argument("code")
    create.add_argument("--name", required=True)
    create.add_argument("--country", required=True, choices=["NL", "BE", "nl", "be"])
    create.add_argument("--currency", default="EUR")
    create.add_argument("--language", choices=["nl", "fr", "en"])
    create.set_defaults(handler=cmd_administration_create)
    listing = administration_commands.add_parser("list", help="list administrations")
    listing.set_defaults(handler=cmd_administration_list)

    roles = ["admin", "manager", "controller", "sales", "viewer"]
    user = commands.add_parser("user", help="users and their roles")
    user_commands = user.add_subparsers(dest="action", required=True)
    create = user_commands.add_parser("create", help="create a user")
    create.add_argument("username")
    create.add_argument(
        "--password", help="asked for when omitted on a terminal; generated and printed otherwise"
    )
    create.add_argument("--email")
    create.add_argument(
        "--administration", help="code of an administration to give the user a role in"
    )
    create.add_argument("--role", choices=roles)
    create.add_argument("--staff", action="store_true", help="may open the back office (/admin/)")
    create.add_argument("--superuser", action="store_true")
    create.set_defaults(handler=cmd_user_create)
    grant = user_commands.add_parser("grant", help="give a user a role in an administration")
    grant.add_argument("username")
    grant.add_argument("--administration", required=True)
    grant.add_argument("--role", required=True, choices=roles)
    grant.set_defaults(handler=cmd_user_grant)

    importing = commands.add_parser(
        "import", help="import customers, invoices or payments (CSV or XLSX)"
    )
    importing.add_argument("kind", choices=["customers", "invoices", "payments"])
    importing.add_argument("file")
    importing.add_argument("--administration", required=True)
    importing.add_argument("--format", choices=["text", "json"], default="text")
    importing.set_defaults(handler=cmd_import)

    report = commands.add_parser("report", help="reports")
    report_commands = report.add_subparsers(dest="report", required=True)
    aging = report_commands.add_parser("aging", help="aging of open items (ouderdomsanalyse)")
    aging.add_argument("--as-of", type=_date, help="report date, YYYY-MM-DD (default: today)")
    aging.add_argument("--administration", required=True)
    aging.add_argument("--format", choices=["table", "json", "csv", "xlsx"], default="table")
    aging.add_argument("--output", help="write to this file instead of standard output")
    aging.add_argument(
        "--all", action="store_true", help="table: every customer, not the largest 50"
    )
    aging.set_defaults(handler=cmd_report_aging)

    invoice = commands.add_parser("invoice", help="work on one invoice")
    invoice_commands = invoice.add_subparsers(dest="action", required=True)
    write_off = invoice_commands.add_parser(
        "write-off", help="write off (part of) what is open on an invoice"
    )
    write_off.add_argument("invoice_number")
    write_off.add_argument("--administration", required=True)
    write_off.add_argument("--amount", required=True, help="e.g. 125.00 or 125,00")
    write_off.add_argument("--date", type=_date, help="write-off date (default: today)")
    write_off.add_argument("--reason", required=True)
    write_off.set_defaults(handler=cmd_invoice_write_off)

    demo = commands.add_parser("demo", help="build the demo administration")
    demo.add_argument("--customers", type=int, default=250)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument(
        "--as-of", type=_date, help="the last day of the 18 months of history (default: today)"
    )
    demo.add_argument(
        "--administration", default="DEMO", help="code of the demo administration (default DEMO)"
    )
    demo.set_defaults(handler=cmd_demo)

    serve = commands.add_parser("serve", help="start the web application")
    serve.add_argument("--host", default=os.environ.get("DEBITUM_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("DEBITUM_PORT", "8000")))
    serve.set_defaults(handler=cmd_serve)

    manage = commands.add_parser("manage", help="run a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=cmd_manage, migrated=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _setup_django()
    try:
        if getattr(args, "migrated", True):
            _require_migrated()
        return args.handler(args)
    except CommandError as error:
        print(f"debitum: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
