"""Reading notes."""

from __future__ import annotations

from .models import Note


def note_list(*, administration, customer=None, limit: int | None = None):
    notes = Note.objects.filter(administration=administration).select_related(
        "invoice", "created_by"
    )
    if customer is not None:
        notes = notes.filter(customer=customer)
    return notes[:limit] if limit else notes
