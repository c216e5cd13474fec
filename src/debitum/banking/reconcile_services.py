"""A person's decisions on the entries the matcher was not sure of: confirm a suggestion,
split an entry over invoices, or set it aside. Each is a new decision row and an audit event,
in one transaction under a lock on the entry, so that two people cannot apply it twice."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from debitum.audit.services import audit_record
from debitum.customers.models import Customer
from debitum.ledger.models import Allocation, Invoice, Payment
from debitum.ledger.selectors import open_amounts

from .choices import OPEN_OUTCOMES, MatchOutcome
from .models import CustomerBankAccount, EntryDecision, StatementEntry
from .selectors import ALL_TIME, entry_current_decision
from .services import payment_fingerprint


def _locked_open(entry: StatementEntry) -> tuple[StatementEntry, EntryDecision | None]:
    entry = StatementEntry.objects.select_for_update().get(
        pk=entry.pk, administration_id=entry.administration_id
    )
    decision = entry_current_decision(entry=entry)
    if decision is not None and decision.outcome not in OPEN_OUTCOMES:
        raise ValidationError(
            f"entry {entry.pk} is {decision.get_outcome_display().lower()} already; "
            "nothing was changed"
        )
    return entry, decision


def _proposal(decision: EntryDecision | None, use_suggestion: int) -> tuple[int | None, list]:
    if decision is None:
        return None, []
    if use_suggestion == 0:
        return decision.customer_id, decision.invoices
    if not 0 < use_suggestion <= len(decision.suggestions):
        raise ValidationError(f"there is no suggestion {use_suggestion} for this entry")
    chosen = decision.suggestions[use_suggestion - 1]
    return chosen["customer_id"], chosen["invoices"]


def entry_confirm(
    *,
    entry: StatementEntry,
    customer_number: str | None = None,
    allocations: list[tuple[str, Decimal | None]] | None = None,
    use_suggestion: int = 0,
    actor=None,
) -> EntryDecision:
    """Apply an entry that waits in the queue: to the invoices named in `allocations`
    ((number, amount), amount None: what is open, as far as the entry goes), or else to the
    proposal of the entry's decision (`use_suggestion` 0) or one of its other suggestions (1,
    2, ...). Money in becomes a payment of the customer (what no invoice takes stays on the
    account); money out a refund to the customer. The counterparty's IBAN is learned."""
    administration = entry.statement.administration
    with transaction.atomic():
        entry, decision = _locked_open(entry)
        customer_id, proposed = _proposal(decision, use_suggestion)
        if customer_number:
            customer = Customer.objects.filter(
                administration=administration, number=customer_number
            ).first()
            if customer is None:
                raise ValidationError(f"there is no customer {customer_number}")
            if customer.pk != customer_id:
                proposed = []
        elif customer_id is not None:
            customer = Customer.objects.get(administration=administration, pk=customer_id)
        else:
            raise ValidationError("name the customer who paid (no suggestion names one)")
        if allocations:
            wanted = _named(administration, customer, allocations)
        else:
            wanted = _named(
                administration,
                customer,
                [(i["number"], Decimal(i["amount"])) for i in proposed],
            )
        if entry.amount < 0 and wanted:
            raise ValidationError("money out (a refund) is booked on the account, not on invoices")
        wanted = _checked(entry, customer, wanted)
        payment = Payment.objects.create(
            administration=administration,
            customer=customer,
            payment_date=entry.booking_date,
            currency=entry.currency,
            amount=entry.amount,
            reference=(entry.structured_reference or entry.remittance)[:140],
            invoice_number=wanted[0][0].number if wanted else "",
            fingerprint=payment_fingerprint(entry.fingerprint),
        )
        for invoice, amount in wanted:
            Allocation.objects.create(
                administration=administration,
                invoice=invoice,
                payment=payment,
                amount=amount,
                allocation_date=max(entry.booking_date, invoice.invoice_date),
                created_by=actor if actor is not None and actor.pk else None,
            )
        invoices = [
            {"invoice_id": invoice.pk, "number": invoice.number, "amount": f"{amount:.2f}"}
            for invoice, amount in wanted
        ]
        confirmed = EntryDecision.objects.create(
            administration=administration,
            entry=entry,
            outcome=MatchOutcome.MATCHED,
            confidence=100,
            reason="manual",
            detail="confirmed by hand" + (" (refund)" if entry.amount < 0 else ""),
            customer=customer,
            payment=payment,
            invoices=invoices,
            is_automatic=False,
            decided_by=actor if actor is not None and actor.pk else None,
        )
        if entry.counterparty_iban:
            CustomerBankAccount.objects.get_or_create(
                administration=administration,
                iban=entry.counterparty_iban,
                customer=customer,
                defaults={"learned_from": entry},
            )
        applied = ", ".join(f"{i['number']} {i['amount']}" for i in invoices) or "on account"
        audit_record(
            administration=administration,
            actor=actor,
            action="statement_entry.confirm",
            obj=entry,
            summary=f"bank entry of {entry.booking_date} {entry.currency} {entry.amount:.2f} "
            f"({entry.counterparty_name or 'unknown payer'}) matched to {customer.number}: {applied}",
            changes={
                "outcome": [decision.outcome if decision else "", MatchOutcome.MATCHED],
                "customer": customer.number,
                "invoices": invoices,
            },
        )
    _review(administration, entry, actor)
    return confirmed


def _named(administration, customer, allocations) -> list[tuple[Invoice, Decimal | None]]:
    numbers = [number for number, _ in allocations]
    invoices = {
        invoice.number: invoice
        for invoice in Invoice.objects.filter(administration=administration, number__in=numbers)
    }
    out = []
    for number, amount in allocations:
        invoice = invoices.get(number)
        if invoice is None:
            raise ValidationError(f"there is no invoice {number}")
        if invoice.customer_id != customer.pk:
            raise ValidationError(f"invoice {number} is not of customer {customer.number}")
        out.append((invoice, amount))
    return out


def _checked(entry, customer, wanted) -> list[tuple[Invoice, Decimal]]:
    """The amounts to apply: each within what is open, together within the entry."""
    still_open = open_amounts(
        administration=entry.statement.administration,
        as_of=ALL_TIME,
        invoice_ids=[invoice.pk for invoice, _ in wanted],
    )
    left, out = entry.amount, []
    for invoice, amount in wanted:
        if invoice.currency != entry.currency:
            raise ValidationError(f"invoice {invoice.number} is in {invoice.currency}")
        open_now = still_open.get(invoice.pk, Decimal("0"))
        amount = min(open_now, left) if amount is None else amount
        if amount <= 0:
            raise ValidationError(f"nothing is left to apply to invoice {invoice.number}")
        if amount > open_now:
            raise ValidationError(f"only {open_now:.2f} of invoice {invoice.number} is open")
        if amount > left:
            raise ValidationError(
                f"the entry is {entry.amount:.2f}: {amount:.2f} on {invoice.number} is more "
                "than is left of it"
            )
        left -= amount
        still_open[invoice.pk] = open_now - amount
        out.append((invoice, amount))
    return out


def entry_ignore(*, entry: StatementEntry, note: str = "", actor=None) -> EntryDecision:
    """Set an entry aside: not a customer payment (a transfer between own accounts, a grant,
    a supplier's refund). Nothing changes in the ledger."""
    administration = entry.statement.administration
    with transaction.atomic():
        entry, decision = _locked_open(entry)
        ignored = EntryDecision.objects.create(
            administration=administration,
            entry=entry,
            outcome=MatchOutcome.IGNORED,
            confidence=100,
            reason="manual",
            detail=(note or "not a customer payment")[:300],
            is_automatic=False,
            decided_by=actor if actor is not None and actor.pk else None,
        )
        audit_record(
            administration=administration,
            actor=actor,
            action="statement_entry.ignore",
            obj=entry,
            summary=f"bank entry of {entry.booking_date} {entry.currency} {entry.amount:.2f} "
            f"({entry.counterparty_name or 'unknown'}) set aside: {ignored.detail}",
            changes={"outcome": [decision.outcome if decision else "", MatchOutcome.IGNORED]},
        )
    return ignored


def _review(administration, entry, actor) -> None:
    from debitum.plans.services import plans_review
    from debitum.promises.services import promises_review

    promises_review(administration=administration, as_of=entry.booking_date, actor=actor)
    plans_review(administration=administration, as_of=entry.booking_date, actor=actor)
