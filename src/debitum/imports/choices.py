from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    CUSTOMERS = "customers", _("Customers")
    INVOICES = "invoices", _("Invoices")
    PAYMENTS = "payments", _("Payments")
    STATEMENTS = "statements", _("Bank statements")
