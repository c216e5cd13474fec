from django.db import models
from django.utils.translation import gettext_lazy as _


class StepKind(models.TextChoices):
    PRE_DUE_REMINDER = "pre_due_reminder", _("Pre-due reminder")
    REMINDER = "reminder", _("Reminder")
    PHONE_CALL = "phone_call", _("Phone call")
    DEMAND = "demand", _("Demand")
    FOURTEEN_DAY_LETTER = "fourteen_day_letter", _("Fourteen-day letter")
    NOTICE_OF_DEFAULT = "notice_of_default", _("Notice of default")
    AGENCY_HANDOVER = "agency_handover", _("Hand-over to a collection agency")
    LEGAL = "legal", _("Legal action")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    EMAIL_AND_LETTER = "email_and_letter", _("E-mail and letter")
    PHONE_TASK = "phone_task", _("Phone call (task)")
    HANDOVER = "handover", _("Hand-over (case)")


class RunStatus(models.TextChoices):
    DECIDING = "deciding", _("Deciding")
    EXECUTING = "executing", _("Executing")
    COMPLETED = "completed", _("Completed")


class ActionStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved, to execute")
    PENDING = "pending", _("To execute")
    EXECUTED = "executed", _("Executed")
    REJECTED = "rejected", _("Rejected")
    EXCLUDED = "excluded", _("Excluded")


# An action in one of these states counts as the step taken (or being taken) for its invoices.
TAKEN_STATUSES = (
    ActionStatus.AWAITING_APPROVAL,
    ActionStatus.APPROVED,
    ActionStatus.PENDING,
    ActionStatus.EXECUTED,
)
