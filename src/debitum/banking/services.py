"""The statement import: store a bank file's statements and entries, match the entries, and
apply what is certain to the ledger, in one transaction.

`statement_import` reads the file (any format `banking.formats` knows), skips what was
imported before (the file, a statement, or a movement seen in an earlier file: a duplicate),
flags a statement whose opening balance does not follow on the previous closing balance, and
decides for every entry (`domain.matching` for money in):

- matched: a ledger payment for the customer, allocated to the invoices (the rest on account);
- suggested / unmatched: a decision row with the best proposals, for the reconciliation queue;
- returned: a returned direct debit or credit transfer: the allocations of the money that came
  back are reversed from the return's date on, and the invoices are open (and dunned) again;
- duplicate: the movement was imported before;
- ignored: money out that is not a return or refund (not a receivable matter).

All of it is set-based: one pass to read what is open, bulk inserts for entries, payments,
allocations and decisions; no query per entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from debitum.audit.services import audit_record
from debitum.common.bulk import bulk_insert, no_cyclic_gc
from debitum.domain.matching import DEFAULT_THRESHOLD, EntryFacts, Proposal, match_entry
from debitum.domain.money import to_minor_units
from debitum.imports.choices import ImportKind
from debitum.imports.models import ImportBatch
from debitum.imports.payment_import import PAYMENT_COLUMNS
from debitum.imports.pipeline import Progress, lock_administration, no_progress
from debitum.ledger.models import Allocation, Invoice, Payment
from debitum.ledger.selectors import open_amounts

from .choices import DirectDebitStatus, MatchOutcome, SequenceType
from .formats.statement import ParsedEntry, ParsedStatement
from .models import (
    CustomerBankAccount,
    DirectDebitItem,
    EntryDecision,
    Mandate,
    Statement,
    StatementEntry,
)
from .selectors import ALL_TIME, match_index
from .statement_results import (
    StatementImportResult,
    StatementResult,
    customer_numbers,
    entry_result,
    statement_entries_report,
)

# Return reasons after which the mandate cannot be used again (EPC SDD rulebook reason codes).
MANDATE_ENDING_REASONS = {"AC04", "AC06", "MD01", "MD07", "BE05"}
# Matches this sure teach the matcher the counterparty's IBAN for next time.
LEARN_FROM = 95


class _Rollback(Exception):
    pass


def payment_fingerprint(entry_fingerprint: str) -> str:
    """The ledger payment of a statement entry is known by the entry (64 characters fit)."""
    return f"bank:{entry_fingerprint[:59]}"


def statement_import(
    *,
    administration,
    data: bytes,
    file_name: str,
    csv_mapping: dict | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    actor=None,
    progress: Progress = no_progress,
    dry_run: bool = False,
) -> StatementImportResult:
    """Import the bank file `data` into `administration`, whole or not at all (a file that
    cannot be read raises `StatementFormatError` naming the file and the place). Matches of
    `threshold` confidence or more are applied to the ledger. Importing the same file again
    changes nothing. `dry_run`: everything is decided, then rolled back (the web preview)."""
    from .formats import parse_statement

    sha256 = hashlib.sha256(data).hexdigest()
    if _previous_batch(administration, sha256):
        return StatementImportResult(file_name=file_name, already_imported=True)
    progress("reading", 0, 1)
    statements = parse_statement(data, file_name, csv_mapping=csv_mapping)
    progress("reading", 1, 1)
    return statements_import(
        administration=administration,
        statements=statements,
        file_name=file_name,
        sha256=sha256,
        threshold=threshold,
        actor=actor,
        progress=progress,
        dry_run=dry_run,
    )


def statements_import(
    *,
    administration,
    statements: list[ParsedStatement],
    file_name: str,
    sha256: str,
    threshold: int = DEFAULT_THRESHOLD,
    actor=None,
    progress: Progress = no_progress,
    dry_run: bool = False,
) -> StatementImportResult:
    """The statements read from a file (`sha256` of its bytes) into `administration`: what
    `statement_import` does once the file is parsed."""
    result = StatementImportResult(file_name=file_name)
    try:
        with transaction.atomic(), no_cyclic_gc():
            lock_administration(administration)
            if _previous_batch(administration, sha256):
                result.already_imported = True
                return result
            batch = ImportBatch.objects.create(
                administration=administration,
                kind=ImportKind.STATEMENTS,
                file_name=file_name,
                sha256=sha256,
                row_count=sum(len(s.entries) for s in statements),
                counts={},
                imported_by=actor if actor is not None and actor.pk else None,
            )
            result.batch_id = batch.pk
            _Run(administration, batch, threshold, actor, progress).run(statements, result)
            if dry_run:
                raise _Rollback
    except _Rollback:
        result.batch_id = None
    return result


def _previous_batch(administration, sha256: str):
    return ImportBatch.objects.filter(
        administration=administration, kind=ImportKind.STATEMENTS, sha256=sha256
    ).first()


def _statement_fingerprint(parsed: ParsedStatement) -> str:
    parts = [
        parsed.account_iban,
        parsed.currency,
        parsed.statement_number,
        str(parsed.opening_date),
        str(parsed.closing_date),
        str(parsed.opening_balance),
        str(parsed.closing_balance),
        str(len(parsed.entries)),
        str(sum((e.amount for e in parsed.entries), Decimal("0"))),
    ]
    if not parsed.statement_number and parsed.opening_balance is None:
        # A notification or CSV export: its movements are what identify it.
        parts += [
            f"{e.booking_date}{e.amount}{e.end_to_end_id}{e.remittance}" for e in parsed.entries
        ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _entry_key(account: str, entry: ParsedEntry) -> tuple:
    return (
        account,
        entry.booking_date.isoformat(),
        str(entry.amount),
        entry.currency,
        entry.counterparty_iban,
        entry.end_to_end_id,
        entry.structured_reference,
        entry.remittance,
    )


class _Run:
    """One import inside its transaction: the statements, then the entries, then the ledger."""

    def __init__(self, administration, batch, threshold, actor, progress):
        self.administration = administration
        self.batch = batch
        self.threshold = threshold
        self.actor = actor
        self.progress = progress
        self.now = timezone.now()
        self.payments: list[tuple] = []  # rows for ledger_payment
        self.allocations: list[
            tuple
        ] = []  # (invoice_id, payment fingerprint, cents, date, reverses)
        self.decisions: list[dict] = []
        self.learned: dict[tuple[int, str], int] = {}  # (customer, iban) -> entry id
        self.collected_items: list[int] = []
        self.returned_items: list[tuple[int, str]] = []
        self.mandates_used: set[int] = set()
        self.mandates_ended: set[int] = set()
        self.tasks: list[tuple] = []
        self.entry_ids: dict[tuple[int, int], int] = {}
        # Matched money in, by end-to-end id, that a debit of this statement may send back.
        self.earlier_credits: dict[str, EntryDecision] = {}

    # --- statements and entries ----------------------------------------------------------

    def run(self, statements: list[ParsedStatement], result: StatementImportResult) -> None:
        stored = []  # (Statement, parsed, StatementResult, is_new)
        for parsed in statements:
            statement_result = StatementResult(
                account=parsed.account_iban,
                statement_number=parsed.statement_number,
                currency=parsed.currency,
                opening_balance=parsed.opening_balance,
                closing_balance=parsed.closing_balance,
                file_format=parsed.file_format,
            )
            result.statements.append(statement_result)
            fingerprint = _statement_fingerprint(parsed)
            existing = Statement.objects.filter(
                administration=self.administration, fingerprint=fingerprint
            ).first()
            if existing is not None:
                statement_result.already_imported = True
                statement_result.follows_previous = existing.follows_previous
                statement_result.continuity_note = existing.continuity_note
                stored.append((existing, parsed, statement_result, False))
                continue
            follows, note = self._continuity(parsed)
            statement = Statement.objects.create(
                administration=self.administration,
                file_format=parsed.file_format,
                account_iban=parsed.account_iban,
                currency=parsed.currency,
                statement_number=parsed.statement_number,
                opening_date=parsed.opening_date,
                opening_balance=parsed.opening_balance,
                closing_date=parsed.closing_date,
                closing_balance=parsed.closing_balance,
                fingerprint=fingerprint,
                follows_previous=follows,
                continuity_note=note,
                import_batch=self.batch,
            )
            statement_result.follows_previous, statement_result.continuity_note = follows, note
            stored.append((statement, parsed, statement_result, True))
        new = [(s, p, r) for s, p, r, is_new in stored if is_new]
        entries = self._store_entries(new)
        self._decide(entries)
        self._write()
        self._report(stored, result)
        counts = dict(result.outcomes)
        self.batch.counts = {"created": {"statements": len(new)}, "outcomes": counts}
        self.batch.save(update_fields=["counts"])
        audit_record(
            administration=self.administration,
            actor=self.actor,
            action="import.statements",
            obj=self.batch,
            summary=result.summary(),
            changes={"sha256": self.batch.sha256, "outcomes": counts},
        )
        self._review_promises_and_plans(entries)

    def _continuity(self, parsed: ParsedStatement) -> tuple[bool | None, str]:
        """Does the statement follow on the account's previous one (its closing balance)?"""
        if parsed.opening_balance is None:
            return None, ""
        before = Statement.objects.filter(
            administration=self.administration,
            account_iban=parsed.account_iban,
            currency=parsed.currency,
            closing_balance__isnull=False,
        )
        if parsed.opening_date is not None:
            before = before.filter(closing_date__lte=parsed.opening_date)
        previous = before.order_by("closing_date", "id").last()
        if previous is None:
            return None, ""
        if previous.closing_balance == parsed.opening_balance:
            return True, ""
        label = previous.statement_number or previous.closing_date
        return False, (
            f"the opening balance {parsed.opening_balance:.2f} does not follow on the closing "
            f"balance {previous.closing_balance:.2f} of statement {label} "
            f"({previous.closing_date}): a statement may be missing"
        )

    def _store_entries(self, new) -> list[dict]:
        """Insert the entries of the new statements; returns them as dicts with their ids."""
        rows, entries = [], []
        occurrences: Counter = Counter()
        for statement, parsed, _ in new:
            for sequence, entry in enumerate(parsed.entries, start=1):
                key = _entry_key(parsed.account_iban, entry)
                occurrences[key] += 1
                fingerprint = hashlib.sha256(
                    "|".join((*key, str(occurrences[key]))).encode()
                ).hexdigest()
                entries.append(
                    {
                        "statement": statement,
                        "sequence": sequence,
                        "parsed": entry,
                        "fp": fingerprint,
                    }
                )
        known = set()
        fingerprints = [e["fp"] for e in entries]
        for start in range(0, len(fingerprints), 900):
            known.update(
                StatementEntry.objects.filter(
                    administration=self.administration,
                    is_duplicate=False,
                    fingerprint__in=fingerprints[start : start + 900],
                ).values_list("fingerprint", flat=True)
            )
        for e in entries:
            e["duplicate"] = e["fp"] in known
            p = e["parsed"]
            rows.append(
                (
                    self.administration.pk,
                    e["statement"].pk,
                    e["sequence"],
                    p.booking_date,
                    p.value_date,
                    to_minor_units(p.amount),
                    p.currency,
                    p.counterparty_name[:140],
                    p.counterparty_iban[:34],
                    p.counterparty_bic[:11],
                    p.remittance,
                    p.structured_reference[:35],
                    p.end_to_end_id[:35],
                    p.mandate_id[:35],
                    p.return_reason[:35],
                    p.bank_reference[:35],
                    p.transaction_code[:35],
                    p.is_reversal,
                    e["fp"],
                    e["duplicate"],
                    self.now,
                )
            )
        self.progress("storing", 0, len(rows))
        bulk_insert(
            "banking_statemententry",
            (
                "administration_id",
                "statement_id",
                "sequence",
                "booking_date",
                "value_date",
                "amount_cents",
                "currency",
                "counterparty_name",
                "counterparty_iban",
                "counterparty_bic",
                "remittance",
                "structured_reference",
                "end_to_end_id",
                "mandate_id",
                "return_reason",
                "bank_reference",
                "transaction_code",
                "is_reversal",
                "fingerprint",
                "is_duplicate",
                "created_at",
            ),
            rows,
            row_count=len(rows),
        )
        ids = {}
        statement_ids = [s.pk for s, _, _ in new]
        for statement_id, sequence, pk in StatementEntry.objects.filter(
            administration=self.administration, statement_id__in=statement_ids
        ).values_list("statement_id", "sequence", "pk"):
            ids[statement_id, sequence] = pk
        for e in entries:
            e["id"] = ids[e["statement"].pk, e["sequence"]]
        self.entry_ids = ids
        self.progress("storing", len(rows), len(rows))
        return entries

    # --- deciding ------------------------------------------------------------------------

    def _decide(self, entries: list[dict]) -> None:
        for e in entries:
            p: ParsedEntry = e["parsed"]
            e["facts"] = EntryFacts(
                amount=p.amount,
                currency=p.currency,
                counterparty_iban=p.counterparty_iban,
                counterparty_name=p.counterparty_name,
                remittance=p.remittance,
                structured_reference=p.structured_reference,
            )
        self.index = match_index(
            administration=self.administration,
            entries=[e["facts"] for e in entries if not e["duplicate"]],
        )
        end_to_end = {e["parsed"].end_to_end_id for e in entries if e["parsed"].end_to_end_id}
        items = self._debit_items(end_to_end)
        # What is open on the invoices of our direct debits that came in (one query).
        self.debit_open = open_amounts(
            administration=self.administration,
            as_of=ALL_TIME,
            invoice_ids={
                item.invoice_id
                for item in items.values()
                if item.status == DirectDebitStatus.SUBMITTED
            },
        )
        returned_credits = self.earlier_credits = self._earlier_credits(
            {
                e["parsed"].end_to_end_id
                for e in entries
                if e["parsed"].amount < 0 and e["parsed"].end_to_end_id
            }
        )
        total = len(entries)
        for count, e in enumerate(entries, start=1):
            if count % 10_000 == 0:
                self.progress("matching", count, total)
            p: ParsedEntry = e["parsed"]
            if e["duplicate"]:
                self._decision(e, MatchOutcome.DUPLICATE, 100, "duplicate", "imported before")
                continue
            item = items.get(p.end_to_end_id) if p.end_to_end_id else None
            if p.amount > 0 and item is not None and item.status == DirectDebitStatus.SUBMITTED:
                self._collected(e, item)
            elif p.amount < 0 and item is not None:
                self._debit_returned(e, item)
            elif p.amount < 0 and p.end_to_end_id in returned_credits and _is_return(p):
                self._credit_returned(e, returned_credits[p.end_to_end_id])
            elif p.amount < 0:
                self._money_out(e)
            else:
                self._money_in(e)
        self.progress("matching", total, total)

    def _debit_items(self, end_to_end: set[str]) -> dict[str, DirectDebitItem]:
        items, ids = {}, list(end_to_end)
        for start in range(0, len(ids), 900):
            for item in DirectDebitItem.objects.filter(
                administration=self.administration, end_to_end_id__in=ids[start : start + 900]
            ).select_related("invoice", "mandate", "invoice__customer"):
                items[item.end_to_end_id] = item
        return items

    def _earlier_credits(self, end_to_end: set[str]) -> dict[str, EntryDecision]:
        """The matched credits with these end-to-end ids (a returned transfer names its own)."""
        found, ids = {}, list(end_to_end)
        for start in range(0, len(ids), 900):
            for decision in (
                EntryDecision.objects.filter(
                    administration=self.administration,
                    outcome=MatchOutcome.MATCHED,
                    payment__isnull=False,
                    entry__amount__gt=0,
                    entry__end_to_end_id__in=ids[start : start + 900],
                )
                .select_related("entry", "customer")
                .order_by("id")
            ):
                found[decision.entry.end_to_end_id] = decision
        return found

    def _decision(self, e, outcome, confidence, reason, detail="", **extra) -> None:
        self.decisions.append(
            {
                "entry": e,
                "outcome": outcome,
                "confidence": confidence,
                "reason": reason,
                "detail": detail[:300],
                "customer_id": extra.get("customer_id"),
                "payment_fp": extra.get("payment_fp"),
                "invoices": extra.get("invoices", []),
                "suggestions": extra.get("suggestions", []),
            }
        )

    def _invoice_list(self, allocations) -> list[dict]:
        return [
            {
                "invoice_id": invoice_id,
                "number": self.index.invoices[invoice_id].number,
                "amount": f"{amount:.2f}",
            }
            for invoice_id, amount in allocations
        ]

    def _payment(self, e, customer_id: int, first_invoice: str = "") -> str:
        """Queue a ledger payment for the entry; returns its fingerprint."""
        p: ParsedEntry = e["parsed"]
        fingerprint = payment_fingerprint(e["fp"])
        self.payments.append(
            (
                self.administration.pk,
                customer_id,
                p.booking_date,
                p.currency,
                to_minor_units(p.amount),
                (p.structured_reference or p.remittance)[:140],
                first_invoice[:50],
                fingerprint,
                self.batch.pk,
                self.now,
            )
        )
        return fingerprint

    def _money_in(self, e) -> None:
        match = match_entry(self.index, e["facts"])
        suggestions = [self._proposal_json(s) for s in match.suggestions]
        if match.best is None:
            self._decision(e, MatchOutcome.UNMATCHED, 0, "none", "no customer or invoice found")
            return
        best = match.best
        if not match.is_automatic(self.threshold):
            self._decision(
                e,
                MatchOutcome.SUGGESTED,
                best.confidence,
                best.reason,
                best.detail,
                customer_id=best.customer_id,
                invoices=self._invoice_list(best.allocations),
                suggestions=suggestions,
            )
            return
        self._apply(e, best, suggestions)

    def _apply(self, e, proposal: Proposal, suggestions) -> None:
        p: ParsedEntry = e["parsed"]
        first = (
            self.index.invoices[proposal.allocations[0][0]].number if proposal.allocations else ""
        )
        payment_fp = self._payment(e, proposal.customer_id, first)
        for invoice_id, amount in proposal.allocations:
            # Dated the later of the booking and the invoice date (`_write`).
            self.allocations.append(
                (invoice_id, payment_fp, to_minor_units(amount), p.booking_date, None)
            )
        self.index.apply(proposal.allocations)
        applied = sum((amount for _, amount in proposal.allocations), Decimal("0"))
        detail = proposal.detail
        if applied < p.amount:
            detail += f"; {p.amount - applied:.2f} on the customer's account"
        self._decision(
            e,
            MatchOutcome.MATCHED,
            proposal.confidence,
            proposal.reason,
            detail,
            customer_id=proposal.customer_id,
            payment_fp=payment_fp,
            invoices=self._invoice_list(proposal.allocations),
            suggestions=suggestions,
        )
        if proposal.confidence >= LEARN_FROM and p.counterparty_iban:
            self._learn(proposal.customer_id, p.counterparty_iban, e["id"])

    def _learn(self, customer_id: int, iban: str, entry_id: int) -> None:
        if customer_id in self.index.customers_by_iban.get(iban, ()):
            return
        self.index.customers_by_iban[iban].add(customer_id)
        self.learned[customer_id, iban] = entry_id

    def _proposal_json(self, proposal: Proposal) -> dict:
        return {
            "customer_id": proposal.customer_id,
            "invoices": self._invoice_list(proposal.allocations),
            "confidence": proposal.confidence,
            "reason": proposal.reason,
            "detail": proposal.detail,
        }

    def _collected(self, e, item: DirectDebitItem) -> None:
        """A direct debit of ours came in: pay its invoice."""
        p: ParsedEntry = e["parsed"]
        invoice = item.invoice
        payment_fp = self._payment(e, invoice.customer_id, invoice.number)
        applied = min(p.amount, self.debit_open.get(invoice.pk, Decimal("0")))
        allocations = ((invoice.pk, applied),) if applied > 0 else ()
        for invoice_id, amount in allocations:
            self.allocations.append(
                (invoice_id, payment_fp, to_minor_units(amount), p.booking_date, None)
            )
            self.debit_open[invoice_id] -= amount
            if invoice_id in self.index.invoices:
                self.index.apply(allocations)
        self.collected_items.append(item.pk)
        self.mandates_used.add(item.mandate_id)
        self._decision(
            e,
            MatchOutcome.MATCHED,
            100,
            "direct_debit",
            f"direct debit {item.end_to_end_id} under mandate {item.mandate.mandate_id}",
            customer_id=invoice.customer_id,
            payment_fp=payment_fp,
            invoices=[
                {"invoice_id": invoice.pk, "number": invoice.number, "amount": f"{applied:.2f}"}
            ]
            if applied > 0
            else [],
        )

    def _debit_returned(self, e, item: DirectDebitItem) -> None:
        """A direct debit came back (rejected, returned or refunded): reverse its payment."""
        p: ParsedEntry = e["parsed"]
        reason = p.return_reason or "no reason given"
        invoices = []
        if item.status == DirectDebitStatus.COLLECTED:
            # The decision that booked the collection, read with the other returns' (one query).
            earlier = self.earlier_credits.get(item.end_to_end_id)
            if earlier is not None:
                invoices = self._reverse(e, earlier.payment_id, item.invoice.customer_id)
        self.returned_items.append((item.pk, p.return_reason))
        if p.return_reason in MANDATE_ENDING_REASONS:
            self.mandates_ended.add(item.mandate_id)
        self.tasks.append(
            (
                item.invoice.customer,
                f"Direct debit returned ({reason}): {item.invoice.number}",
                f"The direct debit {item.end_to_end_id} of {item.amount:.2f} for invoice "
                f"{item.invoice.number} came back on {p.booking_date} with reason {reason}. "
                "The invoice is open again and back in dunning.",
                p.booking_date,
                f"debit-returned-{item.pk}",
            )
        )
        self._decision(
            e,
            MatchOutcome.RETURNED,
            100,
            "direct_debit_return",
            f"direct debit {item.end_to_end_id} returned: {reason}",
            customer_id=item.invoice.customer_id,
            invoices=invoices
            or [{"invoice_id": item.invoice_id, "number": item.invoice.number, "amount": "0.00"}],
        )

    def _credit_returned(self, e, earlier: EntryDecision) -> None:
        """Money we received went back to the payer: reverse what it paid."""
        p: ParsedEntry = e["parsed"]
        invoices = self._reverse(e, earlier.payment_id, earlier.customer_id)
        self._decision(
            e,
            MatchOutcome.RETURNED,
            100,
            "credit_return",
            f"the transfer {p.end_to_end_id} of {earlier.entry.booking_date} came back: "
            f"{p.return_reason or 'no reason given'}",
            customer_id=earlier.customer_id,
            invoices=invoices,
        )

    def _reverse(self, e, payment_id: int, customer_id: int) -> list[dict]:
        """A negative payment for the money that went back, and a reversing allocation for
        each allocation of the original payment (as far as the money that went back goes)."""
        p: ParsedEntry = e["parsed"]
        payment_fp = self._payment(e, customer_id)
        e["reversal_fp"] = payment_fp
        left = -p.amount
        invoices = []
        for allocation in (
            Allocation.objects.filter(
                administration=self.administration, payment_id=payment_id, reverses__isnull=True
            )
            .exclude(reversed_by__isnull=False)
            .select_related("invoice")
            .order_by("-allocation_date", "-id")
        ):
            if left <= 0:
                break
            amount = min(left, allocation.amount)
            left -= amount
            self.allocations.append(
                (
                    allocation.invoice_id,
                    payment_fp,
                    -to_minor_units(amount),
                    p.booking_date,
                    allocation.pk,
                )
            )
            invoices.append(
                {
                    "invoice_id": allocation.invoice_id,
                    "number": allocation.invoice.number,
                    "amount": f"{-amount:.2f}",
                }
            )
        return invoices

    def _money_out(self, e) -> None:
        """Money out that is no return of ours: a refund to a customer, or not our business."""
        p: ParsedEntry = e["parsed"]
        if _is_return(p):
            # A return or reversal of a movement Debitum does not know (collected by another
            # system, or before Debitum): a person decides.
            self._decision(
                e,
                MatchOutcome.UNMATCHED,
                0,
                "unknown_return",
                f"a return ({p.return_reason or 'no reason given'}) of a payment Debitum "
                "did not book",
            )
            return
        customers = self.index.customers_by_iban.get(p.counterparty_iban, set())
        if len(customers) == 1:
            (customer_id,) = customers
            self._decision(
                e,
                MatchOutcome.SUGGESTED,
                70,
                "refund",
                "money out to a customer's account: a refund? Confirm to book it on the customer",
                customer_id=customer_id,
            )
            return
        self._decision(e, MatchOutcome.IGNORED, 100, "debit", "money out: not a customer payment")

    # --- writing ---------------------------------------------------------------------------

    def _write(self) -> None:
        self.progress("writing", 0, 1)
        # The rows are those of the payment import (`_payment` builds them in its order).
        bulk_insert(
            "ledger_payment",
            PAYMENT_COLUMNS,
            self.payments,
            row_count=len(self.payments),
        )
        payment_ids = (
            dict(
                Payment.objects.filter(
                    administration=self.administration, import_batch_id=self.batch.pk
                ).values_list("fingerprint", "pk")
            )
            if self.payments
            else {}
        )
        invoice_dates = self._invoice_dates({row[0] for row in self.allocations})
        bulk_insert(
            "ledger_allocation",
            (
                "administration_id",
                "invoice_id",
                "payment_id",
                "amount_cents",
                "allocation_date",
                "reverses_id",
                "created_at",
            ),
            (
                (
                    self.administration.pk,
                    invoice_id,
                    payment_ids[payment_fp],
                    cents,
                    max(date, invoice_dates[invoice_id]) if reverses is None else date,
                    reverses,
                    self.now,
                )
                for invoice_id, payment_fp, cents, date, reverses in self.allocations
            ),
            row_count=len(self.allocations),
        )
        bulk_insert(
            "banking_entrydecision",
            (
                "administration_id",
                "entry_id",
                "outcome",
                "confidence",
                "reason",
                "detail",
                "customer_id",
                "payment_id",
                "invoices",
                "suggestions",
                "is_automatic",
                "decided_by_id",
                "created_at",
            ),
            (
                (
                    self.administration.pk,
                    d["entry"]["id"],
                    d["outcome"],
                    d["confidence"],
                    d["reason"],
                    d["detail"],
                    d["customer_id"],
                    payment_ids.get(d["payment_fp"] or d["entry"].get("reversal_fp")),
                    json.dumps(d["invoices"]),
                    json.dumps(d["suggestions"]),
                    True,
                    None,
                    self.now,
                )
                for d in self.decisions
            ),
            row_count=len(self.decisions),
        )
        CustomerBankAccount.objects.bulk_create(
            [
                CustomerBankAccount(
                    administration=self.administration,
                    customer_id=customer_id,
                    iban=iban,
                    learned_from_id=entry_id,
                )
                for (customer_id, iban), entry_id in self.learned.items()
            ],
            ignore_conflicts=True,
        )
        self._write_direct_debits()
        self.progress("writing", 1, 1)

    def _invoice_dates(self, invoice_ids: set[int]) -> dict[int, dt.date]:
        dates, ids = {}, list(invoice_ids)
        for start in range(0, len(ids), 900):
            dates.update(
                Invoice.objects.filter(
                    administration=self.administration, pk__in=ids[start : start + 900]
                ).values_list("pk", "invoice_date")
            )
        return dates

    def _write_direct_debits(self) -> None:
        from debitum.tasks.models import TaskKind
        from debitum.tasks.services import task_ensure

        if self.collected_items:
            DirectDebitItem.objects.filter(
                administration=self.administration, pk__in=self.collected_items
            ).update(status=DirectDebitStatus.COLLECTED)
            # The first collection went through: the next one is recurring.
            Mandate.objects.filter(
                administration=self.administration,
                pk__in=self.mandates_used,
                sequence_type=SequenceType.FIRST,
            ).update(sequence_type=SequenceType.RECURRING)
        for item_id, reason in self.returned_items:
            DirectDebitItem.objects.filter(administration=self.administration, pk=item_id).update(
                status=DirectDebitStatus.RETURNED, return_reason=reason
            )
        if self.mandates_ended:
            Mandate.objects.filter(
                administration=self.administration, pk__in=self.mandates_ended
            ).update(is_active=False)
        for customer, title, detail, due_date, key in self.tasks:
            task_ensure(
                administration=self.administration,
                customer=customer,
                kind=TaskKind.FOLLOW_UP,
                title=title[:200],
                detail=detail,
                due_date=due_date,
                key=key,
            )

    def _review_promises_and_plans(self, entries) -> None:
        """Payments keep promises and pay plan instalments: review them at the latest date
        the statements reached."""
        from debitum.plans.services import plans_review
        from debitum.promises.services import promises_review

        if not self.payments:
            return
        as_of = max(e["parsed"].booking_date for e in entries)
        promises_review(administration=self.administration, as_of=as_of, actor=self.actor)
        plans_review(administration=self.administration, as_of=as_of, actor=self.actor)

    # --- the report ------------------------------------------------------------------------

    def _report(self, stored, result: StatementImportResult) -> None:
        decided = {d["entry"]["id"]: d for d in self.decisions}
        customer_ids = {d["customer_id"] for d in self.decisions if d["customer_id"]}
        numbers = customer_numbers(self.administration, customer_ids)
        old = [s for s, _, _, is_new in stored if not is_new]
        old_rows = statement_entries_report(administration=self.administration, statements=old)
        for statement, parsed, statement_result, is_new in stored:
            if not is_new:
                statement_result.entries = old_rows.get(statement.pk, [])
                continue
            for sequence, entry in enumerate(parsed.entries, start=1):
                d = decided.get(self.entry_ids.get((statement.pk, sequence)))
                statement_result.entries.append(entry_result(sequence, entry, d, numbers))


def _is_return(p: ParsedEntry) -> bool:
    return p.is_reversal or bool(p.return_reason)
