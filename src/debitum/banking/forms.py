"""The forms of the reconciliation queue and the statement upload.

The split form checks what a person can get wrong (a customer or invoice that does not exist,
another customer's invoice, more than is open or than the entry holds) so that the error is
shown in the reader's language next to its line; `entry_confirm` checks the same again under
its lock, and its word is final.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from debitum.common.templatetags.money import money
from debitum.customers.models import Customer
from debitum.imports.uploads import max_upload_bytes

from .queue_selectors import customer_open_invoices, invoices_open_by_number

# CSV presets of `banking.formats` (docs/banking/statement-formats.md); the other formats are
# recognised from the file itself.
CSV_PRESETS = [
    ("", gettext_lazy("Recognise the format (camt.053/054, MT940, CODA)")),
    ("ing-nl", gettext_lazy("CSV of ING (Netherlands)")),
    ("rabobank", gettext_lazy("CSV of Rabobank")),
]
MAX_SPLIT_LINES = 30
EXTRA_SPLIT_LINES = 2


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Bank file"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xml,.053,.054,.940,.sta,.swi,.txt,.cod,.coda,.csv"}
        ),
    )
    mapping = forms.ChoiceField(label=gettext_lazy("Format"), choices=CSV_PRESETS, required=False)

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if uploaded.size > limit:
            raise forms.ValidationError(
                _(
                    "The file is %(size)s; the limit is %(limit)s. Split it, or import it on the "
                    "server with debitum import statement."
                )
                % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)}
            )
        return uploaded


class IgnoreForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("e.g. transfer between own accounts")}
        ),
    )


class SplitForm(forms.Form):
    """Apply an entry to invoices of a customer, with an amount for each (empty: what is open,
    as far as the entry goes). No invoice at all: the money goes on the customer's account."""

    customer = forms.CharField(label=gettext_lazy("Customer number"), max_length=50)
    rows = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, max_value=MAX_SPLIT_LINES, required=False
    )

    def __init__(self, data=None, *, administration, line, initial=None, rows=None):
        self.administration = administration
        self.line = line
        self.entry = line.entry
        if data is not None:
            rows = _int(data.get("rows"), 0)
        elif rows is None:
            rows = len((initial or {}).get("lines", ())) + EXTRA_SPLIT_LINES
        # Money out is a refund: it is booked on the customer's account, never on invoices.
        self.row_count = 0 if self.entry.amount < 0 else max(0, min(rows, MAX_SPLIT_LINES))
        flat = dict(initial or {})
        for index, (number, amount) in enumerate(flat.pop("lines", ())):
            flat[f"invoice_{index}"] = number
            flat[f"amount_{index}"] = amount
        flat["rows"] = self.row_count
        super().__init__(data, initial=flat)
        for index in range(self.row_count):
            self.fields[f"invoice_{index}"] = forms.CharField(
                label=gettext_lazy("Invoice"), max_length=50, required=False
            )
            self.fields[f"amount_{index}"] = forms.DecimalField(
                label=gettext_lazy("Amount"),
                required=False,
                localize=True,
                max_digits=14,
                decimal_places=2,
                min_value=Decimal("0.01"),
            )
        self.chosen_customer = None
        self.allocations: list[tuple[str, Decimal | None]] = []
        self._found = None

    # --- what the template shows -----------------------------------------------------------

    def _value(self, name: str) -> str:
        if self.is_bound:
            return (self.data.get(name) or "").strip()
        value = self.initial.get(name)
        return "" if value is None else str(value).strip()

    def customer_number(self) -> str:
        return self._value("customer")

    def _open_by_number(self):
        if self._found is None:
            numbers = [self._value(f"invoice_{index}") for index in range(self.row_count)]
            self._found = invoices_open_by_number(
                administration=self.administration, numbers=numbers
            )
        return self._found

    def lines(self) -> list[dict]:
        """The invoice lines with, for each invoice named, what is open on it now."""
        found = self._open_by_number()
        out = []
        for index in range(self.row_count):
            number = self._value(f"invoice_{index}")
            invoice, open_now = found.get(number, (None, None))
            out.append(
                {
                    "invoice": self[f"invoice_{index}"],
                    "amount": self[f"amount_{index}"],
                    "due_date": invoice.due_date if invoice else None,
                    "open_amount": open_now,
                    "is_known": invoice is not None,
                }
            )
        return out

    def customer_invoices(self):
        """What is open for the customer named, to choose from."""
        number = self.customer_number()
        customer = (
            Customer.objects.filter(administration=self.administration, number=number).first()
            if number
            else None
        )
        if customer is None:
            return None, []
        return customer, customer_open_invoices(
            administration=self.administration, customer=customer, currency=self.entry.currency
        )

    # --- checks ----------------------------------------------------------------------------

    def clean(self):
        data = super().clean()
        number = (data.get("customer") or "").strip()
        if not number:
            return data
        customer = Customer.objects.filter(
            administration=self.administration, number=number
        ).first()
        if customer is None:
            self.add_error("customer", _("There is no customer %(number)s.") % {"number": number})
            return data
        self.chosen_customer = customer
        lines, seen = [], set()
        for index in range(self.row_count):
            invoice_number = (data.get(f"invoice_{index}") or "").strip()
            amount = data.get(f"amount_{index}")
            if not invoice_number:
                if amount is not None:
                    self.add_error(f"invoice_{index}", _("Name the invoice of this amount."))
                continue
            if invoice_number in seen:
                self.add_error(f"invoice_{index}", _("This invoice is named twice."))
                continue
            seen.add(invoice_number)
            lines.append((index, invoice_number, amount))
        decision = self.line.decision
        if not lines and customer.pk == decision.customer_id and decision.invoices:
            # entry_confirm reads no invoices as "the proposal" for the proposal's customer.
            self.add_error(None, _("Name the invoices to pay, or confirm the proposal."))
            return data
        self._check_amounts(customer, lines)
        self.allocations = [(invoice_number, amount) for _index, invoice_number, amount in lines]
        return data

    def _check_amounts(self, customer, lines) -> None:
        found = self._open_by_number()
        entry = self.entry
        left = entry.amount
        for index, invoice_number, amount in lines:
            field = f"invoice_{index}"
            invoice, open_now = found.get(invoice_number, (None, None))
            if invoice is None:
                self.add_error(
                    field, _("There is no invoice %(number)s.") % {"number": invoice_number}
                )
                continue
            if invoice.customer_id != customer.pk:
                self.add_error(
                    field,
                    _("Invoice %(invoice)s is not of customer %(customer)s.")
                    % {"invoice": invoice_number, "customer": customer.number},
                )
                continue
            if invoice.currency != entry.currency:
                self.add_error(
                    field,
                    _("Invoice %(invoice)s is in %(currency)s.")
                    % {"invoice": invoice_number, "currency": invoice.currency},
                )
                continue
            applied = min(open_now, left) if amount is None else amount
            if open_now <= 0:
                self.add_error(
                    field,
                    _("Nothing is open on invoice %(invoice)s.") % {"invoice": invoice_number},
                )
            elif amount is not None and amount > open_now:
                self.add_error(
                    f"amount_{index}",
                    _("Only %(open)s is open on invoice %(invoice)s.")
                    % {"open": money(open_now), "invoice": invoice_number},
                )
            elif applied <= 0:
                self.add_error(
                    f"amount_{index}",
                    _("Nothing of the entry is left for invoice %(invoice)s.")
                    % {"invoice": invoice_number},
                )
            elif applied > left:
                self.add_error(
                    f"amount_{index}",
                    _(
                        "The entry is %(entry)s: %(amount)s on %(invoice)s is more than is left of it."
                    )
                    % {
                        "entry": money(entry.amount),
                        "amount": money(applied),
                        "invoice": invoice_number,
                    },
                )
            else:
                left -= applied


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
