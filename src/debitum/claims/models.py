"""Collection costs and interest claimed from a customer, beside the invoices.

A dunning step that charges costs or interest records them here, per invoice, when it is carried
out. They are not invoices: they do not count in the aging of the open items, but every later
letter shows them, and money the customer pays beyond its invoices settles them first: costs,
then interest (art. 6:44 BW). What is open on a claim is its amount less its settlements dated on
or before the day, as for invoices.
"""

from django.db import models
from django.db.models import Q

from debitum.common.fields import MoneyField


class ClaimKind(models.TextChoices):
    COSTS = "costs", "Collection costs"
    INTEREST = "interest", "Interest"


class Claim(models.Model):
    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.PROTECT, related_name="+"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="claims"
    )
    invoice = models.ForeignKey("ledger.Invoice", on_delete=models.PROTECT, related_name="claims")
    kind = models.CharField(max_length=10, choices=ClaimKind.choices)
    currency = models.CharField(max_length=3)
    amount = MoneyField(db_column="amount_cents")
    claim_date = models.DateField()
    dunning_action = models.ForeignKey(
        "dunning.DunningAction", on_delete=models.PROTECT, related_name="claims"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim_date", "id"]
        indexes = [
            models.Index(fields=["administration", "customer"], name="claim_customer_idx"),
            models.Index(fields=["administration", "invoice"], name="claim_invoice_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=[choice.value for choice in ClaimKind]),
                name="claim_kind_valid",
            ),
            # One claim of each kind per invoice and action: recording is idempotent.
            models.UniqueConstraint(
                fields=["dunning_action", "invoice", "kind"], name="claim_once_per_action"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.currency} {self.amount} on {self.invoice_id}"


class ClaimSettlement(models.Model):
    """Money of a payment that went to a claim."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.PROTECT, related_name="+"
    )
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="settlements")
    payment = models.ForeignKey("ledger.Payment", on_delete=models.PROTECT, related_name="+")
    amount = MoneyField(db_column="amount_cents")
    settlement_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["settlement_date", "id"]
        indexes = [
            models.Index(fields=["administration", "claim"], name="settlement_claim_idx"),
            models.Index(fields=["administration", "payment"], name="settlement_payment_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="settlement_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} of payment {self.payment_id} to claim {self.claim_id}"
