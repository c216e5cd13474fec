"""What every command module shares: errors, exit codes, argument types, lookups."""

from __future__ import annotations

import argparse
import datetime as dt
import os

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A failure to report to the user in one sentence, without a traceback."""


def subcommands(commands, name: str, help: str):
    """The sub-commands of the command group `name`, created on first use.

    Several modules may add to one group (`debitum calc interest` and `debitum calc fees`).
    """
    registry = commands.__dict__.setdefault("_debitum_groups", {})
    if name not in registry:
        group = commands.add_parser(name, help=help)
        registry[name] = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    return registry[name]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "debitum.settings")
    import django

    django.setup()


def require_migrated() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CommandError("the database is not set up or not up to date: run `debitum init` first")


def date_argument(text: str) -> dt.date:
    from debitum.domain.dates import DateError, parse_date

    try:
        return parse_date(text)
    except DateError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def administration_by_code(code: str):
    from debitum.administrations.selectors import administration_get

    try:
        return administration_get(code=code)
    except LookupError as error:
        raise CommandError(str(error)) from None


def validation_message(error) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def customer_by_number(administration, number: str):
    from debitum.customers.models import Customer

    try:
        return Customer.objects.get(administration=administration, number=number)
    except Customer.DoesNotExist:
        raise CommandError(f"no customer {number!r} in {administration.code}") from None


def invoice_by_number(administration, number: str):
    from debitum.ledger.models import Invoice

    try:
        return Invoice.objects.select_related("customer").get(
            administration=administration, number=number
        )
    except Invoice.DoesNotExist:
        raise CommandError(f"no invoice {number!r} in {administration.code}") from None


def amount_argument(text: str, option: str):
    """An amount typed at the command line (`125.00`, `125,00`), or a CommandError naming the
    option."""
    from debitum.domain.money import MoneyError, parse_amount

    try:
        return parse_amount(text)
    except MoneyError as error:
        raise CommandError(f"{option}: {error}") from None
