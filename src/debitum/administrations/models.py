import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from debitum.domain.identifiers import IdentifierError
from debitum.domain.identifiers import iban as checked_iban
from debitum.domain.sepa import SepaError, creditor_identifier

from .choices import Country, Language, PaymentReferenceKind, Role

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]{0,29}$",
    "A code is 1-30 letters, digits, '-' or '_', starting with a letter or digit.",
)


bic_validator = RegexValidator(
    r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$",
    "A BIC is 8 or 11 letters and digits (AAAABBCC or AAAABBCCDDD).",
    flags=re.IGNORECASE,
)


def iban_validator(value: str) -> None:
    """An IBAN with valid check digits and bank code (schwifty, via domain.identifiers)."""
    try:
        checked_iban(value)
    except IdentifierError as error:
        raise ValidationError(str(error)) from None


def creditor_id_validator(value: str) -> None:
    """A SEPA creditor identifier with valid check digits (EPC262-08, via domain.sepa)."""
    try:
        creditor_identifier(value)
    except SepaError as error:
        raise ValidationError(str(error)) from None


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
    # The letterhead of letters and e-mails. A Dutch or Belgian business letter must name the
    # registered name, address and KvK or enterprise number (art. 20 Handelsregisterwet 2007;
    # art. III.25 WER), and the EPC QR code needs the IBAN.
    legal_name = models.CharField(
        max_length=200, blank=True, help_text="registered name on letters; empty: the name"
    )
    street = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    city = models.CharField(max_length=100, blank=True)
    iban = models.CharField(
        max_length=34,
        blank=True,
        validators=[iban_validator],
        help_text="account for payments: printed on letters and in the EPC QR code",
    )
    bic = models.CharField(max_length=11, blank=True, validators=[bic_validator])
    email = models.EmailField(blank=True, help_text="the From address of dunning e-mails")
    phone = models.CharField(max_length=40, blank=True)
    vat_number = models.CharField(max_length=20, blank=True)
    registration_number = models.CharField(
        max_length=20, blank=True, help_text="KvK number (NL) or enterprise number (BE)"
    )
    website = models.CharField(max_length=200, blank=True)
    # Direct debit: the identifier the bank or the national community issued to the creditor
    # (Incassant ID, identifiant créancier); the mandates and pain.008 files carry it.
    sepa_creditor_id = models.CharField(
        "SEPA creditor identifier",
        max_length=35,
        blank=True,
        validators=[creditor_id_validator],
        help_text="for SEPA direct debits, e.g. NL51ZZZ405365330000",
    )
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

    def clean(self) -> None:
        # Stored compact and upper case: what the EPC QR code and the matcher compare.
        if self.iban:
            self.iban = "".join(self.iban.split()).upper()
        if self.bic:
            self.bic = "".join(self.bic.split()).upper()
        if self.sepa_creditor_id:
            self.sepa_creditor_id = "".join(self.sepa_creditor_id.split()).upper()


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


class UserPreference(models.Model):
    """A user's own settings: the language of the interface (empty: the browser's)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference"
    )
    language = models.CharField(max_length=2, choices=Language.choices, blank=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.language or 'browser'}"
