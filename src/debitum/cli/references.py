"""`debitum reference generate …` and `debitum reference validate …`: no database needed."""

from __future__ import annotations

from .common import EXIT_OK, CommandError, subcommands

KINDS = ("ogm", "nl", "rf")


def cmd_reference_generate(args) -> int:
    from debitum.domain.references import ReferenceError, generate

    try:
        reference = generate(args.kind, args.number)
    except ReferenceError as error:
        raise CommandError(str(error)) from None
    print(reference.display)
    return EXIT_OK


def cmd_reference_validate(args) -> int:
    from debitum.domain.references import ReferenceError, validate

    try:
        reference = validate(args.reference, kind=args.kind)
    except ReferenceError as error:
        raise CommandError(str(error)) from None
    print(f"{reference.kind} {reference.normalised}")
    return EXIT_OK


def register(commands) -> None:
    reference = subcommands(commands, "reference", help="generate and check payment references")
    generate = reference.add_parser(
        "generate",
        help="the payment reference of a number",
        description="ogm: Belgian structured communication (10 digits); nl: Dutch 16-digit "
        "betalingskenmerk (15 digits); rf: ISO 11649 creditor reference (21 letters or digits)",
    )
    generate.add_argument("--kind", required=True, choices=KINDS)
    generate.add_argument("number")
    generate.set_defaults(handler=cmd_reference_generate, migrated=False)
    validate = reference.add_parser(
        "validate",
        help="check a payment reference; prints its kind and normalised form",
        description="exit 0 and `KIND NORMALISED` when valid, exit 1 and the reason when not",
    )
    validate.add_argument("reference", metavar="REF")
    validate.add_argument(
        "--kind", choices=KINDS, help="the kind to check against (default: detected)"
    )
    validate.set_defaults(handler=cmd_reference_validate, migrated=False)
