from django import forms
from django.contrib import admin

from .models import StatutoryRate
from .services import statutory_rate_add, statutory_rate_check


class StatutoryRateForm(forms.ModelForm):
    class Meta:
        model = StatutoryRate
        fields = ["regime", "start_date", "end_date", "rate", "source"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            statutory_rate_check(
                regime=data["regime"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                rate=data["rate"],
                source=data["source"],
            )
        return data


@admin.register(StatutoryRate)
class StatutoryRateAdmin(admin.ModelAdmin):
    """Statutory rates are law for every administration: only superusers add or remove them.

    A rate is not edited: a wrong row is deleted and added again, so that the check against the
    shipped table and the other rows runs every time.
    """

    form = StatutoryRateForm
    list_display = ["regime", "start_date", "end_date", "rate", "source", "created_at"]
    list_filter = ["regime"]

    def _superuser(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self._superuser(request)

    def has_view_permission(self, request, obj=None):
        return self._superuser(request)

    def has_add_permission(self, request):
        return self._superuser(request)

    def has_delete_permission(self, request, obj=None):
        return self._superuser(request)

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Through the service, so that the addition is checked under a lock and audited.
        added = statutory_rate_add(
            regime=obj.regime,
            start_date=obj.start_date,
            end_date=obj.end_date,
            rate=obj.rate,
            source=obj.source,
            actor=request.user,
        )
        obj.pk, obj.created_at, obj.created_by = added.pk, added.created_at, added.created_by
