from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomerType(models.TextChoices):
    BUSINESS = "business", _("Business")
    CONSUMER = "consumer", _("Consumer")


class RiskClass(models.TextChoices):
    LOW = "low", _("Low risk")
    NORMAL = "normal", _("Normal risk")
    HIGH = "high", _("High risk")


class Segment(models.TextChoices):
    """The dunning segment of a customer: it selects the policy (with the country)."""

    LOW = "low", _("Low risk")
    NORMAL = "normal", _("Normal risk")
    HIGH = "high", _("High risk")
    STRATEGIC = "strategic", _("Strategic")
    INTERCOMPANY = "intercompany", _("Intercompany")
    CONSUMER = "consumer", _("Consumer")
