from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from .choices import Country, Language, PaymentReferenceKind, Role

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]{0,29}$",
    "A code is 1-30 letters, digits, '-' or '_', starting with a letter or digit.",
)


class Administration(models.Model):
    """The tenant: one company whose receivables Debitum manages."""

    code = models.CharField(max_length=30, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, choices=Country.choices)
    currency = models.CharField(max_length=3, default="EUR")
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.NL)
    payment_reference_kind = models.CharField(
        max_length=4, choices=PaymentReferenceKind.choices, default=PaymentReferenceKind.NONE
    )
    # The next number `payment_references_reserve` hands out; only that service moves it, by a
    # conditional UPDATE, so two imports never get the same number.
    payment_reference_next = models.PositiveBigIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    payment_reference_kind__in=[choice.value for choice in PaymentReferenceKind]
                ),
                name="administration_payment_reference_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(payment_reference_next__gte=1),
                name="administration_payment_reference_next_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Membership(models.Model):
    """A user's role in one administration. No membership, no access."""

    administration = models.ForeignKey(
        Administration, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "user"], name="membership_unique_user"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=[choice.value for choice in Role]),
                name="membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} in {self.administration.code}"
