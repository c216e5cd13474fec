"""`debitum token create USER [--name LABEL]`: an API token, printed once.

debitum token create anna --name erp
debitum token list [USER]
debitum token revoke ID
"""

from __future__ import annotations

import sys

from .common import EXIT_OK, CommandError, subcommands


def _user(username: str):
    from django.contrib.auth import get_user_model

    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"no user {username!r}") from None


def cmd_token_create(args) -> int:
    from debitum.api.tokens import token_create

    row, token = token_create(user=_user(args.username), name=args.name)
    print(token)
    print(
        f"Token {row.pk} ({row.name}) for {args.username}: send it as "
        "'Authorization: Bearer <token>'. It is not shown again.",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_token_list(args) -> int:
    from debitum.api.models import ApiToken

    tokens = ApiToken.objects.select_related("user")
    if args.username:
        tokens = tokens.filter(user=_user(args.username))
    for token in tokens:
        state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
        used = f"last used {token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "unused"
        print(f"{token.pk}\t{token.user.username}\t{token.name}\t{token.prefix}…\t{state}\t{used}")
    return EXIT_OK


def cmd_token_revoke(args) -> int:
    from django.utils import timezone

    from debitum.api.models import ApiToken

    if not ApiToken.objects.filter(pk=args.token_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    ):
        raise CommandError(f"no active token {args.token_id}")
    print(f"Token {args.token_id} revoked.")
    return EXIT_OK


def register(commands) -> None:
    token = subcommands(commands, "token", "API tokens (Authorization: Bearer …)")
    create = token.add_parser("create", help="a new token for a user; printed once")
    create.add_argument("username")
    create.add_argument("--name", default="api", help="what it is for, e.g. erp")
    create.set_defaults(handler=cmd_token_create)
    listing = token.add_parser("list", help="tokens (never the tokens themselves)")
    listing.add_argument("username", nargs="?")
    listing.set_defaults(handler=cmd_token_list)
    revoke = token.add_parser("revoke", help="revoke a token by its id")
    revoke.add_argument("token_id", type=int)
    revoke.set_defaults(handler=cmd_token_revoke)
