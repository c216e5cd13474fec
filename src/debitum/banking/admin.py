from django.contrib import admin

from debitum.common.admin import (
    AdministrationScopedAdmin,
    AdministrationScopedForm,
    ReadOnlyAdminMixin,
)
from debitum.domain.identifiers import IdentifierError
from debitum.domain.identifiers import iban as checked_iban
from debitum.domain.sepa import SepaError, sepa_identifier

from .mandate_services import START_SEQUENCE_TYPES
from .models import DirectDebitBatch, DirectDebitItem, Mandate


class MandateForm(AdministrationScopedForm):
    """The checks of `mandate_add` for a mandate typed in the back office."""

    class Meta:
        model = Mandate
        fields = "__all__"

    def clean_mandate_id(self):
        try:
            return sepa_identifier(self.cleaned_data["mandate_id"], "mandate id")
        except SepaError as error:
            raise self.error_class([str(error)]) from None

    def clean_iban(self):
        try:
            return checked_iban(self.cleaned_data["iban"])
        except IdentifierError as error:
            raise self.error_class([str(error)]) from None

    def clean_bic(self):
        from schwifty import BIC
        from schwifty.exceptions import SchwiftyException

        value = "".join(self.cleaned_data.get("bic", "").split()).upper()
        if not value:
            return ""
        try:
            return str(BIC(value))
        except SchwiftyException as error:
            raise self.error_class([f"{value!r} is not a valid BIC: {error}"]) from None

    def clean(self):
        cleaned_data = super().clean()
        customer = cleaned_data.get("customer")
        if (
            cleaned_data.get("scheme") == "B2B"
            and customer is not None
            and customer.customer_type == "consumer"
        ):
            self.add_error("scheme", "B2B mandates are for businesses, not consumers.")
        sequence_type = cleaned_data.get("sequence_type")
        if self.instance.pk is None and sequence_type and sequence_type not in START_SEQUENCE_TYPES:
            self.add_error("sequence_type", "A new mandate starts as FRST, RCUR or OOFF.")
        return cleaned_data


@admin.register(Mandate)
class MandateAdmin(AdministrationScopedAdmin):
    form = MandateForm
    list_display = (
        "mandate_id",
        "customer",
        "administration",
        "iban",
        "scheme",
        "sequence_type",
        "signature_date",
        "is_active",
    )
    list_filter = ("administration", "scheme", "sequence_type", "is_active")
    list_select_related = ("customer", "administration")
    search_fields = ("mandate_id", "iban", "customer__number", "customer__name")
    raw_id_fields = ("customer",)
    readonly_fields = ("created_at",)


class DirectDebitItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DirectDebitItem
    fields = (
        "end_to_end_id",
        "invoice",
        "mandate",
        "sequence_type",
        "amount",
        "status",
        "return_reason",
    )
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(DirectDebitBatch)
class DirectDebitBatchAdmin(ReadOnlyAdminMixin, AdministrationScopedAdmin):
    """Written by `debitum sepa collect` only: the file at the bank and these rows agree."""

    list_display = (
        "message_id",
        "administration",
        "collection_date",
        "scheme",
        "schema",
        "item_count",
        "total",
        "created_at",
    )
    list_filter = ("administration", "scheme", "collection_date")
    search_fields = ("message_id", "file_path")
    inlines = (DirectDebitItemInline,)


@admin.register(DirectDebitItem)
class DirectDebitItemAdmin(ReadOnlyAdminMixin, AdministrationScopedAdmin):
    list_display = (
        "end_to_end_id",
        "administration",
        "invoice",
        "mandate",
        "sequence_type",
        "amount",
        "status",
        "return_reason",
    )
    list_filter = ("administration", "status", "sequence_type")
    list_select_related = ("administration", "invoice", "mandate")
    search_fields = ("end_to_end_id", "invoice__number", "mandate__mandate_id")
