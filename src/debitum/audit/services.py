"""Writing the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from .models import AuditEvent


def actor_label(actor: AbstractBaseUser | None) -> str:
    return actor.get_username() if actor is not None else "system"


def audit_record(
    *,
    administration,
    actor: AbstractBaseUser | None,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    summary: str,
    changes: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    """Record one change. Call inside the transaction that makes the change."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        administration=administration,
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor_label(actor),
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary,
        changes=changes or {},
        reason=reason,
    )
