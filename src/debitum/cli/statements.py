"""`debitum import statement FILE --administration CODE [--format json]` and the
reconciliation queue on the command line (`debitum bank queue|confirm|ignore`)."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

from .common import EXIT_FAILED, EXIT_OK, CommandError, administration_by_code, subcommands


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _mapping(text: str | None) -> dict | None:
    """--mapping: a preset's name (ing-nl, rabobank) or a JSON file with the column mapping."""
    if not text:
        return None
    path = Path(text)
    if path.suffix.lower() == ".json" or path.exists():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"{text}: not a readable JSON column mapping ({error})") from None
    return {"preset": text}


def result_json(result) -> dict:
    """The JSON of a statement import (the shape `debitum import statement --format json`
    prints; the web page and the API give the same)."""
    return {
        "ok": True,
        "file": result.file_name,
        "already_imported": result.already_imported,
        "outcomes": dict(result.outcomes),
        "statements": [
            {
                "account": s.account,
                "statement_number": s.statement_number,
                "currency": s.currency,
                "file_format": s.file_format,
                "opening_balance": _money(s.opening_balance),
                "closing_balance": _money(s.closing_balance),
                "follows_previous": s.follows_previous,
                "continuity_note": s.continuity_note,
                "already_imported": s.already_imported,
                "entries": [
                    {
                        "booking_date": e.booking_date.isoformat(),
                        "value_date": e.value_date.isoformat() if e.value_date else None,
                        "amount": f"{e.amount:.2f}",
                        "currency": e.currency,
                        "counterparty_name": e.counterparty_name,
                        "counterparty_iban": e.counterparty_iban,
                        "remittance": e.remittance,
                        "structured_reference": e.structured_reference,
                        "end_to_end_id": e.end_to_end_id,
                        "outcome": e.outcome,
                        "invoices": e.invoices,
                        "confidence": e.confidence,
                        "reason": e.reason,
                        "detail": e.detail,
                        "customer_number": e.customer_number,
                    }
                    for e in s.entries
                ],
            }
            for s in result.statements
        ],
    }


def _print_text(result) -> None:
    print(result.summary())
    for s in result.statements:
        balances = ""
        if s.opening_balance is not None:
            balances = f", {s.opening_balance:.2f} -> {s.closing_balance:.2f}"
        seen = " (imported before)" if s.already_imported else ""
        print(f"{s.account} statement {s.statement_number or '-'} {s.currency}{balances}{seen}")
        if s.follows_previous is False:
            print(f"  WARNING: {s.continuity_note}")
        for e in s.entries:
            who = e.customer_number or e.counterparty_name or "?"
            invoices = (" " + ",".join(e.invoices)) if e.invoices else ""
            print(
                f"  {e.booking_date} {e.amount:>12.2f} {e.outcome:<9} {e.confidence:>3} "
                f"{who}{invoices}  {e.detail}"
            )


def cmd_import_statement(args) -> int:
    from debitum.banking.formats.statement import StatementFormatError
    from debitum.banking.services import statement_import
    from debitum.progress import rich_progress

    administration = administration_by_code(args.administration)
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CommandError(f"{args.file}: {error.strerror}") from None
    try:
        with rich_progress(f"statement {path.name}", enabled=args.format == "text") as progress:
            result = statement_import(
                administration=administration,
                data=data,
                file_name=path.name,
                csv_mapping=_mapping(args.mapping),
                threshold=args.threshold,
                progress=progress,
                dry_run=args.dry_run,
            )
    except StatementFormatError as error:
        if args.format == "json":
            print(
                json.dumps(
                    {
                        "ok": False,
                        "errors": [
                            {
                                "file": error.file_name,
                                "where": error.where,
                                "message": error.message,
                            }
                        ],
                    },
                    indent=2,
                )
            )
        else:
            print(f"{error}\nNothing was imported.", file=sys.stderr)
        return EXIT_FAILED
    if args.format == "json":
        print(json.dumps(result_json(result), indent=2))
    else:
        _print_text(result)
    return EXIT_OK


def add_statement_options(parser) -> None:
    """The options `debitum import statement` takes beside those of every import."""
    from debitum.domain.matching import DEFAULT_THRESHOLD

    parser.add_argument(
        "--mapping",
        help="for a bank CSV: a preset (ing-nl, rabobank) or a JSON file mapping our fields "
        "to the file's columns (docs/banking/statement-formats.md)",
    )
    parser.add_argument(
        "--threshold",
        type=int,
        default=DEFAULT_THRESHOLD,
        help=f"apply matches this sure (0-100) automatically (default {DEFAULT_THRESHOLD})",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="match and report, then change nothing"
    )


# --- the queue ---------------------------------------------------------------------------


def cmd_queue(args) -> int:
    from debitum.banking.selectors import reconciliation_queue

    administration = administration_by_code(args.administration)
    decisions = reconciliation_queue(administration=administration, limit=args.limit)
    rows = [
        {
            "entry": d.entry_id,
            "booking_date": d.entry.booking_date.isoformat(),
            "amount": f"{d.entry.amount:.2f}",
            "currency": d.entry.currency,
            "counterparty_name": d.entry.counterparty_name,
            "counterparty_iban": d.entry.counterparty_iban,
            "remittance": d.entry.remittance,
            "outcome": d.outcome,
            "confidence": d.confidence,
            "reason": d.reason,
            "detail": d.detail,
            "customer_number": d.customer.number if d.customer else "",
            "invoices": d.invoices,
            "suggestions": d.suggestions,
        }
        for d in decisions
    ]
    if args.format == "json":
        print(json.dumps({"administration": administration.code, "entries": rows}, indent=2))
        return EXIT_OK
    if not rows:
        print("The reconciliation queue is empty.")
    for row in rows:
        proposal = ", ".join(f"{i['number']} {i['amount']}" for i in row["invoices"])
        print(
            f"#{row['entry']} {row['booking_date']} {row['amount']:>12} {row['outcome']:<9} "
            f"{row['confidence']:>3} {row['counterparty_name'] or '?'} | {row['remittance'][:40]}"
            + (f" -> {row['customer_number']} {proposal}" if row["customer_number"] else "")
        )
    return EXIT_OK


def _allocation(text: str) -> tuple[str, Decimal | None]:
    number, _, amount = text.partition("=")
    try:
        return number.strip(), Decimal(amount.replace(",", ".")) if amount else None
    except ArithmeticError:
        raise CommandError(f"--invoice {text}: the amount after = is not an amount") from None


def _entry(administration, entry_id: int):
    from debitum.banking.models import StatementEntry
    from debitum.banking.selectors import entry_get

    try:
        return entry_get(administration=administration, entry_id=entry_id)
    except StatementEntry.DoesNotExist:
        raise CommandError(
            f"there is no bank entry {entry_id} in {administration.code} "
            "(`debitum bank queue` lists them)"
        ) from None


def cmd_confirm(args) -> int:
    from django.core.exceptions import ValidationError

    from debitum.banking.reconcile_services import entry_confirm

    administration = administration_by_code(args.administration)
    entry = _entry(administration, args.entry)
    try:
        decision = entry_confirm(
            entry=entry,
            customer_number=args.customer,
            allocations=[_allocation(text) for text in args.invoice or []],
            use_suggestion=args.suggestion,
        )
    except ValidationError as error:
        raise CommandError("; ".join(error.messages)) from None
    applied = ", ".join(f"{i['number']} {i['amount']}" for i in decision.invoices) or "on account"
    print(f"Entry {entry.pk} matched to {decision.customer.number}: {applied}.")
    return EXIT_OK


def cmd_ignore(args) -> int:
    from django.core.exceptions import ValidationError

    from debitum.banking.reconcile_services import entry_ignore

    administration = administration_by_code(args.administration)
    entry = _entry(administration, args.entry)
    try:
        entry_ignore(entry=entry, note=args.note)
    except ValidationError as error:
        raise CommandError("; ".join(error.messages)) from None
    print(f"Entry {entry.pk} set aside: not a customer payment.")
    return EXIT_OK


def register(commands) -> None:
    bank = subcommands(commands, "bank", "the reconciliation queue of bank statement entries")
    queue = bank.add_parser("queue", help="the entries that wait for a person, with suggestions")
    queue.add_argument("--administration", required=True)
    queue.add_argument("--limit", type=int, default=50)
    queue.add_argument("--format", choices=["text", "json"], default="text")
    queue.set_defaults(handler=cmd_queue)

    confirm = bank.add_parser(
        "confirm", help="apply an entry: its best suggestion, or to invoices you name"
    )
    confirm.add_argument("entry", type=int)
    confirm.add_argument("--administration", required=True)
    confirm.add_argument("--customer", help="the customer number (default: the suggestion's)")
    confirm.add_argument(
        "--invoice",
        action="append",
        metavar="NUMBER[=AMOUNT]",
        help="an invoice to pay (repeat to split); without an amount: what is open",
    )
    confirm.add_argument(
        "--suggestion", type=int, default=0, help="which suggestion (0: the best, the default)"
    )
    confirm.set_defaults(handler=cmd_confirm)

    ignore = bank.add_parser("ignore", help="set an entry aside: not a customer payment")
    ignore.add_argument("entry", type=int)
    ignore.add_argument("--administration", required=True)
    ignore.add_argument("--note", default="")
    ignore.set_defaults(handler=cmd_ignore)
