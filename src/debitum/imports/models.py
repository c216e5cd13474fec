from django.conf import settings
from django.db import models

from .choices import ImportKind


class ImportBatch(models.Model):
    """One imported file: the audit record of every row it created."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField()
    counts = models.JSONField(
        default=dict, help_text="created / unchanged / updated per kind of row"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        indexes = [
            models.Index(fields=["administration", "kind", "sha256"], name="import_file_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name}"
