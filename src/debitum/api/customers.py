"""Customers: list (keyset pages) and one by number."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from debitum.customers.models import Customer

from .auth import administration_for
from .pagination import Page, page

router = Router(tags=["customers"])


class CustomerOut(Schema):
    number: str
    name: str
    customer_type: str
    segment: str
    country: str
    language: str
    email: str
    vat_number: str
    payment_terms_days: int


class CustomerPage(Page):
    items: list[CustomerOut]


def _out(customer: Customer) -> dict:
    return {field: getattr(customer, field) for field in CustomerOut.model_fields}


@router.get("/{code}/customers", response=CustomerPage)
def customer_list(request, code: str, after: str | None = None, limit: int | None = None,
                  segment: str | None = None):  # fmt: skip
    """The administration's customers, ordered as created; filter by segment."""
    administration = administration_for(request, code)
    customers = Customer.objects.filter(administration=administration)
    if segment:
        customers = customers.filter(segment=segment)
    return page(customers, after=after, limit=limit, serialize=_out)


@router.get("/{code}/customers/{number}", response=CustomerOut)
def customer_get(request, code: str, number: str):
    administration = administration_for(request, code)
    return _out(get_object_or_404(Customer, administration=administration, number=number))
