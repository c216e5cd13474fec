"""SEPA direct debit: collect the open invoices of customers with a mandate in a pain.008 file.

`direct_debit_collect` takes, in a few queries over the whole administration, every open EUR
invoice of a customer with an active mandate that is due by the collection date, and leaves out
what must not be collected: invoices already in a file (submitted) or returned by the bank
(a person decides about those), disputed ones and those under an active payment plan. It writes
one pain.008 file per scheme (banks take CORE and B2B collections in separate files), with one
payment information block per sequence type, validated against the ISO 20022 schema, and
records the batch and one item per invoice in the same transaction. A mandate used for its
first collection moves from FRST to RCUR; a one-off (OOFF) or final (FNAL) mandate ends. A
mandate unused for 36 months has lapsed (domain.sepa.mandate_lapse_date): its invoices are
left out and the result names it.

The statement import recognises the collections by their end-to-end id when the money comes in
or is returned. Until then the items are "submitted" and dunning leaves their invoices alone.
Running it again on the same day finds nothing new to collect.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef

from debitum.administrations.models import Administration
from debitum.audit.services import audit_record
from debitum.domain.money import from_minor_units, to_minor_units
from debitum.domain.sepa import (
    SepaError,
    collection_date_check,
    earliest_collection_date,
    end_to_end_id,
    mandate_lapse_date,
    sepa_text,
)
from debitum.ledger.choices import InvoiceKind
from debitum.ledger.selectors import invoice_list

from .choices import DirectDebitScheme, DirectDebitStatus, SequenceType
from .models import DirectDebitBatch, DirectDebitItem, Mandate

SCHEMAS = ("pain.008.001.02", "pain.008.001.08")
CURRENCY = "EUR"  # SEPA direct debits are in euro only
ZERO = Decimal("0.00")
# The order of the payment information blocks in a file.
SEQUENCE_ORDER = (
    SequenceType.FIRST,
    SequenceType.RECURRING,
    SequenceType.ONE_OFF,
    SequenceType.FINAL,
)
# Sequence types that allow one collection only: the mandate ends after it.
SINGLE_USE = (SequenceType.ONE_OFF, SequenceType.FINAL)
REMITTANCE_LABEL = {"nl": "Factuur", "fr": "Facture", "en": "Invoice"}


@dataclass(frozen=True)
class CollectedItem:
    customer_number: str
    invoice_number: str
    mandate_id: str
    sequence_type: str
    amount: Decimal
    end_to_end_id: str

    def as_dict(self) -> dict:
        return {
            "customer_number": self.customer_number,
            "invoice_number": self.invoice_number,
            "mandate_id": self.mandate_id,
            "sequence_type": self.sequence_type,
            "amount": f"{self.amount:.2f}",
            "end_to_end_id": self.end_to_end_id,
        }


@dataclass(frozen=True)
class CollectedFile:
    batch_id: int
    scheme: str
    message_id: str
    file: str
    items: tuple[CollectedItem, ...]
    total: Decimal


@dataclass
class CollectionResult:
    as_of: dt.date
    administration: str
    collection_date: dt.date
    schema: str
    files: list[CollectedFile] = field(default_factory=list)
    # Mandates with something due that were left out: unused for 36 months, they have lapsed.
    lapsed_mandates: list[str] = field(default_factory=list)

    @property
    def items(self) -> list[CollectedItem]:
        return [item for collected in self.files for item in collected.items]

    @property
    def total(self) -> Decimal:
        return sum((collected.total for collected in self.files), ZERO)

    def as_dict(self) -> dict:
        # "file" and "message_id" name the one file of a run; a run that wrote a CORE and a
        # B2B file lists both under "files" and leaves these two empty.
        single = self.files[0] if len(self.files) == 1 else None
        return {
            "as_of": self.as_of.isoformat(),
            "administration": self.administration,
            "collection_date": self.collection_date.isoformat(),
            "schema": self.schema,
            "file": single.file if single else None,
            "message_id": single.message_id if single else None,
            "items": [item.as_dict() for item in self.items],
            "total": f"{self.total:.2f}",
            "files": [
                {
                    "scheme": collected.scheme,
                    "file": collected.file,
                    "message_id": collected.message_id,
                    "item_count": len(collected.items),
                    "total": f"{collected.total:.2f}",
                }
                for collected in self.files
            ],
            "lapsed_mandates": self.lapsed_mandates,
        }


def _missing_creditor_details(administration, schema: str) -> list[str]:
    missing = []
    if not administration.sepa_creditor_id:
        missing.append("SEPA creditor identifier (--sepa-creditor-id)")
    if not administration.iban:
        missing.append("IBAN (--iban)")
    # pain.008.001.02 names the creditor's bank by its BIC; the 2019 version may leave it out.
    if not administration.bic and schema == "pain.008.001.02":
        missing.append("BIC (--bic)")
    return missing


def _collectable(*, administration, as_of: dt.date, collection_date: dt.date):
    """(invoice, open amount, mandate) for every invoice to collect, in file order, and the
    ids of the lapsed mandates that had something due.

    Two queries: the active mandates with their last collection, and the open invoices of
    their customers with the exclusions as subqueries (the invoice list's open amount is one
    column of that query).
    """
    from debitum.disputes.models import Dispute
    from debitum.plans.models import PlanInvoice

    mandates: dict[int, Mandate] = {}
    # The latest signed active mandate of a customer counts (mandate_add keeps it to one).
    for mandate in (
        Mandate.objects.filter(
            administration=administration, is_active=True, signature_date__lte=as_of
        )
        # Any earlier collection counts, also one returned or refunded.
        .annotate(last_collection_date=Max("items__batch__collection_date"))
        .order_by("customer_id", "signature_date", "id")
    ):
        mandates[mandate.customer_id] = mandate
    if not mandates:
        return [], []
    has_mandate = Mandate.objects.filter(
        administration=administration,
        customer_id=OuterRef("customer_id"),
        is_active=True,
        signature_date__lte=as_of,
    )
    # Submitted: the money is on its way. Returned: the bank or the debtor refused it, and
    # collecting again (after "no mandate" or a refund claim) is a person's decision.
    in_debit = DirectDebitItem.objects.filter(
        administration=administration,
        invoice_id=OuterRef("pk"),
        status__in=[DirectDebitStatus.SUBMITTED, DirectDebitStatus.RETURNED],
    )
    disputed = Dispute.objects.filter(
        administration=administration,
        invoice_id=OuterRef("pk"),
        status="open",
        opened_date__lte=as_of,
    )
    planned = PlanInvoice.objects.filter(
        administration=administration,
        invoice_id=OuterRef("pk"),
        plan__status="active",
        plan__start_date__lte=as_of,
    )
    invoices = (
        invoice_list(administration=administration, as_of=as_of, kind=InvoiceKind.INVOICE)
        .filter(
            Exists(has_mandate),
            currency=CURRENCY,
            invoice_date__lte=as_of,
            due_date__lte=collection_date,
            open_cents__gt=0,
        )
        .exclude(Exists(in_debit))
        .exclude(Exists(disputed))
        .exclude(Exists(planned))
        .order_by("customer__number", "due_date", "number", "id")
    )
    chosen, lapsed = [], []
    single_use_taken: set[int] = set()
    for invoice in invoices:
        mandate = mandates[invoice.customer_id]
        last_used = mandate.last_collection_date or mandate.signature_date
        if collection_date > mandate_lapse_date(last_used):
            if mandate.mandate_id not in lapsed:
                lapsed.append(mandate.mandate_id)
            continue
        if mandate.sequence_type in SINGLE_USE:
            # A one-off mandate allows one collection: the invoice due first.
            if mandate.pk in single_use_taken:
                continue
            single_use_taken.add(mandate.pk)
        chosen.append((invoice, from_minor_units(int(invoice.open_cents)), mandate))
    chosen.sort(key=lambda row: SEQUENCE_ORDER.index(row[2].sequence_type))
    return chosen, lapsed


def _remittance(invoice) -> str:
    label = REMITTANCE_LABEL.get(invoice.customer.language, REMITTANCE_LABEL["en"])
    text = f"{label} {invoice.number}"
    if invoice.reference:
        text += f" {invoice.reference}"
    return sepa_text(text, 140)


def _debtor_address(customer) -> dict:
    lines = [
        sepa_text(line, 70)
        for line in (customer.street, f"{customer.postal_code} {customer.city}")
        if line.strip()
    ]
    if not lines:
        return {}
    return {"country": customer.country, "lines": [line for line in lines if line][:2]}


def _write(directory: Path, name: str, content: bytes) -> Path:
    """Write the file whole or not at all (a temporary file renamed into place)."""
    directory.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        path = directory / name
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _collect_scheme(
    *, administration, as_of, collection_date, schema, scheme, rows, actor, written
) -> CollectedFile:
    from sepaxml import SepaDD
    from sepaxml.validation import ValidationError as SchemaError

    config = {
        "name": sepa_text(administration.legal_name or administration.name, 70),
        "IBAN": administration.iban,
        "batch": True,
        "creditor_id": administration.sepa_creditor_id,
        "currency": CURRENCY,
        "instrument": scheme,
    }
    if administration.bic:
        config["BIC"] = administration.bic
    sepa = SepaDD(config, schema=schema, clean=True)
    total = sum((amount for _, amount, _ in rows), ZERO)
    directory = Path(settings.DEBITUM_HOME) / "sepa" / administration.code
    name = f"{collection_date.isoformat()}-{scheme}-{sepa.msg_id}.xml"
    batch = DirectDebitBatch.objects.create(
        administration=administration,
        message_id=sepa.msg_id,
        collection_date=collection_date,
        schema=schema,
        scheme=scheme,
        submitted_date=as_of,
        total=total,
        item_count=len(rows),
        file_path=str(directory / name),
        created_by=actor if actor is not None and actor.pk else None,
    )
    items, collected = [], []
    for sequence, (invoice, amount, mandate) in enumerate(rows, start=1):
        identifier = end_to_end_id(
            prefix=f"D{batch.pk}", sequence=sequence, invoice_number=invoice.number
        )
        payment = {
            "name": sepa_text(invoice.customer.name, 70) or invoice.customer.number,
            "IBAN": mandate.iban,
            "amount": to_minor_units(amount),  # sepaxml wants cents as an integer
            "type": mandate.sequence_type,
            "collection_date": collection_date,
            "mandate_id": mandate.mandate_id,
            "mandate_date": mandate.signature_date,
            "description": _remittance(invoice),
            "endtoend_id": identifier,
        }
        if mandate.bic:
            payment["BIC"] = mandate.bic
        address = _debtor_address(invoice.customer)
        if address:
            payment["address"] = address
        sepa.add_payment(payment)
        items.append(
            DirectDebitItem(
                administration=administration,
                batch=batch,
                mandate=mandate,
                invoice=invoice,
                amount=amount,
                sequence_type=mandate.sequence_type,
                end_to_end_id=identifier,
            )
        )
        collected.append(
            CollectedItem(
                customer_number=invoice.customer.number,
                invoice_number=invoice.number,
                mandate_id=mandate.mandate_id,
                sequence_type=mandate.sequence_type,
                amount=amount,
                end_to_end_id=identifier,
            )
        )
    DirectDebitItem.objects.bulk_create(items)
    try:
        content = sepa.export(validate=True, pretty_print=True)
    except SchemaError as error:
        cause = error.__cause__
        detail = getattr(cause, "reason", None) or str(cause or error)
        raise ValidationError(
            {"file": f"the {schema} file does not pass its XML schema: {detail}"}
        ) from None
    path = _write(directory, name, content)
    written.append(path)
    return CollectedFile(
        batch_id=batch.pk,
        scheme=scheme,
        message_id=sepa.msg_id,
        file=str(path),
        items=tuple(collected),
        total=total,
    )


def direct_debit_collect(
    *,
    administration,
    as_of: dt.date,
    collection_date: dt.date | None = None,
    schema: str = "pain.008.001.02",
    actor=None,
) -> CollectionResult:
    """Collect by SEPA direct debit what is open and due by `collection_date` (see the module).

    `collection_date` defaults to the earliest the rulebooks allow for a file made on `as_of`
    (D-1: the next inter-bank business day, `domain.sepa.earliest_collection_date`); a date
    given must be a TARGET2 business day no earlier than that. The files are stored under
    DEBITUM_HOME/sepa/<administration code>/. Raises ValidationError naming what is missing or
    wrong, and then nothing is written. A result without files: nothing to collect.
    """
    if schema not in SCHEMAS:
        raise ValidationError({"schema": f"schema must be {' or '.join(SCHEMAS)}, not {schema!r}"})
    missing = _missing_creditor_details(administration, schema)
    if missing:
        raise ValidationError(
            {
                "administration": f"administration {administration.code} has no "
                f"{', '.join(missing)}: set it with `debitum administration update "
                f"{administration.code}`"
            }
        )
    try:
        if collection_date is None:
            collection_date = earliest_collection_date(as_of)
        else:
            collection_date_check(collection_date, as_of=as_of)
    except SepaError as error:
        raise ValidationError({"collection_date": str(error)}) from None
    result = CollectionResult(
        as_of=as_of,
        administration=administration.code,
        collection_date=collection_date,
        schema=schema,
    )
    written: list[Path] = []
    try:
        with transaction.atomic():
            # One collection run per administration at a time: a second one waits here and
            # then finds the first one's items (SQLite: the write lock of an IMMEDIATE
            # transaction does the same).
            Administration.objects.select_for_update().filter(pk=administration.pk).first()
            rows, result.lapsed_mandates = _collectable(
                administration=administration, as_of=as_of, collection_date=collection_date
            )
            for scheme in DirectDebitScheme.values:
                scheme_rows = [row for row in rows if row[2].scheme == scheme]
                if not scheme_rows:
                    continue
                collected = _collect_scheme(
                    administration=administration,
                    as_of=as_of,
                    collection_date=collection_date,
                    schema=schema,
                    scheme=scheme,
                    rows=scheme_rows,
                    actor=actor,
                    written=written,
                )
                result.files.append(collected)
            used = {mandate.pk: mandate for _, _, mandate in rows}
            # The mandates of this run's items, as a subquery (there may be 100,000 of them).
            in_this_run = DirectDebitItem.objects.filter(
                administration=administration,
                batch_id__in=[collected.batch_id for collected in result.files],
            ).values("mandate_id")
            Mandate.objects.filter(
                administration=administration,
                pk__in=in_this_run,
                sequence_type=SequenceType.FIRST,
            ).update(sequence_type=SequenceType.RECURRING)
            Mandate.objects.filter(
                administration=administration,
                pk__in=in_this_run,
                sequence_type__in=SINGLE_USE,
            ).update(is_active=False)
            for collected in result.files:
                mandates = [m for m in used.values() if m.scheme == collected.scheme]
                audit_record(
                    administration=administration,
                    actor=actor,
                    action="direct_debit.collect",
                    object_type="banking.directdebitbatch",
                    object_id=str(collected.batch_id),
                    summary=f"direct debit file {collected.message_id}: "
                    f"{len(collected.items)} collections, {CURRENCY} {collected.total:.2f} on "
                    f"{collection_date.isoformat()} ({collected.scheme})",
                    changes={
                        "file": collected.file,
                        "schema": schema,
                        "scheme": collected.scheme,
                        "collection_date": collection_date.isoformat(),
                        "items": len(collected.items),
                        "total": f"{collected.total:.2f}",
                        "invoices": [item.invoice_number for item in collected.items],
                        "mandates_now_recurring": sorted(
                            m.mandate_id for m in mandates if m.sequence_type == SequenceType.FIRST
                        ),
                        "mandates_ended": sorted(
                            m.mandate_id for m in mandates if m.sequence_type in SINGLE_USE
                        ),
                    },
                )
    except BaseException:
        # Nothing half written: a file whose batch was rolled back is removed again.
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return result
