"""Disputes (betwistingen) over invoices, with the root cause of the late payment."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from debitum.common.fields import MoneyField


class DisputeReason(models.TextChoices):
    """The root causes of late payment that a dispute can have (DESIGN: learn)."""

    WRONG_AMOUNT = "wrong_amount", "Wrong price or amount"
    NOT_DELIVERED = "not_delivered", "Not delivered"
    QUALITY = "quality", "Quality"
    ALREADY_PAID = "already_paid", "Already paid"
    WRONG_ADDRESSEE = "wrong_addressee", "Wrong addressee"
    OTHER = "other", "Other"


class DisputeStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class DisputeResolution(models.TextChoices):
    UPHELD = "upheld", "The customer was right (credit note)"
    REJECTED = "rejected", "The invoice stands"
    WITHDRAWN = "withdrawn", "Withdrawn by the customer"


class Dispute(models.Model):
    """A dispute over an invoice, or over part of it (`amount`; empty: the whole invoice).

    While open, the disputed part leaves dunning.
    """

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.CASCADE, related_name="+"
    )
    invoice = models.ForeignKey("ledger.Invoice", on_delete=models.PROTECT, related_name="disputes")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=20, choices=DisputeReason.choices)
    amount = MoneyField(
        db_column="amount_cents", null=True, blank=True, help_text="the disputed part; empty: all"
    )
    note = models.TextField(blank=True)
    opened_date = models.DateField()
    status = models.CharField(max_length=10, choices=DisputeStatus.choices, default="open")
    resolution = models.CharField(
        max_length=10, choices=DisputeResolution.choices, blank=True, default=""
    )
    resolved_date = models.DateField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)
    credit_note = models.ForeignKey(
        "ledger.Invoice", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_date"]
        indexes = [
            models.Index(fields=["administration", "status", "invoice"], name="dispute_open_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=[choice.value for choice in DisputeReason]),
                name="dispute_reason_valid",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="dispute_amount_positive"
            ),
            models.UniqueConstraint(
                fields=["invoice"], condition=Q(status="open"), name="dispute_one_open_per_invoice"
            ),
        ]

    def __str__(self) -> str:
        return f"dispute {self.invoice_id}: {self.reason} ({self.status})"
