"""Reads for the statement import and the reconciliation queue."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Exists, OuterRef

from debitum.customers.models import Customer
from debitum.domain.matching import MatchIndex, OpenInvoice
from debitum.domain.money import from_minor_units
from debitum.ledger.selectors import OPEN_ITEMS_SQL, materialized

from .choices import OPEN_OUTCOMES
from .models import CustomerBankAccount, EntryDecision

# Whatever is dated: an invoice cannot be paid twice, whenever the second payment is dated
# (as in the payment import).
ALL_TIME = dt.date(9999, 12, 31)


def match_index(*, administration) -> MatchIndex:
    """Every open invoice of the administration with its number and reference, the IBANs its
    customers pay from (the customer file's and those learned from matches) and their names:
    three queries over the administration, whatever the size of the statement."""
    sql = f"""
        WITH open_items AS {materialized()} ({OPEN_ITEMS_SQL})
        SELECT i.id, i.number, i.customer_id, i.currency, o.open_cents, i.due_date, i.reference
          FROM open_items o JOIN ledger_invoice i ON i.id = o.id
         WHERE o.open_cents > 0 AND i.kind = 'invoice' AND i.administration_id = %(administration)s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"administration": administration.pk, "as_of": ALL_TIME})
        rows = cursor.fetchall()
    invoices = [
        OpenInvoice(
            id=pk,
            number=number,
            customer_id=customer_id,
            currency=currency,
            open=from_minor_units(int(cents)),
            due_date=_date(due),
            reference=reference or "",
        )
        for pk, number, customer_id, currency, cents, due, reference in rows
    ]
    ibans = list(
        Customer.objects.filter(administration=administration)
        .exclude(iban="")
        .values_list("pk", "iban")
    )
    ibans += list(
        CustomerBankAccount.objects.filter(administration=administration).values_list(
            "customer_id", "iban"
        )
    )
    names = list(Customer.objects.filter(administration=administration).values_list("pk", "name"))
    return MatchIndex.build(invoices, ibans, names)


def _date(value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def latest_decisions(*, administration, entry_ids) -> dict[int, EntryDecision]:
    """The decision that counts (the latest) for each of the entries."""
    latest = {}
    ids = list(entry_ids)
    for start in range(0, len(ids), 900):
        for decision in (
            EntryDecision.objects.filter(
                administration=administration, entry_id__in=ids[start : start + 900]
            )
            .select_related("customer")
            .order_by("entry_id", "id")
        ):
            latest[decision.entry_id] = decision
    return latest


def _current(administration):
    """Decisions that are the latest of their entry."""
    later = EntryDecision.objects.filter(
        administration=administration, entry=OuterRef("entry"), id__gt=OuterRef("id")
    )
    return EntryDecision.objects.filter(administration=administration).exclude(Exists(later))


def reconciliation_queue(*, administration, after_entry_id: int | None = None, limit: int = 50):
    """The entries a person must look at (their latest decision: suggested or unmatched), in
    the order they came in, as decisions with their entry; keyset pages on the entry id."""
    decisions = (
        _current(administration)
        .filter(outcome__in=OPEN_OUTCOMES)
        .select_related("entry", "entry__statement", "customer")
        .order_by("entry_id")
    )
    if after_entry_id is not None:
        decisions = decisions.filter(entry_id__gt=after_entry_id)
    return list(decisions[:limit])


def queue_count(*, administration) -> int:
    """How many entries wait for a person."""
    return _current(administration).filter(outcome__in=OPEN_OUTCOMES).count()


def entry_get(*, administration, entry_id: int):
    """One entry of the administration (Http404 / CommandError-friendly DoesNotExist)."""
    from .models import StatementEntry

    return StatementEntry.objects.select_related("statement").get(
        administration=administration, pk=entry_id
    )


def entry_current_decision(*, entry) -> EntryDecision | None:
    return (
        EntryDecision.objects.filter(administration_id=entry.administration_id, entry=entry)
        .select_related("customer")
        .order_by("-id")
        .first()
    )
