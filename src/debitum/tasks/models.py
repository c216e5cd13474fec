"""Tasks on a collector's list: calls to make, approvals to give, bounced e-mails to fix."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class TaskKind(models.TextChoices):
    PHONE_CALL = "phone_call", "Phone call"
    APPROVAL = "approval", "Approval of a dunning step"
    BOUNCE = "bounce", "E-mail refused or bounced"
    PROMISE_BROKEN = "promise_broken", "Promise broken"
    PLAN_BROKEN = "plan_broken", "Payment plan broken"
    HANDOVER = "handover", "Hand-over to an agency"
    FOLLOW_UP = "follow_up", "Follow-up"


class TaskStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Task(models.Model):
    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.CASCADE, related_name="+"
    )
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=TaskKind.choices)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default="open")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dunning_action = models.ForeignKey(
        "dunning.DunningAction", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Makes creating a task idempotent: a job that runs again finds the task it made.
    key = models.CharField(max_length=120, blank=True, default="")
    outcome = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["administration", "status", "due_date"], name="task_open_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "key"], condition=~Q(key=""), name="task_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[choice.value for choice in TaskKind]), name="task_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title} (due {self.due_date})"
