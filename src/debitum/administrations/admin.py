from django.contrib import admin

from debitum.common.admin import AdministrationScopedAdmin

from .models import Administration, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)
    readonly_fields = ("created_at",)


@admin.register(Administration)
class AdministrationAdmin(AdministrationScopedAdmin):
    administration_lookup = "pk"
    list_display = ("code", "name", "country", "currency", "language", "payment_reference_kind")
    search_fields = ("code", "name")
    # Only payment_references_reserve moves the counter; setting it back by hand would hand out
    # references twice.
    readonly_fields = ("payment_reference_next", "created_at")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "name",
                    "country",
                    "currency",
                    "language",
                    "payment_reference_kind",
                    "payment_reference_next",
                    "created_at",
                )
            },
        ),
        (
            "Letterhead of letters and e-mails",
            {
                "fields": (
                    "legal_name",
                    ("street", "postal_code", "city"),
                    ("iban", "bic"),
                    ("email", "phone"),
                    ("vat_number", "registration_number"),
                    "website",
                )
            },
        ),
        ("SEPA direct debit", {"fields": ("sepa_creditor_id",)}),
    )
    inlines = (MembershipInline,)

    def has_add_permission(self, request):
        # A new tenant is a decision for whoever runs the installation.
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Membership)
class MembershipAdmin(AdministrationScopedAdmin):
    list_display = ("user", "administration", "role", "created_at")
    list_filter = ("role", "administration")
    list_select_related = ("user", "administration")
    search_fields = ("user__username", "administration__code")
    raw_id_fields = ("user",)
    readonly_fields = ("created_at",)
