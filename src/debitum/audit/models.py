from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One change to the ledger: who, when, what, why.

    Written in the same transaction as the change it describes. A bulk import writes one event
    for the batch (with the file's name, hash and counts), and each imported row points to its
    batch, so the trail stays complete without doubling a million-row import.
    """

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.CASCADE, null=True, related_name="+"
    )
    occurred_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_label = models.CharField(
        max_length=150, help_text="who acted, kept when the user is deleted"
    )
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.TextField()
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(
                fields=["administration", "object_type", "object_id"], name="audit_object_idx"
            ),
            models.Index(fields=["administration", "occurred_at"], name="audit_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.summary}"
