"""Dunning policies in the back office: a manager edits the ladders of their administrations.

The ladder is checked as a whole when it is saved (domain.dunning.ladder_check): positions 1, 2,
3 ... without gaps, days that do not go back. A step that actions of past runs refer to cannot be
deleted: the inline says so and names the actions.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from debitum.common.admin import AdministrationScopedAdmin
from debitum.domain.dunning import DunningError, ladder_check
from debitum.domain.dunning import Step as LadderStep

from .models import MessageTemplate, Policy, Step

PARKED_OFFSET = 10_000  # positions are small; a parked step sits far above any real one


class StepForm(forms.ModelForm):
    class Meta:
        model = Step
        fields = (
            "position",
            "kind",
            "name",
            "day_offset",
            "min_days_since_previous",
            "channel",
            "charges_fees",
            "charges_interest",
            "needs_approval",
            "template",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].required = False
        self.fields["template"].help_text = _("default: the step's kind")

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("template") and cleaned_data.get("kind"):
            cleaned_data["template"] = cleaned_data["kind"]
            self.instance.template = cleaned_data["kind"]
        return cleaned_data


class StepFormSet(forms.BaseInlineFormSet):
    """Checks the ladder that the saved steps will form, all steps together."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        # Deleted rows are left out. (A step that actions refer to cannot be deleted: the admin's
        # inline refuses that itself, naming the actions.)
        kept = [
            form.cleaned_data
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not (self.can_delete and self._should_delete_form(form))
        ]
        try:
            ladder_check(
                LadderStep(
                    position=data["position"],
                    kind=data["kind"],
                    name=data["name"],
                    day_offset=data["day_offset"],
                    min_days_since_previous=data["min_days_since_previous"],
                    channel=data["channel"],
                )
                for data in kept
            )
        except DunningError as error:
            raise ValidationError(
                _("The ladder is not valid: %(error)s."), params={"error": error}
            ) from None


class StepInline(admin.TabularInline):
    model = Step
    form = StepForm
    formset = StepFormSet
    extra = 0
    ordering = ("position",)
    # The administration is the policy's; AdministrationScopedAdmin.save_formset sets it.
    fields = StepForm.Meta.fields


@admin.register(Policy)
class PolicyAdmin(AdministrationScopedAdmin):
    list_display = (
        "country",
        "segment",
        "name",
        "administration",
        "minimum_amount",
        "pay_within_days",
        "promise_grace_days",
        "is_active",
    )
    list_filter = ("country", "segment", "is_active", "administration")
    list_select_related = ("administration",)
    search_fields = ("name", "description")
    readonly_fields = ("updated_at",)
    inlines = (StepInline,)

    def save_formset(self, request, form, formset, change):
        if formset.model is Step:
            # Reordering swaps positions, which the unique (policy, position) would refuse
            # half-way: park the moved steps out of the way first (the admin's transaction holds).
            moved = [
                step_form.instance.pk
                for step_form in formset.forms
                if step_form.instance.pk is not None and "position" in step_form.changed_data
            ]
            if moved:
                Step.objects.filter(pk__in=moved).update(position=F("position") + PARKED_OFFSET)
        super().save_formset(request, form, formset, change)

    def get_readonly_fields(self, request, obj=None):
        # Moving a policy to another administration would leave its steps behind.
        if obj is not None:
            return ("administration", *self.readonly_fields)
        return self.readonly_fields


if not admin.site.is_registered(MessageTemplate):

    @admin.register(MessageTemplate)
    class MessageTemplateAdmin(AdministrationScopedAdmin):
        """The texts of letters and e-mails per template code and language (Django templates)."""

        list_display = ("code", "language", "subject", "administration", "updated_at")
        list_filter = ("language", "code", "administration")
        list_select_related = ("administration",)
        search_fields = ("code", "subject", "body")
        readonly_fields = ("updated_at",)
