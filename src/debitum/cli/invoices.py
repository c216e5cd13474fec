"""`debitum invoice write-off …`."""

from __future__ import annotations

from .common import (
    EXIT_OK,
    CommandError,
    administration_by_code,
    date_argument,
    today,
    validation_message,
)


def cmd_invoice_write_off(args) -> int:
    from django.core.exceptions import ValidationError

    from debitum.domain.money import MoneyError, parse_amount
    from debitum.ledger.models import Invoice
    from debitum.ledger.services import invoice_write_off

    administration = administration_by_code(args.administration)
    try:
        invoice = Invoice.objects.get(administration=administration, number=args.invoice_number)
    except Invoice.DoesNotExist:
        raise CommandError(f"no invoice {args.invoice_number!r} in {administration.code}") from None
    try:
        amount = parse_amount(args.amount)
        write_off = invoice_write_off(
            invoice=invoice, amount=amount, write_off_date=args.date or today(), reason=args.reason
        )
    except MoneyError as error:
        raise CommandError(f"--amount: {error}") from None
    except ValidationError as error:
        raise CommandError(validation_message(error)) from None
    print(
        f"{invoice.currency} {write_off.amount:.2f} of {invoice.number} written off on {write_off.write_off_date}."
    )
    return EXIT_OK


def register(commands) -> None:
    invoice = commands.add_parser("invoice", help="work on one invoice")
    invoice_commands = invoice.add_subparsers(dest="action", required=True)
    write_off = invoice_commands.add_parser(
        "write-off", help="write off (part of) what is open on an invoice"
    )
    write_off.add_argument("invoice_number")
    write_off.add_argument("--administration", required=True)
    write_off.add_argument("--amount", required=True, help="e.g. 125.00 or 125,00")
    write_off.add_argument("--date", type=date_argument, help="write-off date (default: today)")
    write_off.add_argument("--reason", required=True)
    write_off.set_defaults(handler=cmd_invoice_write_off)
