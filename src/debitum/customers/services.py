"""Writing customers one at a time (the API; the importer writes them in bulk)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from debitum.audit.services import audit_record

from .models import Customer


def customer_values_parse(values: dict) -> dict:
    """Field -> stored value, checked by the customer importer's parsers (VAT, KvK, KBO, IBAN,
    country, e-mail, ...). Raises ValidationError naming every field that is wrong. Empty
    text clears a field that may be empty (e-mail, phone, VAT number, IBAN, address, ...);
    the name, type, country, language, risk class and segment always have a value, so for
    them it is checked, and refused, like any other text."""
    from debitum.imports.customer_import import PARSERS

    by_field = {field: parse for field, parse in PARSERS.values()}
    parsed, errors = {}, {}
    for field, raw in values.items():
        if field not in by_field:
            errors[field] = ["is not a customer field"]
            continue
        if raw is None:
            continue
        if isinstance(raw, str) and not raw.strip() and Customer._meta.get_field(field).blank:
            parsed[field] = ""
            continue
        try:
            parsed[field] = by_field[field](raw)
        except ValueError as error:
            errors[field] = [str(error)]
    if "name" in parsed and not parsed["name"]:
        errors["name"] = ["the name is empty"]
    if errors:
        raise ValidationError(errors)
    return parsed


def customer_save(
    *, administration, number: str, values: dict, create: bool = True, actor=None
) -> tuple[Customer, str]:
    """Create customer `number` with `values` or update the fields `values` names, as the
    importer does: the same values twice change nothing. Returns the customer and what
    happened: "created", "updated" or "unchanged". With `create=False` a missing customer is a
    LookupError. Each creation and change is in the audit trail."""
    from debitum.imports.customer_import import customer_defaults, default_segment

    number = (number or "").strip()
    if not number or len(number) > 50:
        raise ValidationError({"number": ["a customer number has 1 to 50 characters"]})
    parsed = customer_values_parse(values)
    with transaction.atomic():
        customer = (
            Customer.objects.select_for_update()
            .filter(administration=administration, number=number)
            .first()
        )
        if customer is None:
            if not create:
                raise LookupError(f"no customer {number}")
            if not parsed.get("name"):
                raise ValidationError({"name": ["a new customer needs a name"]})
            row = {**customer_defaults(administration), **parsed}
            if "segment" not in parsed:
                row["segment"] = default_segment(row["customer_type"], row["risk_class"])
            try:
                with transaction.atomic():
                    customer = Customer.objects.create(
                        administration=administration, number=number, **row
                    )
            except IntegrityError:
                # Created by a concurrent request between our read and insert: update that one.
                return customer_save(
                    administration=administration, number=number, values=values, actor=actor
                )
            audit_record(
                administration=administration,
                actor=actor,
                action="customer.create",
                obj=customer,
                summary=f"customer {number} created",
            )
            return customer, "created"
        differences = {
            field: (getattr(customer, field), value)
            for field, value in parsed.items()
            if getattr(customer, field) != value
        }
        if not differences:
            return customer, "unchanged"
        for field, (_, value) in differences.items():
            setattr(customer, field, value)
        customer.save(update_fields=[*differences, "updated_at"])
        audit_record(
            administration=administration,
            actor=actor,
            action="customer.update",
            obj=customer,
            summary=f"customer {number} updated",
            changes={field: [str(old), str(new)] for field, (old, new) in differences.items()},
        )
        return customer, "updated"
