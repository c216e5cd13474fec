"""The open-item ledger: invoices, credit notes, payments, allocations, write-offs.

No balance is stored. What is open is derived from the amounts and the dated allocations and
write-offs (`debitum.domain.open_items`), so it cannot drift and is known at any past date.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from debitum.common.fields import MoneyField
from debitum.domain.matching import (
    number_lookup_key,
    number_lookup_keys,
    reference_key,
    reference_keys,
)

from .choices import InvoiceKind


class Invoice(models.Model):
    """An invoice (positive amount) or credit note (negative amount), incl. VAT."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.PROTECT, related_name="+"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="invoices"
    )
    number = models.CharField(max_length=50)
    kind = models.CharField(max_length=12, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE)
    invoice_date = models.DateField()
    due_date = models.DateField()
    currency = models.CharField(max_length=3)
    amount = MoneyField(db_column="amount_cents", help_text="incl. VAT; negative for a credit note")
    vat_amount = MoneyField(db_column="vat_amount_cents", default=0)
    description = models.CharField(max_length=500, blank=True)
    reference = models.CharField(max_length=50, blank=True, help_text="payment reference")
    # What the bank statement matcher looks invoices up by (domain.matching): derived from the
    # number and the reference, which never change once the invoice is in the ledger, and
    # filled wherever an invoice is written (save(), the invoice import's bulk insert).
    number_key = models.CharField(max_length=50, blank=True, default="", editable=False)
    reference_key = models.CharField(max_length=50, blank=True, default="", editable=False)
    import_batch = models.ForeignKey(
        "imports.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["administration", "invoice_date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "number"], name="invoice_number_unique"
            ),
            models.CheckConstraint(
                condition=(Q(kind=InvoiceKind.INVOICE) & Q(amount__gt=0))
                | (Q(kind=InvoiceKind.CREDIT_NOTE) & Q(amount__lt=0)),
                name="invoice_amount_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("invoice_date")), name="invoice_due_after_date"
            ),
        ]
        # An invoice's customer belongs to its administration, so the index of the customer
        # foreign key serves "this customer's invoices"; (administration, customer) beside it
        # was the same index twice, and each index costs every insert of a large import. The
        # administration's own index stays although (administration, number) leads with it:
        # SQLite reads "all invoices of the administration" through it in table order, where
        # the unique index would visit the rows in number order.
        indexes = [
            models.Index(fields=["administration", "due_date"], name="invoice_due_idx"),
            # The statement import finds invoices by these (the matcher compares references
            # and numbers in their normal form, never as printed).
            models.Index(fields=["administration", "reference_key"], name="invoice_reference_idx"),
            models.Index(fields=["administration", "number_key"], name="invoice_number_key_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        self.number_key, self.reference_key = invoice_match_keys(self.number, self.reference)
        super().save(*args, **kwargs)


def invoice_match_keys(number: str, reference: str) -> tuple[str, str]:
    """(number_key, reference_key) of an invoice, as the statement matcher looks them up."""
    return number_lookup_key(number)[:50], reference_key(reference)[:50] if reference else ""


def invoice_match_keys_of(numbers: list[str], references: list[str]) -> tuple[list, list]:
    """`invoice_match_keys` of many invoices at once: (number keys, reference keys), each a
    list in the order given (for a large import)."""
    return _cut(number_lookup_keys(numbers), 50), _cut(reference_keys(references), 50)


def _cut(texts: list[str], limit: int) -> list[str]:
    if texts and max(map(len, texts)) > limit:
        return [text[:limit] for text in texts]
    return texts


class Payment(models.Model):
    """Money received from (positive) or refunded to (negative) a customer."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.PROTECT, related_name="+"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="payments"
    )
    payment_date = models.DateField()
    currency = models.CharField(max_length=3)
    amount = MoneyField(db_column="amount_cents")
    reference = models.CharField(max_length=140, blank=True)
    invoice_number = models.CharField(max_length=50, blank=True, help_text="as given by the source")
    # Identity of an imported payment (a payment has no number of its own): a hash of its
    # fields and its occurrence in the file, so re-importing the file finds it again.
    fingerprint = models.CharField(max_length=64)
    import_batch = models.ForeignKey(
        "imports.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["administration", "payment_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "fingerprint"], name="payment_fingerprint_unique"
            ),
            models.CheckConstraint(condition=~Q(amount=0), name="payment_amount_not_zero"),
        ]
        # No (administration, customer) index: the customer foreign key's index serves it.

    def __str__(self) -> str:
        return f"{self.payment_date} {self.currency} {self.amount}"


class Allocation(models.Model):
    """Part of a payment or credit note applied to an invoice, from a date on."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.PROTECT, related_name="+"
    )
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    credit_note = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="credit_allocations"
    )
    amount = MoneyField(
        db_column="amount_cents",
        help_text="reduces the invoice's open amount; negative when it reverses an allocation",
    )
    allocation_date = models.DateField()
    # A returned direct debit or a payment the bank took back: the allocation it undoes, from
    # the date of the return on. The earlier allocation stays (the invoice was paid until
    # then), this row of the opposite sign reopens the invoice.
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["administration", "allocation_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(amount__gt=0) & Q(reverses__isnull=True))
                | (Q(amount__lt=0) & Q(reverses__isnull=False)),
                name="allocation_reversal_sign",
            ),
            models.CheckConstraint(
                condition=(Q(payment__isnull=False) & Q(credit_note__isnull=True))
                | (Q(payment__isnull=True) & Q(credit_note__isnull=False)),
                name="allocation_has_one_source",
            ),
        ]
        indexes = [
            # The amount in the index lets the open amounts be summed from the index alone, in
            # invoice order, without a visit to the table per allocation (the aging report at a
            # million invoices on PostgreSQL: 1.7 s -> 1.45 s for its open items).
            models.Index(
                fields=["administration", "invoice", "allocation_date", "amount"],
                name="allocation_invoice_idx",
            ),
            models.Index(fields=["administration", "payment"], name="allocation_payment_idx"),
            models.Index(fields=["administration", "credit_note"], name="allocation_credit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} to {self.invoice_id} on {self.allocation_date}"


class WriteOff(models.Model):
    """An amount of an invoice (or credit note, negative) given up, with the reason."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.PROTECT, related_name="+"
    )
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="write_offs")
    amount = MoneyField(
        db_column="amount_cents", help_text="reduces the open amount; negative on a credit note"
    )
    write_off_date = models.DateField()
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["administration", "write_off_date", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="write_off_amount_not_zero")
        ]
        indexes = [
            models.Index(
                fields=["administration", "invoice", "write_off_date"], name="write_off_invoice_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} of {self.invoice_id} on {self.write_off_date}"
