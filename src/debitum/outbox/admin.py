from django.contrib import admin

from debitum.common.admin import AdministrationScopedAdmin
from debitum.dunning.models import MessageTemplate

from .models import Document, OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(AdministrationScopedAdmin):
    list_display = (
        "created_at",
        "administration",
        "customer",
        "channel",
        "to_address",
        "subject",
        "status",
        "attempts",
        "sent_at",
    )
    list_filter = ("status", "channel", "administration")
    list_select_related = ("administration", "customer")
    search_fields = ("to_address", "subject", "message_id", "customer__number", "customer__name")
    raw_id_fields = ("customer", "dunning_action")
    # The outbox is written by the services only: what was sent must stay as it was sent.
    readonly_fields = tuple(field.name for field in OutboundMessage._meta.fields)

    def has_add_permission(self, request):
        return False


@admin.register(Document)
class DocumentAdmin(AdministrationScopedAdmin):
    list_display = ("created_at", "administration", "customer", "path", "size")
    list_filter = ("administration",)
    list_select_related = ("administration", "customer")
    search_fields = ("path", "customer__number", "customer__name")
    readonly_fields = tuple(field.name for field in Document._meta.fields)

    def has_add_permission(self, request):
        return False


if not admin.site.is_registered(MessageTemplate):

    @admin.register(MessageTemplate)
    class MessageTemplateAdmin(AdministrationScopedAdmin):
        """Each administration edits its own letter and e-mail texts (Django templates; the
        context is in docs/collections/letters-and-email.md)."""

        list_display = ("code", "language", "subject", "administration", "updated_at")
        list_filter = ("language", "code", "administration")
        list_select_related = ("administration",)
        search_fields = ("code", "subject", "body")
        readonly_fields = ("updated_at",)
