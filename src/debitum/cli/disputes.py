"""`debitum dispute open|resolve|list`: disputes over invoices.

debitum dispute open --administration A --invoice N --reason CODE [--amount X] [--note T] [--as-of D]
debitum dispute resolve --administration A --invoice N --resolution upheld|rejected|withdrawn
                        [--credit-amount X] [--note T] [--as-of D]
debitum dispute list --administration A [--status open|resolved] [--format text|json]
"""

from __future__ import annotations

import json

from .common import (
    EXIT_OK,
    CommandError,
    administration_by_code,
    amount_argument,
    date_argument,
    invoice_by_number,
    subcommands,
    today,
    validation_message,
)

REASONS = ["wrong_amount", "not_delivered", "quality", "already_paid", "wrong_addressee", "other"]
RESOLUTIONS = ["upheld", "rejected", "withdrawn"]


def dispute_as_dict(dispute) -> dict:
    return {
        "id": dispute.pk,
        "invoice_number": dispute.invoice.number,
        "customer_number": dispute.customer.number,
        "reason": dispute.reason,
        "amount": None if dispute.amount is None else f"{dispute.amount:.2f}",
        "currency": dispute.invoice.currency,
        "opened_date": dispute.opened_date.isoformat(),
        "status": dispute.status,
        "resolution": dispute.resolution or None,
        "resolved_date": dispute.resolved_date.isoformat() if dispute.resolved_date else None,
        "credit_note_number": dispute.credit_note.number if dispute.credit_note else None,
        "note": dispute.note,
        "resolution_note": dispute.resolution_note,
    }


def cmd_dispute_open(args) -> int:
    from django.core.exceptions import ValidationError

    from debitum.disputes.services import dispute_open

    administration = administration_by_code(args.administration)
    invoice = invoice_by_number(administration, args.invoice)
    amount = amount_argument(args.amount, "--amount") if args.amount else None
    try:
        dispute = dispute_open(
            invoice=invoice,
            reason=args.reason,
            opened_date=args.as_of or today(),
            amount=amount,
            note=args.note or "",
        )
    except ValidationError as error:
        raise CommandError(validation_message(error)) from None
    disputed = "all that is open" if amount is None else f"{invoice.currency} {amount:.2f}"
    print(
        f"Dispute {dispute.pk} opened on invoice {invoice.number} ({dispute.reason}): {disputed} "
        "leaves dunning while it is open."
    )
    return EXIT_OK


def cmd_dispute_resolve(args) -> int:
    from django.core.exceptions import ValidationError

    from debitum.disputes.selectors import dispute_open_get
    from debitum.disputes.services import dispute_resolve

    administration = administration_by_code(args.administration)
    invoice = invoice_by_number(administration, args.invoice)
    credit_amount = (
        amount_argument(args.credit_amount, "--credit-amount") if args.credit_amount else None
    )
    try:
        dispute = dispute_resolve(
            dispute=dispute_open_get(invoice=invoice),
            resolution=args.resolution,
            resolved_date=args.as_of or today(),
            credit_amount=credit_amount,
            note=args.note or "",
        )
    except LookupError as error:
        raise CommandError(str(error)) from None
    except ValidationError as error:
        raise CommandError(validation_message(error)) from None
    message = f"Dispute {dispute.pk} on invoice {invoice.number} resolved: {dispute.resolution}"
    if dispute.credit_note:
        message += (
            f"; credit note {dispute.credit_note.number} of {invoice.currency} "
            f"{-dispute.credit_note.amount:.2f} allocated to {invoice.number}"
        )
    print(message + ".")
    return EXIT_OK


def cmd_dispute_list(args) -> int:
    from debitum.disputes.selectors import dispute_list

    administration = administration_by_code(args.administration)
    rows = [
        dispute_as_dict(dispute)
        for dispute in dispute_list(administration=administration, status=args.status)
    ]
    if args.format == "json":
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    for row in rows:
        amount = "all" if row["amount"] is None else f"{row['currency']} {row['amount']}"
        status = row["status"] + (f" {row['resolution']}" if row["resolution"] else "")
        credit = f"\t{row['credit_note_number']}" if row["credit_note_number"] else ""
        print(
            f"{row['id']}\t{row['invoice_number']}\t{row['customer_number']}\t{row['reason']}\t"
            f"{amount}\t{row['opened_date']}\t{status}{credit}"
        )
    if not rows:
        print("No disputes.")
    return EXIT_OK


def register(commands) -> None:
    dispute = subcommands(commands, "dispute", help="disputes over invoices (betwistingen)")

    opening = dispute.add_parser("open", help="open a dispute over (part of) an invoice")
    opening.add_argument("--administration", required=True)
    opening.add_argument("--invoice", required=True, help="invoice number")
    opening.add_argument("--reason", required=True, choices=REASONS, help="the root cause")
    opening.add_argument("--amount", help="the disputed part (default: all that is open)")
    opening.add_argument("--note")
    opening.add_argument("--as-of", type=date_argument, help="opened on (default: today)")
    opening.set_defaults(handler=cmd_dispute_open)

    resolve = dispute.add_parser("resolve", help="resolve the open dispute over an invoice")
    resolve.add_argument("--administration", required=True)
    resolve.add_argument("--invoice", required=True, help="invoice number")
    resolve.add_argument("--resolution", required=True, choices=RESOLUTIONS)
    resolve.add_argument(
        "--credit-amount", help="upheld: make a credit note for this amount, allocated to it"
    )
    resolve.add_argument("--note")
    resolve.add_argument("--as-of", type=date_argument, help="resolved on (default: today)")
    resolve.set_defaults(handler=cmd_dispute_resolve)

    listing = dispute.add_parser("list", help="list disputes")
    listing.add_argument("--administration", required=True)
    listing.add_argument("--status", choices=["open", "resolved"])
    listing.add_argument("--format", choices=["text", "json"], default="text")
    listing.set_defaults(handler=cmd_dispute_list)
