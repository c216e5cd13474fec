"""`debitum outbox send|list|printed|templates`: the e-mails and letters of the dunning runs."""

from __future__ import annotations

import json

from .common import EXIT_FAILED, EXIT_OK, CommandError, administration_by_code


def cmd_outbox_send(args) -> int:
    from django.conf import settings
    from django.utils import timezone

    from debitum.outbox.services import outbox_send

    if not settings.EMAIL_URL:
        raise CommandError(
            "EMAIL_URL is not set: e.g. EMAIL_URL=smtp://user:password@mail.example.com:587?starttls=1"
        )
    administration = administration_by_code(args.administration) if args.administration else None
    result = outbox_send(administration=administration, now=timezone.now(), limit=args.limit)
    if args.format == "json":
        print(json.dumps({**result.as_dict(), "errors": result.errors}, indent=2))
    else:
        for error in result.errors:
            print(f"  {error}")
        print(
            f"sent {result.sent}, retrying {result.retrying}, bounced {result.bounced}, "
            f"failed {result.failed}, skipped {result.skipped}"
        )
    return EXIT_OK if not (result.failed or result.bounced) else EXIT_FAILED


def cmd_outbox_list(args) -> int:
    from debitum.outbox.selectors import outbound_message_list

    administration = administration_by_code(args.administration)
    messages = outbound_message_list(
        administration=administration, status=args.status, channel=args.channel
    )
    rows = [
        {
            "id": message.pk,
            "created_at": message.created_at.isoformat(),
            "customer_number": message.customer.number,
            "channel": message.channel,
            "to": message.to_address,
            "subject": message.subject,
            "status": message.status,
            "attempts": message.attempts,
            "next_attempt_at": message.next_attempt_at.isoformat(),
            "sent_at": message.sent_at.isoformat() if message.sent_at else None,
            "last_error": message.last_error,
            "message_id": message.message_id,
            "attachments": message.attachments,
        }
        for message in messages[: args.limit]
    ]
    if args.format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    for row in rows:
        to = row["to"].splitlines()[0] if row["to"] else ""
        print(
            f"{row['id']}\t{row['status']}\t{row['channel']}\t{row['customer_number']}\t{to}\t"
            f"{row['subject']}" + (f"\t{row['last_error']}" if row["last_error"] else "")
        )
    return EXIT_OK


def cmd_outbox_printed(args) -> int:
    from django.utils import timezone

    from debitum.outbox.services import outbox_mark_printed

    administration = administration_by_code(args.administration)
    moved = outbox_mark_printed(
        administration=administration, message_ids=args.ids, now=timezone.now()
    )
    print(f"{moved} letter(s) marked printed.")
    return EXIT_OK


def cmd_outbox_templates(args) -> int:
    from debitum.outbox.services import message_templates_install

    administration = administration_by_code(args.administration)
    added = message_templates_install(administration=administration)
    print(f"{added} message template(s) added to {administration.code}.")
    return EXIT_OK


def register(commands) -> None:
    outbox = commands.add_parser("outbox", help="e-mails and letters: send, list, print queue")
    actions = outbox.add_subparsers(dest="action", required=True, metavar="ACTION")

    send = actions.add_parser("send", help="send the pending e-mails that are due (EMAIL_URL)")
    send.add_argument("--administration", help="only this administration's messages")
    send.add_argument("--limit", type=int, help="at most this many messages")
    send.add_argument("--format", choices=["text", "json"], default="text")
    send.set_defaults(handler=cmd_outbox_send)

    listing = actions.add_parser("list", help="list the messages of an administration")
    listing.add_argument("--administration", required=True)
    listing.add_argument(
        "--status", choices=["pending", "sending", "sent", "failed", "bounced", "printed"]
    )
    listing.add_argument("--channel", choices=["email", "letter"])
    listing.add_argument("--limit", type=int, default=1000)
    listing.add_argument("--format", choices=["text", "json"], default="text")
    listing.set_defaults(handler=cmd_outbox_list)

    printed = actions.add_parser("printed", help="mark letters of the print queue printed")
    printed.add_argument("--administration", required=True)
    printed.add_argument("ids", nargs="+", type=int, metavar="ID")
    printed.set_defaults(handler=cmd_outbox_printed)

    templates = actions.add_parser(
        "templates", help="copy the shipped letter and e-mail templates into an administration"
    )
    templates.add_argument("--administration", required=True)
    templates.set_defaults(handler=cmd_outbox_templates)
