import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

# The report subtracts up to 90 days from the date; far-off years are typing errors anyway.
EARLIEST_DATE = dt.date(1900, 1, 1)


class ReportDateField(forms.DateField):
    """A date field whose error repeats what was typed, so the reader sees what to fix."""

    default_error_messages = {
        "invalid": _("“%(value)s” is not a date. Enter it as YYYY-MM-DD, for example 2025-03-31."),
    }

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None


class AgingFilterForm(forms.Form):
    """The filters of the aging page: which administration, at which date."""

    administration = forms.ChoiceField(label=_("Administration"))
    as_of = ReportDateField(
        label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, administrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administration"].choices = [
            (a.code, f"{a.code} · {a.name}") for a in administrations
        ]

    def clean_as_of(self) -> dt.date:
        as_of = self.cleaned_data["as_of"]
        if as_of < EARLIEST_DATE:
            raise forms.ValidationError(_("Choose a date after 1900."))
        return as_of
