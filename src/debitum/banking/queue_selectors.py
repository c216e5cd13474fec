"""Reads for the reconciliation page and the statements page: the queue's lines with what they
propose (customers and what is still open on each invoice), a customer's open invoices for the
split form, and the statements imported before. A page costs a handful of queries whatever
its number of lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from debitum.customers.models import Customer
from debitum.domain.money import from_minor_units
from debitum.ledger.models import Invoice
from debitum.ledger.selectors import OPEN_AMOUNTS_OF_SQL, open_amounts

from .choices import OPEN_OUTCOMES
from .models import EntryDecision, Statement
from .selectors import ALL_TIME

CUSTOMER_INVOICES_SHOWN = 30


@dataclass(frozen=True, slots=True)
class ProposedInvoice:
    invoice_id: int
    number: str
    amount: Decimal  # what the proposal applies to it
    open_amount: Decimal  # what is open on it now (0 when settled since)


@dataclass(slots=True)
class Proposal:
    """The decision's own proposal (`index` 0) or one of its other suggestions (1, 2, ...)."""

    index: int
    customer: Customer | None
    invoices: list[ProposedInvoice]
    confidence: int
    reason: str
    detail: str

    @property
    def total(self) -> Decimal:
        return sum((invoice.amount for invoice in self.invoices), Decimal("0"))


@dataclass(slots=True)
class QueueLine:
    decision: EntryDecision
    proposal: Proposal | None
    suggestions: list[Proposal] = field(default_factory=list)

    @property
    def entry(self):
        return self.decision.entry

    @property
    def is_open(self) -> bool:
        return self.decision.outcome in OPEN_OUTCOMES

    @property
    def is_refund(self) -> bool:
        return self.decision.entry.amount < 0

    @property
    def proposals(self) -> list[Proposal]:
        """The proposal first, then the other suggestions: each can be confirmed in one click."""
        return ([self.proposal] if self.proposal else []) + self.suggestions

    @property
    def applied(self) -> Decimal:
        return sum((Decimal(i["amount"]) for i in self.decision.invoices or ()), Decimal("0"))

    @property
    def on_account(self) -> Decimal:
        """What a confirmed entry left on the customer's account (money in beyond the
        invoices, or the whole of a refund)."""
        return self.decision.entry.amount - self.applied


@dataclass(frozen=True, slots=True)
class OpenInvoiceRow:
    invoice_id: int
    number: str
    invoice_date: object
    due_date: object
    open_amount: Decimal


def queue_lines(*, administration, decisions: list[EntryDecision]) -> list[QueueLine]:
    """The lines of a page of the queue (or a line just decided): each decision with its
    proposal and suggestions, their customers, and what is open on their invoices now. Two
    queries for the page: the customers of the suggestions, the open amounts."""
    customer_ids, invoice_ids = set(), set()
    for decision in decisions:
        invoice_ids.update(i["invoice_id"] for i in decision.invoices or ())
        for suggestion in decision.suggestions or ():
            customer_ids.add(suggestion["customer_id"])
            invoice_ids.update(i["invoice_id"] for i in suggestion.get("invoices", ()))
    customers = {
        customer.pk: customer
        for customer in Customer.objects.filter(administration=administration, pk__in=customer_ids)
    }
    still_open = (
        open_amounts(administration=administration, as_of=ALL_TIME, invoice_ids=invoice_ids)
        if invoice_ids
        else {}
    )

    def invoices_of(rows) -> list[ProposedInvoice]:
        return [
            ProposedInvoice(
                invoice_id=row["invoice_id"],
                number=row["number"],
                amount=Decimal(row["amount"]),
                open_amount=still_open.get(row["invoice_id"], Decimal("0")),
            )
            for row in rows or ()
        ]

    lines = []
    for decision in decisions:
        proposal = None
        if decision.customer_id is not None:
            proposal = Proposal(
                index=0,
                customer=decision.customer,
                invoices=invoices_of(decision.invoices),
                confidence=decision.confidence,
                reason=decision.reason,
                detail=decision.detail,
            )
        suggestions = [
            Proposal(
                index=index,
                customer=customers.get(suggestion["customer_id"]),
                invoices=invoices_of(suggestion.get("invoices")),
                confidence=suggestion.get("confidence", 0),
                reason=suggestion.get("reason", ""),
                detail=suggestion.get("detail", ""),
            )
            for index, suggestion in enumerate(decision.suggestions or (), start=1)
        ]
        lines.append(
            QueueLine(
                decision=decision,
                proposal=proposal,
                suggestions=[s for s in suggestions if s.customer is not None],
            )
        )
    return lines


def customer_open_invoices(
    *, administration, customer, currency: str, limit: int = CUSTOMER_INVOICES_SHOWN
) -> list[OpenInvoiceRow]:
    """The customer's invoices with something open in `currency`, oldest due first: one query
    through the customer's invoices (the ledger's open-amount rule, at any date)."""
    sql = OPEN_AMOUNTS_OF_SQL.format(
        ids="i.customer_id = %(customer)s AND i.kind = 'invoice' AND i.currency = %(currency)s"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "administration": administration.pk,
                "as_of": ALL_TIME,
                "customer": customer.pk,
                "currency": currency,
            },
        )
        cents = {pk: int(open_cents) for pk, open_cents in cursor.fetchall() if open_cents > 0}
    invoices = Invoice.objects.filter(administration=administration, pk__in=list(cents)).order_by(
        "due_date", "number"
    )[:limit]
    return [
        OpenInvoiceRow(
            invoice_id=invoice.pk,
            number=invoice.number,
            invoice_date=invoice.invoice_date,
            due_date=invoice.due_date,
            open_amount=from_minor_units(cents[invoice.pk]),
        )
        for invoice in invoices
    ]


def invoices_open_by_number(*, administration, numbers) -> dict[str, tuple[Invoice, Decimal]]:
    """The invoices of the administration with these numbers, with what is open on each."""
    numbers = [number for number in numbers if number]
    if not numbers:
        return {}
    invoices = list(Invoice.objects.filter(administration=administration, number__in=numbers))
    still_open = open_amounts(
        administration=administration,
        as_of=ALL_TIME,
        invoice_ids=[invoice.pk for invoice in invoices],
    )
    return {
        invoice.number: (invoice, still_open.get(invoice.pk, Decimal("0"))) for invoice in invoices
    }


def statement_history(*, administration, before_id: int | None = None, limit: int = 30):
    """The statements imported before, newest first, with the file each came in (keyset pages
    on the id)."""
    statements = Statement.objects.filter(administration=administration).select_related(
        "import_batch", "import_batch__imported_by"
    )
    if before_id is not None:
        statements = statements.filter(pk__lt=before_id)
    return list(statements.order_by("-pk")[:limit])
