"""Reads for the statement import and the reconciliation queue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.db.models import Exists, OuterRef

from debitum.customers.models import Customer
from debitum.domain.matching import (
    EntryFacts,
    MatchIndex,
    OpenInvoice,
    name_key,
    number_key,
    one_edit_variants,
    reference_key,
    reference_typo_variants,
    references_in,
    tokens_in,
)
from debitum.domain.money import from_minor_units
from debitum.ledger.selectors import OPEN_CENTS_COLUMN

from .choices import OPEN_OUTCOMES
from .models import CustomerBankAccount, EntryDecision

# Whatever is dated: an invoice cannot be paid twice, whenever the second payment is dated
# (as in the payment import).
ALL_TIME = dt.date(9999, 12, 31)
AS_OF_3 = (ALL_TIME, ALL_TIME, ALL_TIME)  # the as_of of OPEN_CENTS_COLUMN's three sums


def match_index(*, administration, entries: list[EntryFacts]) -> MatchIndex:
    """What the matcher needs to know for these entries, looked up, not read whole: the open
    invoices whose reference or number an entry names (or one typo away from it), the IBANs
    and names of the customers, and all open invoices of the customers an entry may be paying
    without naming the invoice (known by IBAN or name, or named with another amount). A
    statement of fifty entries reads a few hundred rows, whatever the size of the ledger."""
    credits = [facts for facts in entries if facts.amount > 0]
    ibans = _customer_ibans(administration)
    by_iban: dict[str, set[int]] = {}
    for customer_id, iban in ibans:
        by_iban.setdefault(iban, set()).add(customer_id)

    # 1. Invoices named by reference or number.
    references, numbers = {}, {}
    for facts in credits:
        keys = [reference_key(facts.structured_reference)] if facts.structured_reference else []
        references[facts] = keys + references_in(facts.remittance)
        numbers[facts] = tokens_in(facts.remittance) if facts.remittance else []
    rows = _invoices_where(
        administration, "reference_key", {k for keys in references.values() for k in keys}
    )
    rows.update(
        _invoices_where(
            administration,
            "number_key",
            {k.replace("0", "") for keys in numbers.values() for k in keys},
        )
    )
    still_open = _open(rows)
    found_references = {row[6] for row in rows.values()}
    # Lookup key -> the open amounts of the invoices found by it.
    amounts_by_number: dict[str, set] = {}
    for pk, row in rows.items():
        amounts_by_number.setdefault(row[8], set()).add(still_open.get(pk))
    # 2. One typo away, from an account nobody knows: references that name nothing that
    # exists, numbers that name no invoice with this amount open.
    typo_references, typo_numbers = set(), set()
    for facts in credits:
        if facts.counterparty_iban in by_iban:
            continue  # the customer's own invoices are loaded below
        keys = references[facts]
        if any(key in found_references for key in keys):
            continue
        for key in keys:
            typo_references.update(reference_typo_variants(key))
        # (Digits in a text may be a reference and an invoice number at once: both are tried.)
        if not any(
            facts.amount in amounts_by_number.get(k.replace("0", ""), ()) for k in numbers[facts]
        ):
            for word in facts.remittance.split():
                token = number_key(word)
                if len(token) >= 5 and any(ch.isdigit() for ch in token):
                    typo_numbers.update(
                        v.replace("0", "") for v in one_edit_variants(token, "123456789", None)
                    )
    typos = _invoices_where(administration, "reference_key", typo_references)
    typos.update(_invoices_where(administration, "number_key", typo_numbers))
    typos = {pk: row for pk, row in typos.items() if pk not in rows}
    still_open.update(_open(typos))
    rows.update(typos)

    # 3. Customers whose every open invoice counts: paying from a known account, or naming an
    # invoice with another amount than is open on it (a reminder's reference for several).
    by_reference: dict[str, list[int]] = {}
    for pk, row in rows.items():
        by_reference.setdefault(row[6], []).append(pk)
    complete: set[int] = set()
    for facts in credits:
        customers = set(by_iban.get(facts.counterparty_iban, ()))
        exact = False
        for key in references[facts]:
            for pk in by_reference.get(key, ()):
                exact |= still_open.get(pk) == facts.amount
                customers.add(rows[pk][2])
        exact = exact or any(
            facts.amount in amounts_by_number.get(k.replace("0", ""), ()) for k in numbers[facts]
        )
        if not exact:
            complete |= customers
    # 4. Names, for what names nothing and comes from an account nobody knows.
    nameless = {
        name_key(f.counterparty_name)
        for f in credits
        if f.counterparty_name
        and not references[f]
        and not numbers[f]
        and f.counterparty_iban not in by_iban
    }
    names = []
    if nameless:
        names = list(
            Customer.objects.filter(administration=administration).values_list("pk", "name")
        )
        complete |= {pk for pk, name in names if name_key(name) in nameless}
    if complete:
        rows.update(_invoices_of_customers(administration, complete))
        still_open.update(_open(rows))
    invoices = [
        OpenInvoice(
            id=pk,
            number=number,
            customer_id=customer_id,
            currency=currency,
            open=still_open[pk],
            due_date=_date(due),
            reference=reference or "",
            number_lookup=lookup,
            reference_lookup=ref_key,
        )
        for pk, number, customer_id, currency, due, reference, ref_key, kind, lookup, _ in rows.values()
        if kind == "invoice" and still_open.get(pk, 0) > 0
    ]
    return MatchIndex.build(invoices, ibans, names, complete=complete)


def _date(value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


# The columns the matcher reads, and what is open on the invoice (the rule of
# ledger.selectors, as a column: each settlement summed through its index, in the same pass).
INVOICE_ROW = (
    "id, number, customer_id, currency, due_date, reference, reference_key, kind, number_key, "
    + OPEN_CENTS_COLUMN
)


def _open(rows: dict[int, tuple]) -> dict[int, Decimal]:
    return {pk: from_minor_units(int(row[9])) for pk, row in rows.items()}


def _invoices_where(administration, column: str, values) -> dict[int, tuple]:
    """Invoices of the administration whose `column` is one of `values`, by id (through the
    (administration, column) index: one query on PostgreSQL, chunks on SQLite)."""
    values = [value for value in values if value]
    found: dict[int, tuple] = {}
    if not values:
        return found
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT {INVOICE_ROW} FROM ledger_invoice"
                f" WHERE administration_id = %s AND {column} = ANY(%s)",
                [*AS_OF_3, administration.pk, values],
            )
            rows = cursor.fetchall()
        else:
            rows = []
            for start in range(0, len(values), 900):
                chunk = values[start : start + 900]
                cursor.execute(
                    f"SELECT {INVOICE_ROW} FROM ledger_invoice WHERE administration_id = %s"
                    f" AND {column} IN ({', '.join(['%s'] * len(chunk))})",
                    [*AS_OF_3, administration.pk, *chunk],
                )
                rows.extend(cursor.fetchall())
    for row in rows:
        found[row[0]] = row
    return found


def _invoices_of_customers(administration, customer_ids) -> dict[int, tuple]:
    """Every invoice of these customers, by id, through the customer foreign key's index.

    `+administration_id`: without statistics SQLite reads "administration = X" through an
    administration index and filters the customers after, which at a million invoices reads
    them all for every chunk; the unary plus keeps the condition and takes that index out of
    its choice (PostgreSQL plans the same either way)."""
    found: dict[int, tuple] = {}
    ids = list(customer_ids)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            cursor.execute(
                f"SELECT {INVOICE_ROW} FROM ledger_invoice WHERE +administration_id = %s"
                f" AND kind = 'invoice' AND customer_id IN ({', '.join(['%s'] * len(chunk))})",
                [*AS_OF_3, administration.pk, *chunk],
            )
            for row in cursor.fetchall():
                found[row[0]] = row
    return found


def _customer_ibans(administration) -> list[tuple[int, str]]:
    """(customer id, IBAN) from the customer file and those learned from matches."""
    ibans = [
        (pk, iban.replace(" ", "").upper())
        for pk, iban in Customer.objects.filter(administration=administration)
        .exclude(iban="")
        .values_list("pk", "iban")
    ]
    ibans += list(
        CustomerBankAccount.objects.filter(administration=administration).values_list(
            "customer_id", "iban"
        )
    )
    return ibans


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
