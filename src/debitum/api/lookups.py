"""Rows a request body names by number: a number unknown in the administration (also one that
exists in another administration) is a validation error naming the field, never a hint."""

from __future__ import annotations

from debitum.customers.models import Customer
from debitum.ledger.models import Invoice

from .errors import ApiError


def _missing(field: str, what: str) -> ApiError:
    return ApiError(422, "validation_error", "the input is not valid", {field: [f"no {what}"]})


def body_customer(administration, number: str, *, field: str = "customer_number") -> Customer:
    customer = Customer.objects.filter(administration=administration, number=number).first()
    if customer is None:
        raise _missing(field, f"customer {number}")
    return customer


def body_invoice(administration, number: str, *, field: str = "invoice_number") -> Invoice:
    invoice = (
        Invoice.objects.select_related("customer", "administration")
        .filter(administration=administration, number=number)
        .first()
    )
    if invoice is None:
        raise _missing(field, f"invoice {number}")
    return invoice
