"""`debitum init`, `debitum administration …`, `debitum user …`."""

from __future__ import annotations

import getpass
import secrets
import sys

from .common import (
    EXIT_OK,
    CommandError,
    administration_by_code,
    validation_message,
)


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

    from debitum.administrations.services import LETTERHEAD_FIELDS, administration_create

    try:
        administration = administration_create(
            code=args.code,
            name=args.name,
            country=args.country.upper(),
            currency=args.currency,
            language=args.language,
            letterhead={field: getattr(args, field) for field in LETTERHEAD_FIELDS},
            sepa_creditor_id=args.sepa_creditor_id or "",
        )
    except ValidationError as error:
        raise CommandError(validation_message(error)) from None
    print(
        f"Administration {administration.code} ({administration.name}, {administration.country}, "
        f"{administration.currency}) created."
    )
    return EXIT_OK


def cmd_administration_update(args) -> int:
    from django.core.exceptions import ValidationError

    from debitum.administrations.services import UPDATABLE_FIELDS, administration_update

    administration = administration_by_code(args.code)
    changes = {
        field: getattr(args, field)
        for field in UPDATABLE_FIELDS
        if getattr(args, field) is not None
    }
    if not changes:
        raise CommandError("nothing to change: name at least one option (see --help)")
    before = {field: getattr(administration, field) for field in changes}
    try:
        administration = administration_update(administration=administration, changes=changes)
    except ValidationError as error:
        raise CommandError(validation_message(error)) from None
    changed = [field for field in changes if getattr(administration, field) != before[field]]
    if not changed:
        print(f"Administration {administration.code}: nothing changed.")
        return EXIT_OK
    print(f"Administration {administration.code} updated:")
    for field in changed:
        print(
            f"  {field.replace('_', '-')}: {before[field] or '-'} -> {getattr(administration, field) or '-'}"
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
    administration = administration_by_code(args.administration) if args.administration else None
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
        raise CommandError(validation_message(error)) from None
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

    administration = administration_by_code(args.administration)
    try:
        user = get_user_model().objects.get(username=args.username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"no user {args.username!r}") from None
    try:
        membership_grant(user=user, administration=administration, role=args.role)
    except ValidationError as error:
        raise CommandError(validation_message(error)) from None
    print(f"{user.username} is {args.role} in {administration.code}.")
    return EXIT_OK


def _letterhead_arguments(parser) -> None:
    letterhead = parser.add_argument_group("letterhead (printed on letters and e-mails)")
    letterhead.add_argument("--legal-name", help="registered name, when not the --name")
    letterhead.add_argument("--street")
    letterhead.add_argument("--postal-code")
    letterhead.add_argument("--city")
    letterhead.add_argument("--iban", help="account for payments; also in the EPC QR code")
    letterhead.add_argument("--bic")
    letterhead.add_argument("--email", help="the From address of dunning e-mails")
    letterhead.add_argument("--phone")
    letterhead.add_argument("--vat-number")
    letterhead.add_argument("--registration-number", help="KvK number or enterprise number")
    letterhead.add_argument("--website")
    sepa = parser.add_argument_group("SEPA direct debit")
    sepa.add_argument(
        "--sepa-creditor-id",
        help="the creditor identifier for direct debits, e.g. NL51ZZZ405365330000 (checked)",
    )


def register(commands) -> None:
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
    _letterhead_arguments(create)
    create.set_defaults(handler=cmd_administration_create)
    update = administration_commands.add_parser(
        "update",
        help="change an administration's name, language, letterhead or SEPA creditor id",
        description="Change the named fields only; an empty value ('') clears one. The code, "
        "country and currency cannot change.",
    )
    update.add_argument("code")
    update.add_argument("--name")
    update.add_argument("--language", choices=["nl", "fr", "en"])
    _letterhead_arguments(update)
    update.set_defaults(handler=cmd_administration_update)
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
