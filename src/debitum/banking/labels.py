"""What the reconciliation pages say for the codes the matcher and the import store: the reason a
proposal rests on, in words, translated. The decision's `detail` stays as the matcher wrote it
(English, with the numbers); the interface leads with these."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

REASONS = {
    "reference": _("The payment reference of the invoice"),
    "reference_typo": _("A payment reference one character off, and the exact amount"),
    "invoice_number": _("The invoice number in the description"),
    "invoice_number_typo": _("An invoice number one character off, and the exact amount"),
    "iban": _("A known account of the customer; the invoices are a guess, oldest first"),
    "iban_amount": _("A known account of the customer, and the amount of an open invoice"),
    "iban_invoices": _("A known account of the customer, and the amount of open invoices"),
    "name": _("The payer's name is the customer's; the invoices are a guess, oldest first"),
    "name_amount": _("The payer's name, and the amount of an open invoice"),
    "name_invoices": _("The payer's name, and the amount of open invoices"),
    "refund": _("Money out to a customer's account: a refund?"),
    "none": _("No customer or invoice found"),
    "direct_debit": _("Our direct debit, collected"),
    "direct_debit_return": _("Our direct debit came back"),
    "credit_return": _("A payment received earlier went back to the payer"),
    "unknown_return": _("A return of a payment Debitum did not book"),
    "duplicate": _("The same movement came in an earlier file"),
    "debit": _("Money out: not a customer payment"),
    "manual": _("Decided by a person"),
}

# Reasons whose stored detail only says the same in English.
REASONS_WITHOUT_DETAIL = {"refund", "none", "debit", "duplicate", "manual"}


def reason_label(code: str) -> str:
    """The reason in words, or the code itself when it has none."""
    return str(REASONS.get(code, code))
