"""The one rule of the back office: a staff user sees the administrations they are a member of.

Every ModelAdmin of tenant data mixes in `AdministrationScopedAdmin`. It scopes the change list,
the change form's foreign key choices, the administration filter in the sidebar, and refuses a
form that ties rows of two administrations together. Superusers see everything: they installed
Debitum and hold the database anyway.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from debitum.administrations.models import Administration, Membership
from debitum.audit.services import audit_record


def visible_administration_ids(user) -> models.QuerySet | None:
    """A subquery of the administration ids `user` may see in the back office, or None for all."""
    if user.is_superuser:
        return None
    return Membership.objects.filter(user=user).values("administration_id")


def _is_tenant_model(model) -> bool:
    return any(field.name == "administration" for field in model._meta.concrete_fields)


class AdministrationListFilter(admin.RelatedFieldListFilter):
    """The sidebar filter on administration, listing only the visible administrations (the
    stock filter lists every row of the related table, which would name other tenants)."""

    def field_choices(self, field, request, model_admin):
        ids = visible_administration_ids(request.user)
        limit = {} if ids is None else {"pk__in": ids}
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, limit_choices_to=limit, ordering=ordering)


class AdministrationScopedForm(forms.ModelForm):
    """Refuses a row that points to a row of another administration (an invoice of tenant A
    for a customer of tenant B): the database cannot check that across tables."""

    def clean(self):
        cleaned_data = super().clean()
        administration = cleaned_data.get("administration") or getattr(
            self.instance, "administration", None
        )
        if administration is None:
            return cleaned_data
        for name, value in list(cleaned_data.items()):
            if name == "administration" or not isinstance(value, models.Model):
                continue
            if getattr(value, "administration_id", administration.pk) != administration.pk:
                self.add_error(name, _("This belongs to another administration."))
        return cleaned_data


class AdministrationScopedAdmin(admin.ModelAdmin):
    """Base of every ModelAdmin for tenant data.

    `administration_lookup` is the path from the model to its administration id ("pk" for the
    Administration model itself). Changes made here bypass the services, so they are written
    to the audit trail here.
    """

    administration_lookup = "administration"
    form = AdministrationScopedForm
    # Tables hold up to a million rows: no second COUNT(*) over the unfiltered table.
    show_full_result_count = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = visible_administration_ids(request.user)
        if ids is None:
            return queryset
        return queryset.filter(**{f"{self.administration_lookup}__in": ids})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = visible_administration_ids(request.user)
        related = db_field.related_model
        if ids is not None and related is Administration:
            kwargs["queryset"] = Administration.objects.filter(pk__in=ids)
        elif ids is not None and _is_tenant_model(related):
            kwargs["queryset"] = related._default_manager.filter(administration__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_filter(self, request):
        # Swap the stock related filter for the scoped one wherever "administration" is listed.
        return [
            ("administration", AdministrationListFilter) if entry == "administration" else entry
            for entry in super().get_list_filter(request)
        ]

    _PAST_TENSE = {"create": "created", "change": "changed", "delete": "deleted"}

    def _audit(self, request, obj, action: str, changes: dict) -> None:
        administration = (
            obj if isinstance(obj, Administration) else getattr(obj, "administration", None)
        )
        audit_record(
            administration=administration,
            actor=request.user,
            action=f"{obj._meta.model_name}.{action}",
            obj=obj,
            summary=f"{obj._meta.verbose_name} {obj} {self._PAST_TENSE[action]} in the back office",
            changes=changes,
        )

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            changes = {name: str(form.cleaned_data.get(name)) for name in form.changed_data}
            self._audit(request, obj, "change" if change else "create", changes)

    def save_formset(self, request, form, formset, change):
        # Inline rows leave out their administration: it is always the parent's.
        parent_administration_id = getattr(form.instance, "administration_id", None)
        for inline_form in formset.forms:
            instance = inline_form.instance
            if (
                instance.pk is None
                and _is_tenant_model(type(instance))
                and not instance.administration_id
            ):
                instance.administration_id = parent_administration_id
        with transaction.atomic():
            for inline_form in formset.deleted_forms:
                if inline_form.instance.pk is not None:
                    self._audit(request, inline_form.instance, "delete", {})
            super().save_formset(request, form, formset, change)
            for obj in formset.new_objects:
                self._audit(request, obj, "create", {})
            for obj, changed_fields in formset.changed_objects:
                changes = {name: str(getattr(obj, name)) for name in changed_fields}
                self._audit(request, obj, "change", changes)

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._audit(request, obj, "delete", {})
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self._audit(request, obj, "delete", {})
            super().delete_queryset(request, queryset)


class ReadOnlyAdminMixin:
    """For rows that only a service may write (the audit trail, import batches) and for
    inlines shown for reference."""

    def get_readonly_fields(self, request, obj=None):
        # Every field shown as text (a non-editable field like created_at cannot be in a form).
        return self.fields or [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
