from django.contrib import admin

from debitum.common.admin import AdministrationScopedAdmin

from .models import Contact, Customer


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    # The administration is the customer's; AdministrationScopedAdmin.save_formset sets it.
    fields = ("name", "function", "email", "phone", "language", "is_primary")


@admin.register(Customer)
class CustomerAdmin(AdministrationScopedAdmin):
    list_display = (
        "number",
        "name",
        "administration",
        "customer_type",
        "risk_class",
        "country",
        "city",
    )
    list_filter = ("risk_class", "customer_type", "administration")
    list_select_related = ("administration",)
    search_fields = ("number", "name", "vat_number", "enterprise_number", "kvk_number", "email")
    raw_id_fields = ("import_batch",)
    readonly_fields = ("created_at", "updated_at")
    # Newest first through the primary key index: a sort on a million rows has no other index.
    ordering = ("-id",)
    inlines = (ContactInline,)
