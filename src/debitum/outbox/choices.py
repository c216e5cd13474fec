from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")


class MessageStatus(models.TextChoices):
    """An e-mail: pending -> sending -> sent, or back to pending to retry, or failed or bounced.
    A letter: pending (in the print queue) -> printed."""

    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    BOUNCED = "bounced", _("Bounced")
    PRINTED = "printed", _("Printed")
