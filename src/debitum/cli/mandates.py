"""`debitum mandate add|list|revoke`: SEPA direct debit mandates.

debitum mandate add --administration A --customer C --mandate-id M --signed YYYY-MM-DD --iban IBAN
                    [--bic BIC] [--scheme CORE|B2B] [--sequence FRST|RCUR|OOFF]
debitum mandate list --administration A [--active|--inactive] [--format text|json]
debitum mandate revoke --administration A --mandate-id M [--reason R]
"""

from __future__ import annotations

import json

from .common import (
    EXIT_OK,
    CommandError,
    administration_by_code,
    customer_by_number,
    date_argument,
    subcommands,
    validation_message,
)


def mandate_as_dict(mandate) -> dict:
    return {
        "mandate_id": mandate.mandate_id,
        "customer_number": mandate.customer.number,
        "customer_name": mandate.customer.name,
        "signature_date": mandate.signature_date.isoformat(),
        "iban": mandate.iban,
        "bic": mandate.bic,
        "scheme": mandate.scheme,
        "sequence_type": mandate.sequence_type,
        "is_active": mandate.is_active,
    }


def cmd_mandate_add(args) -> int:
    from django.core.exceptions import ValidationError

    from debitum.banking.mandate_services import mandate_add

    administration = administration_by_code(args.administration)
    customer = customer_by_number(administration, args.customer)
    try:
        mandate = mandate_add(
            customer=customer,
            mandate_id=args.mandate_id,
            signature_date=args.signed,
            iban=args.iban,
            bic=args.bic or "",
            scheme=args.scheme,
            sequence_type=args.sequence,
        )
    except ValidationError as error:
        raise CommandError(validation_message(error)) from None
    print(
        f"Mandate {mandate.mandate_id} of {customer.number} registered: {mandate.scheme} "
        f"{mandate.sequence_type}, {mandate.iban}, signed {mandate.signature_date}."
    )
    return EXIT_OK


def cmd_mandate_list(args) -> int:
    from debitum.banking.mandate_selectors import mandate_list

    administration = administration_by_code(args.administration)
    rows = [
        mandate_as_dict(mandate)
        for mandate in mandate_list(administration=administration, is_active=args.is_active)
    ]
    if args.format == "json":
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    for row in rows:
        print(
            f"{row['mandate_id']}\t{row['customer_number']}\t{row['iban']}\t{row['scheme']}\t"
            f"{row['sequence_type']}\tsigned {row['signature_date']}\t"
            + ("active" if row["is_active"] else "inactive")
        )
    if not rows:
        print("No mandates.")
    return EXIT_OK


def cmd_mandate_revoke(args) -> int:
    from django.core.exceptions import ValidationError

    from debitum.banking.mandate_selectors import mandate_get
    from debitum.banking.mandate_services import mandate_revoke

    administration = administration_by_code(args.administration)
    try:
        mandate = mandate_get(administration=administration, mandate_id=args.mandate_id)
        mandate_revoke(mandate=mandate, reason=args.reason or "")
    except LookupError as error:
        raise CommandError(str(error)) from None
    except ValidationError as error:
        raise CommandError(validation_message(error)) from None
    print(
        f"Mandate {mandate.mandate_id} of {mandate.customer.number} revoked: no further "
        "collections use it."
    )
    return EXIT_OK


def register(commands) -> None:
    actions = subcommands(commands, "mandate", help="SEPA direct debit mandates")

    add = actions.add_parser("add", help="register a mandate the customer signed")
    add.add_argument("--administration", required=True)
    add.add_argument("--customer", required=True, help="customer number")
    add.add_argument("--mandate-id", required=True, help="the unique mandate reference (max 35)")
    add.add_argument("--signed", required=True, type=date_argument, help="date of signature")
    add.add_argument("--iban", required=True, help="the account to collect from")
    add.add_argument("--bic")
    add.add_argument("--scheme", choices=["CORE", "B2B"], default="CORE")
    add.add_argument(
        "--sequence",
        choices=["FRST", "RCUR", "OOFF"],
        default="FRST",
        help="FRST for a new mandate (default), RCUR for one collected on before, OOFF for one "
        "collection only",
    )
    add.set_defaults(handler=cmd_mandate_add)

    listing = actions.add_parser("list", help="the administration's mandates")
    listing.add_argument("--administration", required=True)
    state = listing.add_mutually_exclusive_group()
    state.add_argument("--active", dest="is_active", action="store_const", const=True)
    state.add_argument("--inactive", dest="is_active", action="store_const", const=False)
    listing.add_argument("--format", choices=["text", "json"], default="text")
    listing.set_defaults(handler=cmd_mandate_list, is_active=None)

    revoke = actions.add_parser("revoke", help="end a mandate: no further collections")
    revoke.add_argument("--administration", required=True)
    revoke.add_argument("--mandate-id", required=True)
    revoke.add_argument("--reason")
    revoke.set_defaults(handler=cmd_mandate_revoke)
