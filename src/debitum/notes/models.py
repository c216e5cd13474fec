"""What a collector wrote down: calls with their outcome and free notes, on a customer's file."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class NoteKind(models.TextChoices):
    CALL = "call", "Call"
    NOTE = "note", "Note"


class CallOutcome(models.TextChoices):
    REACHED = "reached", "Reached the customer"
    PROMISE = "promise", "Promise to pay"
    DISPUTE = "dispute", "Dispute raised"
    PAID = "paid", "Says it is paid"
    NO_ANSWER = "no_answer", "No answer"
    VOICEMAIL = "voicemail", "Left a voicemail"
    WRONG_NUMBER = "wrong_number", "Wrong number"
    REFUSED = "refused", "Refuses to pay"
    CALL_BACK = "call_back", "Call back later"


class Note(models.Model):
    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.CASCADE, related_name="+"
    )
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    invoice = models.ForeignKey(
        "ledger.Invoice", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=NoteKind.choices)
    outcome = models.CharField(max_length=20, choices=CallOutcome.choices, blank=True, default="")
    text = models.TextField(blank=True)
    note_date = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["administration", "customer", "created_at"], name="note_customer_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[choice.value for choice in NoteKind]), name="note_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="call") | Q(outcome=""), name="note_outcome_only_for_calls"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.note_date}: {self.text[:40]}"
