"""What a statement import reports: each statement, each entry and what became of it (the
JSON of `debitum import statement`, the web preview), also for statements stored before."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from .choices import MatchOutcome
from .models import StatementEntry


@dataclass
class EntryResult:
    sequence: int
    booking_date: dt.date
    value_date: dt.date | None
    amount: Decimal
    currency: str
    counterparty_name: str
    counterparty_iban: str
    remittance: str
    structured_reference: str
    end_to_end_id: str
    outcome: str
    confidence: int = 0
    reason: str = ""
    detail: str = ""
    customer_number: str = ""
    invoices: list[str] = field(default_factory=list)


@dataclass
class StatementResult:
    account: str
    statement_number: str
    currency: str
    opening_balance: Decimal | None
    closing_balance: Decimal | None
    file_format: str
    follows_previous: bool | None = None
    continuity_note: str = ""
    already_imported: bool = False
    entries: list[EntryResult] = field(default_factory=list)


@dataclass
class StatementImportResult:
    file_name: str
    already_imported: bool = False
    statements: list[StatementResult] = field(default_factory=list)
    batch_id: int | None = None

    @property
    def outcomes(self) -> Counter:
        return Counter(e.outcome for s in self.statements for e in s.entries)

    def summary(self) -> str:
        if self.already_imported:
            return f"{self.file_name}: this file was imported before; nothing changed."
        counts = self.outcomes
        parts = [f"{counts[o]} {o}" for o in MatchOutcome.values if counts[o]]
        entries = sum(counts.values())
        text = f"{self.file_name}: {len(self.statements)} statement(s), {entries} entries"
        return text + (": " + ", ".join(parts) if parts else "") + "."


def customer_numbers(administration, ids) -> dict[int, str]:
    from debitum.customers.models import Customer

    numbers, ids = {}, list(ids)
    for start in range(0, len(ids), 900):
        numbers.update(
            Customer.objects.filter(
                administration=administration, pk__in=ids[start : start + 900]
            ).values_list("pk", "number")
        )
    return numbers


def entry_result(sequence, p, d, numbers) -> EntryResult:
    return EntryResult(
        sequence=sequence,
        booking_date=p.booking_date,
        value_date=p.value_date,
        amount=p.amount,
        currency=p.currency,
        counterparty_name=p.counterparty_name,
        counterparty_iban=p.counterparty_iban,
        remittance=p.remittance,
        structured_reference=p.structured_reference,
        end_to_end_id=p.end_to_end_id,
        outcome=d["outcome"] if d else "",
        confidence=d["confidence"] if d else 0,
        reason=d["reason"] if d else "",
        detail=d["detail"] if d else "",
        customer_number=numbers.get(d["customer_id"], "") if d else "",
        invoices=[i["number"] for i in d["invoices"]] if d else [],
    )


def statement_entries_report(*, administration, statements) -> dict[int, list[EntryResult]]:
    """The entries of stored statements with their current decisions, per statement id."""
    from .selectors import latest_decisions

    out: dict[int, list[EntryResult]] = defaultdict(list)
    if not statements:
        return out
    entries = list(
        StatementEntry.objects.filter(
            administration=administration, statement__in=statements
        ).order_by("statement_id", "sequence")
    )
    latest = latest_decisions(administration=administration, entry_ids=[e.pk for e in entries])
    numbers = customer_numbers(
        administration, {d.customer_id for d in latest.values() if d.customer_id}
    )
    for entry in entries:
        decision = latest.get(entry.pk)
        d = (
            {
                "outcome": decision.outcome,
                "confidence": decision.confidence,
                "reason": decision.reason,
                "detail": decision.detail,
                "customer_id": decision.customer_id,
                "invoices": decision.invoices,
            }
            if decision
            else None
        )
        out[entry.statement_id].append(entry_result(entry.sequence, entry, d, numbers))
    return out


def result_data(result: StatementImportResult, *, entries_limit: int) -> dict:
    """The result as JSON-able data (a preview job keeps it), with the first `entries_limit`
    entries of the file and the outcome counts of all of them."""
    import json
    from dataclasses import asdict, replace

    from django.core.serializers.json import DjangoJSONEncoder

    shown, left = [], entries_limit
    for statement in result.statements:
        shown.append(replace(statement, entries=statement.entries[: max(left, 0)]))
        left -= len(statement.entries)
    data = asdict(replace(result, statements=shown))
    data["outcome_counts"] = dict(result.outcomes)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def result_from_data(data: dict) -> tuple[StatementImportResult, Counter]:
    """What result_data kept: the result (with the entries kept) and the counts of all."""

    def decimal(value):
        return None if value is None else Decimal(value)

    def date(value):
        return None if value is None else dt.date.fromisoformat(value)

    statements = []
    for statement in data["statements"]:
        entries = [
            EntryResult(
                **{
                    **entry,
                    "booking_date": date(entry["booking_date"]),
                    "value_date": date(entry["value_date"]),
                    "amount": Decimal(entry["amount"]),
                }
            )
            for entry in statement["entries"]
        ]
        statements.append(
            StatementResult(
                **{
                    **statement,
                    "opening_balance": decimal(statement["opening_balance"]),
                    "closing_balance": decimal(statement["closing_balance"]),
                    "entries": entries,
                }
            )
        )
    result = StatementImportResult(
        file_name=data["file_name"],
        already_imported=data["already_imported"],
        statements=statements,
        batch_id=data.get("batch_id"),
    )
    return result, Counter(data.get("outcome_counts") or {})
