"""Payment plans (betalingsregelingen): chosen invoices paid in instalments."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from debitum.common.fields import MoneyField


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    BROKEN = "broken", "Broken"
    CANCELLED = "cancelled", "Cancelled"


class PlanEvery(models.TextChoices):
    MONTH = "month", "Every month"
    WEEK = "week", "Every week"
    TWO_WEEKS = "2weeks", "Every two weeks"


class PaymentPlan(models.Model):
    """While active, its invoices leave dunning; a missed instalment past the grace period
    breaks the plan and its invoices return to dunning."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.CASCADE, related_name="+"
    )
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3)
    total = MoneyField(db_column="total_cents")
    start_date = models.DateField()
    grace_days = models.PositiveSmallIntegerField(default=7)
    every = models.CharField(
        max_length=6,
        choices=PlanEvery.choices,
        default=PlanEvery.MONTH,
        help_text="the step between instalments (for the confirmation letter)",
    )
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default="active")
    closed_date = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["administration", "status"], name="plan_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in PlanStatus]),
                name="plan_status_valid",
            ),
            models.CheckConstraint(condition=Q(total__gt=0), name="plan_total_positive"),
            models.CheckConstraint(
                condition=Q(every__in=[choice.value for choice in PlanEvery]),
                name="plan_every_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"plan {self.pk} of {self.customer_id} ({self.status})"


class PlanInvoice(models.Model):
    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.CASCADE, related_name="+"
    )
    plan = models.ForeignKey(PaymentPlan, on_delete=models.CASCADE, related_name="lines")
    invoice = models.ForeignKey("ledger.Invoice", on_delete=models.PROTECT, related_name="+")
    amount = MoneyField(db_column="amount_cents", help_text="open on the invoice when planned")

    class Meta:
        indexes = [models.Index(fields=["administration", "invoice"], name="plan_invoice_idx")]
        constraints = [
            models.UniqueConstraint(fields=["plan", "invoice"], name="plan_invoice_unique")
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id} in plan {self.plan_id}"


class Instalment(models.Model):
    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.CASCADE, related_name="+"
    )
    plan = models.ForeignKey(PaymentPlan, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    amount = MoneyField(db_column="amount_cents")

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="instalment_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_positive"),
        ]

    def __str__(self) -> str:
        return f"instalment {self.number}: {self.amount} due {self.due_date}"
