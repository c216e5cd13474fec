from django.conf import settings
from django.db import models

from debitum.administrations.choices import Language
from debitum.common.fields import MoneyField

from .choices import CustomerType, RiskClass, Segment


class Customer(models.Model):
    """A debtor of one administration."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(max_length=50)
    name = models.CharField(max_length=200)
    customer_type = models.CharField(
        max_length=10, choices=CustomerType.choices, default=CustomerType.BUSINESS
    )
    country = models.CharField(max_length=2, default="NL", help_text="ISO 3166 country code")
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.NL)
    vat_number = models.CharField(max_length=20, blank=True)
    enterprise_number = models.CharField(
        max_length=10, blank=True, help_text="Belgian KBO/BCE number"
    )
    kvk_number = models.CharField(
        max_length=8, blank=True, help_text="Dutch Chamber of Commerce number"
    )
    iban = models.CharField(max_length=34, blank=True)
    payment_terms_days = models.PositiveSmallIntegerField(default=30)
    risk_class = models.CharField(
        max_length=10, choices=RiskClass.choices, default=RiskClass.NORMAL
    )
    segment = models.CharField(
        max_length=12,
        choices=Segment.choices,
        default=Segment.NORMAL,
        help_text="selects the dunning policy, with the country",
    )
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="approves escalation for a strategic customer",
    )
    collector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="the credit controller who works this customer's lines",
    )
    credit_limit = MoneyField(
        db_column="credit_limit_cents",
        null=True,
        blank=True,
        help_text="in the administration's currency; empty: no limit set",
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    street = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    city = models.CharField(max_length=100, blank=True)
    import_batch = models.ForeignKey(
        "imports.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["administration", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "number"], name="customer_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(customer_type__in=[c.value for c in CustomerType]),
                name="customer_type_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(risk_class__in=[c.value for c in RiskClass]),
                name="customer_risk_class_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(segment__in=[c.value for c in Segment]),
                name="customer_segment_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["administration", "name"], name="customer_name_idx"),
            # The work list filtered on one collector.
            models.Index(fields=["administration", "collector"], name="customer_collector_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Contact(models.Model):
    """A person at a customer to call or write to."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.PROTECT, related_name="+"
    )
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    function = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, blank=True)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "name"]
        indexes = [models.Index(fields=["administration", "customer"], name="contact_customer_idx")]

    def __str__(self) -> str:
        return self.name
