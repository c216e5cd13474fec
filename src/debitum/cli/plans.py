"""`debitum plan create|list|show|cancel|review`: payment plans.

debitum plan create --administration A --customer C --instalments N --first D
                    [--every month|week|2weeks] [--invoices N1,N2,...] [--grace-days 7]
                    [--note T] [--as-of D] [--no-confirmation] [--format text|json]
debitum plan list --administration A [--status active|completed|broken|cancelled] [--format text|json]
debitum plan show ID --administration A [--as-of D] [--format text|json|confirmation]
debitum plan cancel ID --administration A [--note T] [--as-of D]
debitum plan review --administration A [--as-of D] [--format text|json]
"""

from __future__ import annotations

import json

from .common import (
    EXIT_OK,
    CommandError,
    administration_by_code,
    customer_by_number,
    date_argument,
    invoice_by_number,
    subcommands,
    today,
    validation_message,
)

STATUSES = ["active", "completed", "broken", "cancelled"]


def plan_as_dict(plan, *, as_of) -> dict:
    from debitum.plans.selectors import plan_confirmation_context, plan_paid, plan_standing_at

    context = plan_confirmation_context(plan)
    standing = plan_standing_at(plan, as_of=as_of)
    return {
        "id": plan.pk,
        "customer_number": plan.customer.number,
        "status": plan.status,
        "start_date": plan.start_date.isoformat(),
        "closed_date": plan.closed_date.isoformat() if plan.closed_date else None,
        "currency": plan.currency,
        "total": f"{plan.total:.2f}",
        "every": plan.every,
        "grace_days": plan.grace_days,
        "as_of": as_of.isoformat(),
        "paid": f"{plan_paid(plan, as_of=as_of):.2f}",
        "invoices": [
            {"number": item["number"], "amount": f"{item['amount']:.2f}"}
            for item in context["invoices"]
        ],
        "instalments": [
            {
                "number": item["number"],
                "due_date": item["due_date"].isoformat(),
                "amount": f"{item['amount']:.2f}",
                "is_paid": item["number"] <= standing.paid_count,
            }
            for item in context["instalments"]
        ],
    }


def print_plan(data: dict) -> None:
    currency = data["currency"]
    print(
        f"Payment plan {data['id']} for {data['customer_number']} ({data['status']}): "
        f"{currency} {data['total']} from {data['start_date']}, grace {data['grace_days']} days"
    )
    print(
        "Invoices: " + ", ".join(f"{item['number']} {item['amount']}" for item in data["invoices"])
    )
    print(f"Paid by {data['as_of']}: {currency} {data['paid']}")
    print("  #  due date    amount")
    for item in data["instalments"]:
        paid = "  paid" if item["is_paid"] else ""
        print(f"{item['number']:>3}  {item['due_date']}  {item['amount']:>12}{paid}")


def cmd_plan_create(args) -> int:
    from django.core.exceptions import ValidationError

    from debitum.outbox.selectors import plan_document_paths
    from debitum.plans.services import plan_create

    administration = administration_by_code(args.administration)
    customer = customer_by_number(administration, args.customer)
    invoices = None
    if args.invoices:
        numbers = [number.strip() for number in args.invoices.split(",") if number.strip()]
        invoices = [invoice_by_number(administration, number) for number in numbers]
    as_of = args.as_of or today()
    try:
        plan = plan_create(
            customer=customer,
            instalments=args.instalments,
            first_date=args.first,
            start_date=as_of,
            every=args.every,
            invoices=invoices,
            grace_days=args.grace_days,
            note=args.note or "",
            send_confirmation=not args.no_confirmation,
        )
    except ValidationError as error:
        raise CommandError(validation_message(error)) from None
    data = {**plan_as_dict(plan, as_of=as_of), "documents": plan_document_paths(plan=plan)}
    if args.format == "json":
        print(json.dumps(data, indent=2))
    else:
        print_plan(data)
        for path in data["documents"]:
            print(f"Confirmation: {path}")
    return EXIT_OK


def cmd_plan_list(args) -> int:
    from debitum.plans.selectors import plan_list

    administration = administration_by_code(args.administration)
    plans = list(plan_list(administration=administration, status=args.status))
    rows = [
        {
            "id": plan.pk,
            "customer_number": plan.customer.number,
            "status": plan.status,
            "start_date": plan.start_date.isoformat(),
            "closed_date": plan.closed_date.isoformat() if plan.closed_date else None,
            "currency": plan.currency,
            "total": f"{plan.total:.2f}",
            "every": plan.every,
        }
        for plan in plans
    ]
    if args.format == "json":
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    for row in rows:
        print(
            f"{row['id']}\t{row['customer_number']}\t{row['currency']} {row['total']}\t"
            f"from {row['start_date']}\t{row['every']}\t{row['status']}"
            + (f" {row['closed_date']}" if row["closed_date"] else "")
        )
    if not rows:
        print("No payment plans.")
    return EXIT_OK


def cmd_plan_show(args) -> int:
    from debitum.plans.selectors import plan_confirmation_text, plan_get

    administration = administration_by_code(args.administration)
    try:
        plan = plan_get(administration=administration, plan_id=args.plan_id)
    except LookupError as error:
        raise CommandError(str(error)) from None
    if args.format == "confirmation":
        print(plan_confirmation_text(plan), end="")
        return EXIT_OK
    data = plan_as_dict(plan, as_of=args.as_of or today())
    if args.format == "json":
        print(json.dumps(data, indent=2))
    else:
        print_plan(data)
    return EXIT_OK


def cmd_plan_cancel(args) -> int:
    from django.core.exceptions import ValidationError

    from debitum.plans.selectors import plan_get
    from debitum.plans.services import plan_cancel

    administration = administration_by_code(args.administration)
    try:
        plan = plan_cancel(
            plan=plan_get(administration=administration, plan_id=args.plan_id),
            cancelled_date=args.as_of or today(),
            reason=args.note or "",
        )
    except LookupError as error:
        raise CommandError(str(error)) from None
    except ValidationError as error:
        raise CommandError(validation_message(error)) from None
    print(
        f"Payment plan {plan.pk} cancelled on {plan.closed_date}; its invoices return to dunning."
    )
    return EXIT_OK


def cmd_plan_review(args) -> int:
    from debitum.plans.services import plans_review

    administration = administration_by_code(args.administration)
    as_of = args.as_of or today()
    counts = plans_review(administration=administration, as_of=as_of)
    if args.format == "json":
        print(json.dumps({"as_of": as_of.isoformat(), **counts}, indent=2))
    else:
        print(
            f"Payment plans on {as_of}: {counts['completed']} completed, {counts['broken']} "
            f"broken, {counts['active']} still active."
        )
    return EXIT_OK


def positive_int(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("at least 1")
    return value


def register(commands) -> None:
    plan = subcommands(commands, "plan", help="payment plans (betalingsregelingen)")

    create = plan.add_parser("create", help="agree a payment plan over open invoices")
    create.add_argument("--administration", required=True)
    create.add_argument("--customer", required=True, help="customer number")
    create.add_argument("--instalments", type=positive_int, required=True)
    create.add_argument("--first", type=date_argument, required=True, help="first instalment due")
    create.add_argument("--every", choices=["month", "week", "2weeks"], default="month")
    create.add_argument(
        "--invoices", help="invoice numbers, comma-separated (default: all open invoices)"
    )
    create.add_argument("--grace-days", type=int, default=7, help="default: 7")
    create.add_argument("--note")
    create.add_argument(
        "--as-of", type=date_argument, help="the plan's start; totals open then (default: today)"
    )
    create.add_argument(
        "--no-confirmation",
        action="store_true",
        help="make no confirmation letter (default: stored and queued in the outbox)",
    )
    create.add_argument("--format", choices=["text", "json"], default="text")
    create.set_defaults(handler=cmd_plan_create)

    listing = plan.add_parser("list", help="list payment plans")
    listing.add_argument("--administration", required=True)
    listing.add_argument("--status", choices=STATUSES)
    listing.add_argument("--format", choices=["text", "json"], default="text")
    listing.set_defaults(handler=cmd_plan_list)

    show = plan.add_parser("show", help="a plan, its schedule and what is paid")
    show.add_argument("plan_id", type=int, metavar="ID")
    show.add_argument("--administration", required=True)
    show.add_argument("--as-of", type=date_argument, help="paid by this date (default: today)")
    show.add_argument("--format", choices=["text", "json", "confirmation"], default="text")
    show.set_defaults(handler=cmd_plan_show)

    cancel = plan.add_parser("cancel", help="end an active plan by agreement")
    cancel.add_argument("plan_id", type=int, metavar="ID")
    cancel.add_argument("--administration", required=True)
    cancel.add_argument("--note", help="why")
    cancel.add_argument("--as-of", type=date_argument, help="default: today")
    cancel.set_defaults(handler=cmd_plan_cancel)

    review = plan.add_parser("review", help="complete or break active plans")
    review.add_argument("--administration", required=True)
    review.add_argument("--as-of", type=date_argument, help="default: today")
    review.add_argument("--format", choices=["text", "json"], default="text")
    review.set_defaults(handler=cmd_plan_review)
