"""Promises to pay (betalingsbeloften): dunning of the customer waits for the promised date."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from debitum.common.fields import MoneyField


class PromiseStatus(models.TextChoices):
    OPEN = "open", "Open"
    KEPT = "kept", "Kept"
    BROKEN = "broken", "Broken"
    CANCELLED = "cancelled", "Cancelled"


class Promise(models.Model):
    """A customer's promise to pay `amount` by `promised_date`.

    While open, the customer's dunning pauses until `promised_date` plus the policy's grace days.
    When the date and grace have passed and less than `amount` was received since the promise
    was made, the promise is broken and dunning resumes.
    """

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.CASCADE, related_name="+"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="promises"
    )
    promise_date = models.DateField(help_text="the day the promise was made")
    promised_date = models.DateField(help_text="the day the customer will have paid")
    amount = MoneyField(db_column="amount_cents")
    currency = models.CharField(max_length=3)
    grace_days = models.PositiveSmallIntegerField(default=3)
    status = models.CharField(max_length=10, choices=PromiseStatus.choices, default="open")
    closed_date = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-promised_date"]
        indexes = [
            models.Index(fields=["administration", "status", "customer"], name="promise_open_idx")
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="promise_amount_positive"),
            models.CheckConstraint(
                condition=Q(promised_date__gte=models.F("promise_date")),
                name="promise_date_order",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in PromiseStatus]),
                name="promise_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.amount} by {self.promised_date} ({self.status})"
