from django.conf import settings
from django.db import models

from .choices import JobState


class Job(models.Model):
    """Long work of one administration (an import, a statement, a dunning run) done outside the
    web request that asked for it: by a Celery worker, or a thread of the process.

    The row is the job's state; its progress while it runs is in the cache (the work runs in a
    transaction of its own that a progress row could not leave). `key` makes asking twice for
    the same work (the same file, the same day's run) return the job of the first time."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=200, help_text="the same work asked for twice")
    params = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The language of the person who asked: the messages of the work (errors) are in it.
    language = models.CharField(max_length=10, default="en")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["administration", "key"], name="job_key_unique")
        ]
        indexes = [models.Index(fields=["administration", "-created_at"], name="job_recent_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)
