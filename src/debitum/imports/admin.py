from django.contrib import admin

from debitum.common.admin import AdministrationScopedAdmin, ReadOnlyAdminMixin

from .models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdminMixin, AdministrationScopedAdmin):
    """Import batches are written by the import service only; here they are evidence."""

    list_display = (
        "imported_at",
        "administration",
        "kind",
        "file_name",
        "row_count",
        "imported_by",
    )
    list_filter = ("kind", "administration")
    list_select_related = ("administration", "imported_by")
    search_fields = ("file_name", "sha256")
