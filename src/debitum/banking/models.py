"""Bank statements, their entries, what became of each entry, and SEPA direct debits.

A statement entry is a fact from the bank and never changes. What the matcher or a person
decided about it is a new `EntryDecision` row each time (append-only): the latest one is the
entry's state, the earlier ones are its history. A decision that applies money to the ledger
points at the `ledger.Payment` it created; the allocations hang off that payment.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from debitum.common.fields import MoneyField

from .choices import (
    DirectDebitScheme,
    DirectDebitStatus,
    MatchOutcome,
    SequenceType,
    StatementFormat,
)


class Statement(models.Model):
    """One account statement (or camt.054 notification) as the bank sent it."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.PROTECT, related_name="+"
    )
    file_format = models.CharField(max_length=10, choices=StatementFormat.choices)
    account_iban = models.CharField(max_length=34, help_text="the statement's own account")
    currency = models.CharField(max_length=3)
    statement_number = models.CharField(max_length=35, blank=True)
    opening_date = models.DateField(null=True, blank=True)
    opening_balance = MoneyField(db_column="opening_balance_cents", null=True, blank=True)
    closing_date = models.DateField(null=True, blank=True)
    closing_balance = MoneyField(db_column="closing_balance_cents", null=True, blank=True)
    # The same statement in another file (or the same file renamed) is found again by this.
    fingerprint = models.CharField(max_length=64)
    # None: no earlier statement of the account to compare with (or no balances: camt.054).
    follows_previous = models.BooleanField(null=True, blank=True)
    continuity_note = models.CharField(max_length=300, blank=True)
    import_batch = models.ForeignKey(
        "imports.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["administration", "account_iban", "closing_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "fingerprint"], name="statement_fingerprint_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["administration", "account_iban", "closing_date"],
                name="statement_account_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_iban} {self.statement_number or self.closing_date}"


class StatementEntry(models.Model):
    """One movement on a statement: signed, credits (money in) positive."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.PROTECT, related_name="+"
    )
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="entries")
    sequence = models.PositiveIntegerField(help_text="its place in the statement, from 1")
    booking_date = models.DateField()
    value_date = models.DateField(null=True, blank=True)
    amount = MoneyField(db_column="amount_cents", help_text="credits positive, debits negative")
    currency = models.CharField(max_length=3)
    counterparty_name = models.CharField(max_length=140, blank=True)
    counterparty_iban = models.CharField(max_length=34, blank=True)
    counterparty_bic = models.CharField(max_length=11, blank=True)
    remittance = models.TextField(blank=True)
    structured_reference = models.CharField(max_length=35, blank=True)
    end_to_end_id = models.CharField(max_length=35, blank=True)
    mandate_id = models.CharField(max_length=35, blank=True)
    return_reason = models.CharField(max_length=35, blank=True)
    bank_reference = models.CharField(max_length=35, blank=True)
    transaction_code = models.CharField(max_length=35, blank=True)
    is_reversal = models.BooleanField(default=False)
    # The movement's identity across files (a camt.054 notification and the camt.053 that
    # books it later describe the same money): a second sighting is a duplicate.
    fingerprint = models.CharField(max_length=64)
    is_duplicate = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["administration", "statement", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "fingerprint"],
                condition=Q(is_duplicate=False),
                name="entry_fingerprint_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["administration", "end_to_end_id"], name="entry_end_to_end_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.booking_date} {self.currency} {self.amount} {self.counterparty_name}"


class EntryDecision(models.Model):
    """What became of an entry, by the matcher or a person. The latest row per entry counts."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.PROTECT, related_name="+"
    )
    entry = models.ForeignKey(StatementEntry, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=10, choices=MatchOutcome.choices)
    confidence = models.PositiveSmallIntegerField(help_text="0-100")
    reason = models.CharField(max_length=30, help_text="what the match rests on (a code)")
    detail = models.CharField(max_length=300, blank=True)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payment = models.ForeignKey(
        "ledger.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # [{"invoice_id", "number", "amount"}]: what was applied (matched) or is proposed.
    invoices = models.JSONField(default=list, blank=True)
    # The best other proposals, best first: [{"customer_id", "invoices", "confidence", "reason"}].
    suggestions = models.JSONField(default=list, blank=True)
    is_automatic = models.BooleanField(default=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["administration", "entry", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=[choice.value for choice in MatchOutcome]),
                name="decision_outcome_valid",
            ),
            models.CheckConstraint(condition=Q(confidence__lte=100), name="decision_confidence"),
        ]
        indexes = [
            models.Index(fields=["administration", "entry", "id"], name="decision_entry_idx"),
            models.Index(fields=["administration", "outcome", "id"], name="decision_outcome_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.outcome} ({self.confidence}) {self.reason}"


class CustomerBankAccount(models.Model):
    """An IBAN a customer pays from: from the customer file, or learned from a confirmed match."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.PROTECT, related_name="+"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="bank_accounts"
    )
    iban = models.CharField(max_length=34)
    learned_from = models.ForeignKey(
        StatementEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["administration", "iban"]
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "iban", "customer"], name="bank_account_unique"
            )
        ]

    def __str__(self) -> str:
        return self.iban


class Mandate(models.Model):
    """A customer's SEPA direct debit mandate."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.PROTECT, related_name="+"
    )
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    mandate_id = models.CharField(max_length=35)
    signature_date = models.DateField()
    iban = models.CharField(max_length=34)
    bic = models.CharField(max_length=11, blank=True)
    scheme = models.CharField(
        max_length=4, choices=DirectDebitScheme.choices, default=DirectDebitScheme.CORE
    )
    # FRST until the first collection went through, then RCUR; OOFF for a one-off mandate.
    sequence_type = models.CharField(
        max_length=4, choices=SequenceType.choices, default=SequenceType.FIRST
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["administration", "mandate_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "mandate_id"], name="mandate_id_unique"
            )
        ]
        indexes = [models.Index(fields=["administration", "customer"], name="mandate_customer_idx")]

    def __str__(self) -> str:
        return self.mandate_id


class DirectDebitBatch(models.Model):
    """One pain.008 file: the invoices collected on one date."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.PROTECT, related_name="+"
    )
    message_id = models.CharField(max_length=35)
    collection_date = models.DateField()
    schema = models.CharField(max_length=20, help_text="pain.008.001.02 or pain.008.001.08")
    # Banks take CORE and B2B collections in separate files: one batch per scheme.
    scheme = models.CharField(
        max_length=4, choices=DirectDebitScheme.choices, default=DirectDebitScheme.CORE
    )
    submitted_date = models.DateField(
        null=True, blank=True, help_text="the day the file was made (the run's as-of date)"
    )
    total = MoneyField(db_column="total_cents")
    item_count = models.PositiveIntegerField()
    file_path = models.CharField(max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["administration", "-collection_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "message_id"], name="debit_batch_message_unique"
            )
        ]

    def __str__(self) -> str:
        return self.message_id


class DirectDebitItem(models.Model):
    """One invoice collected under a mandate, known on the statement by its end-to-end id."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(DirectDebitBatch, on_delete=models.PROTECT, related_name="items")
    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="items")
    invoice = models.ForeignKey("ledger.Invoice", on_delete=models.PROTECT, related_name="+")
    amount = MoneyField(db_column="amount_cents")
    sequence_type = models.CharField(max_length=4, choices=SequenceType.choices)
    end_to_end_id = models.CharField(max_length=35)
    status = models.CharField(
        max_length=10, choices=DirectDebitStatus.choices, default=DirectDebitStatus.SUBMITTED
    )
    return_reason = models.CharField(max_length=35, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["administration", "batch", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "end_to_end_id"], name="debit_item_end_to_end_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="debit_item_positive"),
            # An invoice is in at most one collection at a time.
            models.UniqueConstraint(
                fields=["invoice"],
                condition=Q(status=DirectDebitStatus.SUBMITTED),
                name="debit_item_one_live_per_invoice",
            ),
        ]

    def __str__(self) -> str:
        return self.end_to_end_id
