"""Test data: customers."""

from debitum.customers.models import Customer


def customer_factory(administration, number: str = "C001", **extra) -> Customer:
    return Customer.objects.create(
        administration=administration,
        number=number,
        name=extra.pop("name", f"Customer {number}"),
        **extra,
    )
