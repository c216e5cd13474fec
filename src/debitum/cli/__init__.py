"""The `debitum` command: parses arguments, calls services and selectors, prints.

    debitum init
    debitum administration create CODE --name N --country NL|BE [--currency EUR] [--language nl]
    debitum administration update CODE [--name N] [--iban I] [--bic B] [--sepa-creditor-id ID] ...
    debitum administration list
    debitum user create USERNAME [--password P] [--email E] [--administration CODE --role ROLE] [--superuser]
    debitum user grant USERNAME --administration CODE --role ROLE
    debitum import customers|invoices|payments FILE --administration CODE [--format text|json] [--dry-run]
    debitum import statement FILE --administration CODE [--format json] [--mapping M] [--threshold N] [--dry-run]
    debitum bank queue|confirm ENTRY|ignore ENTRY --administration CODE ...  (the reconciliation queue)
    debitum report aging --as-of YYYY-MM-DD --administration CODE [--format table|json|csv|xlsx] [--output FILE]
    debitum invoice write-off NUMBER --administration CODE --amount A --reason R [--date YYYY-MM-DD]
    debitum reference generate --kind ogm|nl|rf NUMBER
    debitum reference validate REF [--kind ogm|nl|rf]
    debitum calc interest --principal P --from D1 --to D2 --regime R [--rate PCT] [--payment D=A] [--format json]
    debitum calc fees --principal P --regime nl|be-business|be-consumer [--vat] [--format json]
    debitum calc pay-before --sent D --channel post|email --kind fourteen-day-letter|be-reminder
    debitum rates list [--regime R] | rates add --regime R --from D --to D --rate PCT --source S
    debitum promise add|list|cancel|review --administration CODE ...   (promises to pay)
    debitum dispute open|resolve|list --administration CODE ...        (disputes over invoices)
    debitum plan create|list|show|cancel|review --administration CODE ... (payment plans)
    debitum mandate add|list|revoke --administration CODE ...          (SEPA direct debit mandates)
    debitum sepa collect --administration CODE [--as-of D] [--collection-date D] [--schema S] [--output FILE] [--format json]
    debitum policy install-defaults|export|import FILE|handbook --administration CODE [--format md|pdf]
    debitum outbox send [--administration CODE] | list --administration CODE [--status S] [--format json]
    debitum outbox printed --administration CODE ID... | templates --administration CODE
    debitum demo [--customers N] [--seed S] [--as-of YYYY-MM-DD] [--administration CODE]
    debitum jobs list|run --administration CODE     (background jobs: imports, statements, runs)
    debitum worker [--concurrency N]                (a Celery worker; needs DEBITUM_BROKER_URL)
    debitum serve [--host H] [--port P] [--threads N]
    debitum manage ARGS...      (Django's manage.py commands)

The command line is an edge: it may read the clock (a default `--as-of` is today), the code
below it may not.
"""

from __future__ import annotations

import argparse
import sys

from . import (
    calc_fees,
    calc_interest,
    demo,
    disputes,
    dunning,
    imports,
    invoices,
    jobs,
    mandates,
    outbox,
    plans,
    policies,
    promises,
    rates,
    references,
    reports,
    sepa,
    setup,
    statements,
    tokens,
    web,
)
from .common import EXIT_FAILED, CommandError, require_migrated, setup_django

# Each module adds its commands with `register(commands)`; `debitum --help` lists them in
# this order.
COMMAND_MODULES = [
    setup,
    imports,
    statements,
    reports,
    invoices,
    references,
    calc_interest,
    calc_fees,
    rates,
    policies,
    dunning,
    promises,
    disputes,
    plans,
    mandates,
    sepa,
    outbox,
    tokens,
    jobs,
    demo,
    web,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="debitum", description="Debitum credit management")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_django()
    # The command line speaks the default language, whatever a thread activated before.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    try:
        if getattr(args, "migrated", True):
            require_migrated()
        return args.handler(args)
    except CommandError as error:
        print(f"debitum: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
