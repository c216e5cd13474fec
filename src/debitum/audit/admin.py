from django.contrib import admin

from debitum.common.admin import AdministrationScopedAdmin, ReadOnlyAdminMixin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, AdministrationScopedAdmin):
    """The audit trail can be read, never changed."""

    list_display = ("occurred_at", "administration", "actor_label", "action", "summary")
    list_filter = ("action", "administration")
    list_select_related = ("administration",)
    search_fields = ("summary", "actor_label", "object_id")
