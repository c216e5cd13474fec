"""`debitum promise add|list|cancel|review`: promises to pay.

debitum promise add --administration A --customer C --amount X --date D [--note T] [--as-of D]
debitum promise list --administration A [--status open|kept|broken|cancelled] [--format text|json]
debitum promise cancel ID --administration A [--note T] [--as-of D]
debitum promise review --administration A [--as-of D] [--format text|json]
"""

from __future__ import annotations

import json

from .common import (
    EXIT_OK,
    CommandError,
    administration_by_code,
    amount_argument,
    customer_by_number,
    date_argument,
    subcommands,
    today,
    validation_message,
)

STATUSES = ["open", "kept", "broken", "cancelled"]


def promise_as_dict(promise) -> dict:
    from debitum.promises.services import grace_end_date

    return {
        "id": promise.pk,
        "customer_number": promise.customer.number,
        "customer_name": promise.customer.name,
        "promise_date": promise.promise_date.isoformat(),
        "promised_date": promise.promised_date.isoformat(),
        "grace_days": promise.grace_days,
        "waits_until": grace_end_date(promise).isoformat(),
        "amount": f"{promise.amount:.2f}",
        "currency": promise.currency,
        "status": promise.status,
        "closed_date": promise.closed_date.isoformat() if promise.closed_date else None,
        "note": promise.note,
    }


def cmd_promise_add(args) -> int:
    from django.core.exceptions import ValidationError

    from debitum.promises.services import grace_end_date, promise_register

    administration = administration_by_code(args.administration)
    customer = customer_by_number(administration, args.customer)
    amount = amount_argument(args.amount, "--amount")
    try:
        promise = promise_register(
            customer=customer,
            amount=amount,
            promised_date=args.date,
            promise_date=args.as_of or today(),
            note=args.note or "",
        )
    except ValidationError as error:
        raise CommandError(validation_message(error)) from None
    print(
        f"Promise {promise.pk}: {customer.number} pays {promise.currency} {promise.amount:.2f} "
        f"by {promise.promised_date}; dunning waits until {grace_end_date(promise)} "
        f"({promise.grace_days} grace days)."
    )
    return EXIT_OK


def cmd_promise_list(args) -> int:
    from debitum.promises.selectors import promise_list

    administration = administration_by_code(args.administration)
    rows = [
        promise_as_dict(promise)
        for promise in promise_list(administration=administration, status=args.status)
    ]
    if args.format == "json":
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    for row in rows:
        print(
            f"{row['id']}\t{row['customer_number']}\t{row['currency']} {row['amount']}\t"
            f"by {row['promised_date']}\t{row['status']}"
            + (f" {row['closed_date']}" if row["closed_date"] else "")
        )
    if not rows:
        print("No promises.")
    return EXIT_OK


def cmd_promise_cancel(args) -> int:
    from django.core.exceptions import ValidationError

    from debitum.promises.selectors import promise_get
    from debitum.promises.services import promise_cancel

    administration = administration_by_code(args.administration)
    try:
        promise = promise_get(administration=administration, promise_id=args.promise_id)
        promise = promise_cancel(
            promise=promise, cancelled_date=args.as_of or today(), reason=args.note or ""
        )
    except LookupError as error:
        raise CommandError(str(error)) from None
    except ValidationError as error:
        raise CommandError(validation_message(error)) from None
    print(f"Promise {promise.pk} cancelled on {promise.closed_date}.")
    return EXIT_OK


def cmd_promise_review(args) -> int:
    from debitum.promises.services import promises_review

    administration = administration_by_code(args.administration)
    as_of = args.as_of or today()
    counts = promises_review(administration=administration, as_of=as_of)
    if args.format == "json":
        print(json.dumps({"as_of": as_of.isoformat(), **counts}, indent=2))
    else:
        print(
            f"Promises on {as_of}: {counts['kept']} kept, {counts['broken']} broken, "
            f"{counts['open']} still open."
        )
    return EXIT_OK


def register(commands) -> None:
    promise = subcommands(commands, "promise", help="promises to pay (betalingsbeloften)")

    add = promise.add_parser("add", help="record a customer's promise to pay")
    add.add_argument("--administration", required=True)
    add.add_argument("--customer", required=True, help="customer number")
    add.add_argument("--amount", required=True, help="e.g. 500.00 or 500,00")
    add.add_argument("--date", type=date_argument, required=True, help="the promised date")
    add.add_argument("--note")
    add.add_argument(
        "--as-of", type=date_argument, help="the day the promise was made (default: today)"
    )
    add.set_defaults(handler=cmd_promise_add)

    listing = promise.add_parser("list", help="list promises")
    listing.add_argument("--administration", required=True)
    listing.add_argument("--status", choices=STATUSES)
    listing.add_argument("--format", choices=["text", "json"], default="text")
    listing.set_defaults(handler=cmd_promise_list)

    cancel = promise.add_parser("cancel", help="withdraw an open promise")
    cancel.add_argument("promise_id", type=int, metavar="ID")
    cancel.add_argument("--administration", required=True)
    cancel.add_argument("--note", help="why")
    cancel.add_argument("--as-of", type=date_argument, help="default: today")
    cancel.set_defaults(handler=cmd_promise_cancel)

    review = promise.add_parser("review", help="mark open promises kept or broken")
    review.add_argument("--administration", required=True)
    review.add_argument("--as-of", type=date_argument, help="default: today")
    review.add_argument("--format", choices=["text", "json"], default="text")
    review.set_defaults(handler=cmd_promise_review)
