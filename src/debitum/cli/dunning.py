"""`debitum dunning …`: runs, their simulation, approvals and pauses.

debitum dunning run --administration A [--as-of D] [--dry-run] [--format text|json]
debitum dunning simulate --administration A --from D1 --to D2 [--format text|json]
debitum dunning approve ACTION --administration A [--no-execute]
debitum dunning reject ACTION --administration A --reason R [--pause-until D]
debitum dunning pause --administration A --customer C [--invoice N] --until D --reason R
debitum dunning waiting --administration A [--format text|json]
"""

from __future__ import annotations

import datetime as dt
import json

from .common import EXIT_OK, CommandError, administration_by_code, date_argument, subcommands, today


def _print_actions(actions: list[dict], *, header: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=header, title_justify="left")
    for column in ("day", "customer", "step", "channel", "invoices", "principal", "costs",
                   "interest", "pay before", "status"):  # fmt: skip
        table.add_column(column)
    for action in actions:
        table.add_row(
            action.get("as_of", ""),
            f"{action['customer_number']} {action['customer_name']}",
            action["step"],
            action["channel"],
            ", ".join(action["invoices"][:4]) + (" …" if len(action["invoices"]) > 4 else ""),
            f"{action['currency']} {action['principal']}",
            action["fee"],
            action["interest"],
            action["pay_before"] or "",
            action["status"],
        )
    Console().print(table)


def cmd_dunning_run(args) -> int:
    from debitum.dunning.services import dunning_run

    administration = administration_by_code(args.administration)
    as_of = args.as_of or today()
    result = dunning_run(administration=administration, as_of=as_of, dry_run=args.dry_run)
    data = result.as_dict()
    if args.format == "json":
        print(json.dumps(data, indent=2))
        return EXIT_OK
    if result.already_run:
        print(f"Dunning for {administration.code} on {as_of} has run already.")
    _print_actions(
        result.actions,
        header=f"Dunning {administration.code} {as_of}" + (" (dry run)" if args.dry_run else ""),
    )
    if result.skipped:
        print(
            "Skipped invoices: " + ", ".join(f"{k} {v}" for k, v in sorted(result.skipped.items()))
        )
    return EXIT_OK


def cmd_dunning_simulate(args) -> int:
    from debitum.dunning.services import dunning_simulate

    administration = administration_by_code(args.administration)
    try:
        actions = dunning_simulate(administration=administration, start=args.start, end=args.end)
    except ValueError as error:
        raise CommandError(str(error)) from None
    if args.format == "json":
        print(
            json.dumps(
                {
                    "administration": administration.code,
                    "from": args.start.isoformat(),
                    "to": args.end.isoformat(),
                    "actions": actions,
                },
                indent=2,
            )
        )
    else:
        _print_actions(actions, header=f"Simulated dunning {args.start} to {args.end}")
    return EXIT_OK


def _action(administration, action_id: int):
    from debitum.dunning.models import DunningAction

    try:
        return DunningAction.objects.get(administration=administration, pk=action_id)
    except DunningAction.DoesNotExist:
        raise CommandError(f"no dunning action {action_id} in {administration.code}") from None


def cmd_dunning_approve(args) -> int:
    from debitum.dunning.services import action_approve

    administration = administration_by_code(args.administration)
    try:
        action = action_approve(
            action=_action(administration, args.action), actor=None, execute=not args.no_execute
        )
    except ValueError as error:
        raise CommandError(str(error)) from None
    print(f"Action {action.pk} ({action.kind}) is {action.status}.")
    return EXIT_OK


def cmd_dunning_reject(args) -> int:
    from debitum.dunning.services import action_reject

    administration = administration_by_code(args.administration)
    action = _action(administration, args.action)
    until = args.pause_until or (action.run.as_of + dt.timedelta(days=14))
    try:
        action = action_reject(action=action, actor=None, reason=args.reason, pause_until=until)
    except ValueError as error:
        raise CommandError(str(error)) from None
    print(f"Action {action.pk} rejected; dunning of the customer pauses until {until}.")
    return EXIT_OK


def cmd_dunning_pause(args) -> int:
    from debitum.customers.models import Customer
    from debitum.dunning.services import dunning_pause
    from debitum.ledger.models import Invoice

    administration = administration_by_code(args.administration)
    try:
        customer = Customer.objects.get(administration=administration, number=args.customer)
    except Customer.DoesNotExist:
        raise CommandError(f"no customer {args.customer!r} in {administration.code}") from None
    invoice = None
    if args.invoice:
        invoice = Invoice.objects.filter(
            administration=administration, customer=customer, number=args.invoice
        ).first()
        if invoice is None:
            raise CommandError(f"customer {customer.number} has no invoice {args.invoice!r}")
    try:
        dunning_pause(
            administration=administration,
            customer=customer,
            invoice=invoice,
            until=args.until,
            reason=args.reason,
            as_of=args.as_of or today(),
        )
    except ValueError as error:
        raise CommandError(str(error)) from None
    print(
        f"Dunning of {customer.number}"
        + (f" invoice {invoice.number}" if invoice else "")
        + f" paused until {args.until}."
    )
    return EXIT_OK


def cmd_dunning_waiting(args) -> int:
    from debitum.dunning.models import DunningAction
    from debitum.dunning.services import _action_dict

    administration = administration_by_code(args.administration)
    actions = [
        {**_action_dict(
            action,
            list(action.lines.values_list("invoice__number", flat=True)),
            customer=action.customer,
        ), "as_of": action.run.as_of.isoformat()}
        for action in DunningAction.objects.filter(
            administration=administration, status="awaiting_approval"
        ).select_related("customer", "step", "run")
    ]  # fmt: skip
    if args.format == "json":
        print(json.dumps({"administration": administration.code, "actions": actions}, indent=2))
    else:
        _print_actions(actions, header=f"Awaiting approval in {administration.code}")
    return EXIT_OK


def register(commands) -> None:
    dunning = subcommands(commands, "dunning", "dunning runs, simulation, approvals, pauses")
    run = dunning.add_parser("run", help="decide and carry out the day's dunning")
    run.add_argument("--administration", required=True)
    run.add_argument("--as-of", type=date_argument, help="the day of the run (default: today)")
    run.add_argument(
        "--dry-run", action="store_true", help="show what would happen, change nothing"
    )
    run.add_argument("--format", choices=["text", "json"], default="text")
    run.set_defaults(handler=cmd_dunning_run)

    simulate = dunning.add_parser("simulate", help="what daily runs over a period would do")
    simulate.add_argument("--administration", required=True)
    simulate.add_argument("--from", dest="start", required=True, type=date_argument)
    simulate.add_argument("--to", dest="end", required=True, type=date_argument)
    simulate.add_argument("--format", choices=["text", "json"], default="text")
    simulate.set_defaults(handler=cmd_dunning_simulate)

    approve = dunning.add_parser("approve", help="approve a step that waits for approval")
    approve.add_argument("action", type=int, help="the action's id")
    approve.add_argument("--administration", required=True)
    approve.add_argument("--no-execute", action="store_true", help="leave it for the next run")
    approve.set_defaults(handler=cmd_dunning_approve)

    reject = dunning.add_parser("reject", help="refuse a step; the customer's dunning pauses")
    reject.add_argument("action", type=int)
    reject.add_argument("--administration", required=True)
    reject.add_argument("--reason", required=True)
    reject.add_argument("--pause-until", type=date_argument, help="default: 14 days after the run")
    reject.set_defaults(handler=cmd_dunning_reject)

    pause = dunning.add_parser("pause", help="pause dunning of a customer or one invoice")
    pause.add_argument("--administration", required=True)
    pause.add_argument("--customer", required=True)
    pause.add_argument("--invoice")
    pause.add_argument("--until", required=True, type=date_argument)
    pause.add_argument("--reason", required=True)
    pause.add_argument(
        "--as-of", type=date_argument, help="first day of the pause (default: today)"
    )
    pause.set_defaults(handler=cmd_dunning_pause)

    waiting = dunning.add_parser("waiting", help="the steps awaiting approval")
    waiting.add_argument("--administration", required=True)
    waiting.add_argument("--format", choices=["text", "json"], default="text")
    waiting.set_defaults(handler=cmd_dunning_waiting)
