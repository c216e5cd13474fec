"""The ledger in the back office. Allocations and write-offs are shown, not edited: they change
what is open, and a later issue adds proper actions for them (with reasons and audit)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from debitum.common.admin import AdministrationScopedAdmin, ReadOnlyAdminMixin
from debitum.common.templatetags.money import money

from .models import Allocation, Invoice, Payment, WriteOff


class AllocationInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Allocation
    fk_name = "invoice"
    extra = 0
    fields = ("allocation_date", "amount", "payment", "credit_note", "created_by", "created_at")
    verbose_name_plural = _("allocations (payments and credit notes applied)")


class CreditAllocationInline(AllocationInline):
    """What a credit note was applied to."""

    fk_name = "credit_note"
    fields = ("allocation_date", "amount", "invoice", "created_by", "created_at")
    verbose_name_plural = _("applied to invoices")


class PaymentAllocationInline(AllocationInline):
    fk_name = "payment"
    fields = ("allocation_date", "amount", "invoice", "created_by", "created_at")
    verbose_name_plural = _("applied to invoices")


class WriteOffInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = WriteOff
    extra = 0
    fields = ("write_off_date", "amount", "reason", "created_by", "created_at")


class LedgerAdmin(AdministrationScopedAdmin):
    # Newest first through the primary key index: a sort on a million rows has no other index.
    ordering = ("-id",)
    raw_id_fields = ("customer", "import_batch")

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, obj):
        return money(obj.amount)


@admin.register(Invoice)
class InvoiceAdmin(LedgerAdmin):
    list_display = (
        "number",
        "customer",
        "kind",
        "invoice_date",
        "due_date",
        "currency",
        "amount_display",
    )
    list_filter = ("kind", "administration")
    list_select_related = ("customer",)
    search_fields = ("number", "customer__number", "customer__name")
    readonly_fields = ("created_at",)

    def get_inlines(self, request, obj):
        # An invoice receives allocations; a credit note gives them.
        if obj is not None and obj.amount < 0:
            return (CreditAllocationInline, WriteOffInline)
        return (AllocationInline, WriteOffInline)


@admin.register(Payment)
class PaymentAdmin(LedgerAdmin):
    list_display = (
        "payment_date",
        "customer",
        "currency",
        "amount_display",
        "reference",
        "invoice_number",
    )
    list_filter = ("administration",)
    list_select_related = ("customer",)
    search_fields = ("reference", "invoice_number", "customer__number", "customer__name")
    readonly_fields = ("fingerprint", "created_at")
    inlines = (PaymentAllocationInline,)
