"""The forms of the actions on a customer, shared by the dossier and the work list's lines."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from debitum.customers.choices import Segment
from debitum.domain.plans import EVERY_CHOICES
from debitum.web.labels import choices, label


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _amount(label, required=True):
    return forms.DecimalField(
        label=label, max_digits=14, decimal_places=2, min_value=0, required=required, localize=True
    )


class CustomerForm(forms.Form):
    """A form about one customer; some choose among its invoices, disputes or actions."""

    def __init__(self, *args, customer, context=None, **kwargs):
        self.customer = customer
        self.context = context or {}
        super().__init__(*args, **kwargs)


class CallForm(CustomerForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=choices("outcome"))
    text = forms.CharField(
        label=_("What was said"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class NoteForm(CustomerForm):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class PromiseForm(CustomerForm):
    amount = _amount(_("Amount"))
    promised_date = forms.DateField(label=_("Paid by"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False)


class InvoiceChoiceMixin:
    def invoice_choices(self):
        return [
            (item.invoice.pk, f"{item.invoice.number} · {item.invoice.currency} {item.open_amount}")
            for item in self.context.get("open_items", [])
            if item.open_amount > 0 and item.invoice.kind == "invoice"
        ]


class DisputeForm(InvoiceChoiceMixin, CustomerForm):
    invoice = forms.TypedChoiceField(label=_("Invoice"), coerce=int)
    reason = forms.ChoiceField(label=_("Reason"), choices=choices("dispute_reason"))
    amount = _amount(_("Disputed amount (empty: all that is open)"), required=False)
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invoice"].choices = self.invoice_choices()


class DisputeResolveForm(CustomerForm):
    dispute = forms.TypedChoiceField(label=_("Dispute"), coerce=int)
    resolution = forms.ChoiceField(label=_("Resolution"), choices=choices("resolution"))
    credit_amount = _amount(_("Credit note amount (upheld only)"), required=False)
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dispute"].choices = [
            (dispute.pk, f"{dispute.invoice.number} · {label('dispute_reason', dispute.reason)}")
            for dispute in self.context.get("open_disputes", [])
        ]


class PlanForm(CustomerForm):
    instalments = forms.IntegerField(label=_("Instalments"), min_value=1, max_value=60, initial=3)
    first_date = forms.DateField(label=_("First instalment on"), widget=DateInput())
    every = forms.ChoiceField(
        label=_("Every"),
        choices=choices("plan_every", order=EVERY_CHOICES),
    )
    note = forms.CharField(label=_("Note"), required=False)


class PauseForm(CustomerForm):
    until = forms.DateField(label=_("Pause until"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"))


class SegmentForm(CustomerForm):
    segment = forms.ChoiceField(label=_("Segment"), choices=Segment.choices)
    reason = forms.CharField(label=_("Reason"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].initial = self.customer.segment


class EscalationForm(CustomerForm):
    reason = forms.CharField(label=_("Why escalate"), widget=forms.Textarea(attrs={"rows": 2}))


class ApprovalForm(CustomerForm):
    action = forms.TypedChoiceField(label=_("Step awaiting approval"), coerce=int)
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))]
    )
    reason = forms.CharField(label=_("Reason (when rejecting)"), required=False)
    pause_until = forms.DateField(
        label=_("Pause until (when rejecting)"), widget=DateInput(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [
            (action.pk, f"{action.step.name} · {action.currency} {action.principal}")
            for action in self.context.get("awaiting", [])
        ]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject":
            if not data.get("reason"):
                self.add_error("reason", _("Say why the step is rejected."))
            if not data.get("pause_until"):
                self.add_error("pause_until", _("Until when does dunning wait?"))
        return data


class WriteOffForm(InvoiceChoiceMixin, CustomerForm):
    invoice = forms.TypedChoiceField(label=_("Invoice"), coerce=int)
    amount = _amount(_("Amount"))
    reason = forms.CharField(label=_("Reason"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invoice"].choices = self.invoice_choices()


class AssignForm(forms.Form):
    collector = forms.TypedChoiceField(
        label=_("Collector"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, collectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collector"].choices = [("", _("Nobody"))] + [
            (user.pk, user.get_username()) for user in collectors
        ]
