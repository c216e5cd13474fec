from django.db import models
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    NL = "NL", _("Netherlands")
    BE = "BE", _("Belgium")


class Language(models.TextChoices):
    NL = "nl", "Nederlands"
    FR = "fr", "Français"
    EN = "en", "English"


class PaymentReferenceKind(models.TextChoices):
    """The payment reference an administration prints on its invoices (domain.references)."""

    OGM = "ogm", _("Belgian structured communication (+++ddd/dddd/ddddd+++)")
    NL = "nl", _("Dutch betalingskenmerk (16 digits)")
    RF = "rf", _("ISO 11649 creditor reference (RF)")
    NONE = "none", _("No payment reference")


# What a new administration gets unless it says otherwise: what the debtors' banks know best.
DEFAULT_PAYMENT_REFERENCE_KIND = {
    Country.BE: PaymentReferenceKind.OGM,
    Country.NL: PaymentReferenceKind.NL,
}


class Role(models.TextChoices):
    """Roles per administration, from most to least power."""

    ADMIN = "admin", _("Administrator")
    MANAGER = "manager", _("Manager")
    CONTROLLER = "controller", _("Credit controller")
    SALES = "sales", _("Account manager")
    VIEWER = "viewer", _("Viewer")


ROLE_RANK = {Role.VIEWER: 0, Role.SALES: 1, Role.CONTROLLER: 2, Role.MANAGER: 3, Role.ADMIN: 4}
