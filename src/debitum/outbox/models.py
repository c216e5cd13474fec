"""The outbox: every e-mail and letter Debitum produces, and the stored PDF documents.

A message is written once per subject and channel (`key`), before anything is sent, so a run
that stops half-way and runs again finds it instead of making a second one. The subject is a
dunning action (its letter) or a payment plan (its confirmation), never both. Sending moves a
message along its statuses (choices.MessageStatus) with conditional updates only.
"""

from django.db import models
from django.db.models import Q

from .choices import MessageChannel, MessageStatus


class OutboundMessage(models.Model):
    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.CASCADE, related_name="+"
    )
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    dunning_action = models.ForeignKey(
        "dunning.DunningAction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    payment_plan = models.ForeignKey(
        "plans.PaymentPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="the plan this message confirms",
    )
    channel = models.CharField(max_length=10, choices=MessageChannel.choices)
    to_address = models.TextField(
        help_text="e-mail: the address; letter: the postal address as printed"
    )
    subject = models.CharField(max_length=300)
    html = models.TextField(blank=True)
    text = models.TextField(blank=True)
    attachments = models.JSONField(
        default=list, blank=True, help_text="paths relative to DEBITUM_DOCUMENTS_DIR"
    )
    # Generated once (email.utils.make_msgid) and sent as the Message-ID header, so a retry
    # carries the same id and a bounce can be traced back to this row.
    message_id = models.CharField(max_length=255, unique=True)
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    key = models.CharField(max_length=120, help_text="makes creating the message idempotent")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["administration", "-created_at", "-id"]
        indexes = [
            # The sender's query: pending messages that are due.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
            models.Index(fields=["administration", "status"], name="outbox_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["administration", "key"], name="outbox_key_unique"),
            models.CheckConstraint(
                condition=Q(channel__in=[choice.value for choice in MessageChannel]),
                name="outbox_channel_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in MessageStatus]),
                name="outbox_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(channel=MessageChannel.EMAIL)
                | Q(status__in=[MessageStatus.PENDING, MessageStatus.PRINTED]),
                name="outbox_letter_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(dunning_action__isnull=True) | Q(payment_plan__isnull=True),
                name="outbox_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} to {self.to_address.splitlines()[0] if self.to_address else '?'} ({self.status})"


class Document(models.Model):
    """A letter as it was produced: the PDF file and its SHA-256, so a later change of the file
    (or a second rendering that differs) shows."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.CASCADE, related_name="+"
    )
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    dunning_action = models.ForeignKey(
        "dunning.DunningAction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    payment_plan = models.ForeignKey(
        "plans.PaymentPlan", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    path = models.CharField(max_length=500, help_text="relative to DEBITUM_DOCUMENTS_DIR")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["administration", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["administration", "path"], name="document_path_unique"),
            models.CheckConstraint(
                condition=Q(dunning_action__isnull=True) | Q(payment_plan__isnull=True),
                name="document_one_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["administration", "customer"], name="document_customer_idx")
        ]

    def __str__(self) -> str:
        return self.path
