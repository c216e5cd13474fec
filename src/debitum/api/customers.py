"""Customers: list (keyset pages), one by number, create or update by number (PUT) and update
(PATCH). Writes are checked by the customer importer's parsers and are idempotent."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from debitum.customers.models import Customer
from debitum.customers.services import customer_save

from .auth import administration_for, administration_for_write
from .errors import READ_ERRORS, WRITE_ERRORS
from .pagination import Page, page
from .schemas import BodyIn, BodyInt

router = Router(tags=["customers"])


class CustomerOut(Schema):
    number: str
    name: str
    customer_type: str
    segment: str
    risk_class: str
    country: str
    language: str
    email: str
    phone: str
    vat_number: str
    enterprise_number: str
    kvk_number: str
    iban: str
    payment_terms_days: int
    street: str
    postal_code: str
    city: str


class CustomerPage(Page):
    items: list[CustomerOut]


class CustomerIn(BodyIn):
    """The fields to set; a field left out keeps its stored value (a new customer: the
    administration's defaults). Checked as the customer import checks them."""

    name: str | None = Field(None, max_length=200)
    customer_type: str | None = Field(None, description="business or consumer")
    segment: str | None = Field(None, description="low, normal, high, strategic, intercompany, "
                                "consumer; default from the type and risk class")  # fmt: skip
    risk_class: str | None = Field(None, description="low, normal, high")
    country: str | None = Field(None, description="ISO 3166 two-letter code")
    language: str | None = Field(None, description="nl, fr, en")
    email: str | None = None
    phone: str | None = None
    vat_number: str | None = Field(None, description="NL…B01 or BE0…, checked")
    enterprise_number: str | None = Field(None, description="Belgian KBO/BCE number, checked")
    kvk_number: str | None = Field(None, description="Dutch KvK number (8 digits)")
    iban: str | None = Field(None, description="checked (mod 97)")
    payment_terms_days: BodyInt | None = Field(None, ge=0, le=365)
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "name": "Bakkerij De Korenschoof B.V.",
                    "country": "NL",
                    "language": "nl",
                    "vat_number": "NL004495445B01",
                    "kvk_number": "12345678",
                    "email": "boekhouding@korenschoof.example",
                    "payment_terms_days": 30,
                }
            ]
        }
    }


def _out(customer: Customer) -> dict:
    return {field: getattr(customer, field) for field in CustomerOut.model_fields}


def _values(body: CustomerIn) -> dict:
    return {
        field: (str(value) if field == "payment_terms_days" else value)
        for field, value in body.model_dump(exclude_unset=True).items()
        if value is not None
    }


@router.get("/{code}/customers", response={200: CustomerPage, **READ_ERRORS})
def customer_list(request, code: str, after: str | None = None, limit: int | None = None,
                  segment: str | None = None):  # fmt: skip
    """The administration's customers, ordered as created; filter by segment."""
    administration = administration_for(request, code)
    customers = Customer.objects.filter(administration=administration)
    if segment:
        customers = customers.filter(segment=segment)
    return page(customers, after=after, limit=limit, serialize=_out)


@router.get("/{code}/customers/{customer_number}", response={200: CustomerOut, **READ_ERRORS})
def customer_get(request, code: str, customer_number: str):
    administration = administration_for(request, code)
    return _out(get_object_or_404(Customer, administration=administration, number=customer_number))


@router.put(
    "/{code}/customers/{customer_number}",
    response={200: CustomerOut, 201: CustomerOut, **WRITE_ERRORS},
)
def customer_put(request, code: str, customer_number: str, body: CustomerIn):
    """Create customer `customer_number` (201; `name` required) or update the fields sent
    (200). Sending the same body again changes nothing. Role controller or higher."""
    administration = administration_for_write(request, code)
    customer, outcome = customer_save(
        administration=administration, number=customer_number, values=_values(body),
        actor=request.auth,
    )  # fmt: skip
    return Status(201 if outcome == "created" else 200, _out(customer))


@router.patch("/{code}/customers/{customer_number}", response={200: CustomerOut, **WRITE_ERRORS})
def customer_patch(request, code: str, customer_number: str, body: CustomerIn):
    """Update the fields sent of an existing customer (404 when there is none)."""
    administration = administration_for_write(request, code)
    get_object_or_404(Customer, administration=administration, number=customer_number)
    customer, _ = customer_save(
        administration=administration, number=customer_number, values=_values(body),
        create=False, actor=request.auth,
    )  # fmt: skip
    return _out(customer)
