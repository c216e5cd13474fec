"""Customers from CSV or XLSX: `customer_number, name` required; the rest optional.

A customer is found by its number. A new number creates the customer; an existing one is
updated where a column in the file says something else (each change in the audit trail); an
empty optional cell leaves the stored value alone.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from debitum.audit.services import audit_record
from debitum.common.bulk import bulk_insert, no_cyclic_gc
from debitum.customers.choices import CustomerType, RiskClass, Segment
from debitum.customers.models import Customer
from debitum.domain import identifiers

from . import fields
from .choices import ImportKind
from .errors import ErrorList
from .pipeline import (
    ImportResult,
    Progress,
    batch_finish,
    batch_record,
    no_progress,
    run_import,
)
from .readers import Table

REQUIRED = ("customer_number", "name")
OPTIONAL = (
    "type",
    "country",
    "language",
    "vat_number",
    "enterprise_number",
    "kvk_number",
    "iban",
    "payment_terms_days",
    "risk_class",
    "segment",
    "email",
    "phone",
    "street",
    "postal_code",
    "city",
)

TYPES = {
    "business": CustomerType.BUSINESS,
    "b2b": CustomerType.BUSINESS,
    "zakelijk": CustomerType.BUSINESS,
    "entreprise": CustomerType.BUSINESS,
    "consumer": CustomerType.CONSUMER,
    "b2c": CustomerType.CONSUMER,
    "particulier": CustomerType.CONSUMER,
    "consommateur": CustomerType.CONSUMER,
}
RISK_CLASSES = {value: value for value in RiskClass.values}
SEGMENTS = {value: value for value in Segment.values}
LANGUAGES = {"nl": "nl", "fr": "fr", "en": "en"}


def _country(value) -> str:
    code = fields.text(value).upper()
    if len(code) != 2 or not code.isalpha():
        raise ValueError(f"{fields.text(value)!r} is not a two-letter country code (NL, BE, ...)")
    return code


def _email(value) -> str:
    address = fields.text(value)
    try:
        validate_email(address)
    except ValidationError:
        raise ValueError(f"{address!r} is not an e-mail address") from None
    return address


def _limited(length: int):
    def parse(value) -> str:
        result = fields.text(value)
        if len(result) > length:
            raise ValueError(f"is longer than {length} characters")
        return result

    return parse


# column -> (model field, parser)
PARSERS = {
    "name": ("name", _limited(200)),
    "type": ("customer_type", lambda v: fields.choice(v, TYPES)),
    "country": ("country", _country),
    "language": ("language", lambda v: fields.choice(v, LANGUAGES)),
    "vat_number": ("vat_number", identifiers.vat_number),
    "enterprise_number": ("enterprise_number", identifiers.enterprise_number),
    "kvk_number": ("kvk_number", identifiers.kvk_number),
    "iban": ("iban", identifiers.iban),
    "payment_terms_days": ("payment_terms_days", lambda v: fields.whole_number(v, maximum=365)),
    "risk_class": ("risk_class", lambda v: fields.choice(v, RISK_CLASSES)),
    "segment": ("segment", lambda v: fields.choice(v, SEGMENTS)),
    "email": ("email", _email),
    "phone": ("phone", _limited(40)),
    "street": ("street", _limited(200)),
    "postal_code": ("postal_code", _limited(20)),
    "city": ("city", _limited(100)),
}
COLUMNS = (
    "administration_id",
    "number",
    "name",
    "customer_type",
    "country",
    "language",
    "vat_number",
    "enterprise_number",
    "kvk_number",
    "iban",
    "payment_terms_days",
    "risk_class",
    "segment",
    "email",
    "phone",
    "street",
    "postal_code",
    "city",
    "import_batch_id",
    "created_at",
    "updated_at",
)


def default_segment(customer_type: str, risk_class: str) -> str:
    """A new customer without a segment: consumers are dunned as consumers, businesses by
    their risk class."""
    return Segment.CONSUMER.value if customer_type == CustomerType.CONSUMER else risk_class


def customer_defaults(administration) -> dict:
    return {
        "name": "",
        "customer_type": CustomerType.BUSINESS.value,
        "country": administration.country,
        "language": administration.language,
        "vat_number": "",
        "enterprise_number": "",
        "kvk_number": "",
        "iban": "",
        "payment_terms_days": 30,
        "risk_class": RiskClass.NORMAL.value,
        "segment": Segment.NORMAL.value,
        "email": "",
        "phone": "",
        "street": "",
        "postal_code": "",
        "city": "",
    }


def parse_customers(
    table: Table, errors: ErrorList, progress: Progress
) -> dict[str, tuple[int, dict]]:
    """customer number -> (line, {field: value} for the cells that are filled)."""
    parsed: dict[str, tuple[int, dict]] = {}
    columns = [column for column in table.header if column in PARSERS]
    for index, (line, row) in enumerate(table.rows, start=1):
        number = fields.text(row.get("customer_number"))
        if not number:
            errors.add(line, "customer_number", "", "the customer number is empty")
            continue
        if len(number) > 50:
            errors.add(line, "customer_number", number, "is longer than 50 characters")
            continue
        values = {}
        for column in columns:
            raw = row.get(column)
            if raw is None or fields.text(raw) == "":
                if column == "name":
                    errors.add(line, "name", "", "the name is empty")
                continue
            field_name, parse = PARSERS[column]
            try:
                values[field_name] = parse(raw)
            except ValueError as error:
                errors.add(line, column, fields.text(raw), str(error))
        if number in parsed:
            errors.add(
                line,
                "customer_number",
                number,
                f"appears twice in the file (also on line {parsed[number][0]})",
            )
            continue
        parsed[number] = (line, values)
        if index % 10_000 == 0:
            progress("checking", index, table.row_count)
    progress("checking", table.row_count, table.row_count)
    return parsed


@no_cyclic_gc()
def customer_import(
    *,
    administration,
    table: Table,
    actor=None,
    progress: Progress = no_progress,
    dry_run: bool = False,
) -> ImportResult:
    """Import customers from `table` into `administration`, whole or not at all
    (`dry_run`: every check, then rolled back; nothing is written)."""
    return run_import(
        administration=administration,
        table=table,
        kind=ImportKind.CUSTOMERS,
        required=REQUIRED,
        optional=OPTIONAL,
        parse=lambda errors: parse_customers(table, errors, progress),
        write=lambda parsed, result, errors: _write(
            administration, table, parsed, result, errors, actor, progress
        ),
        dry_run=dry_run,
    )


def _write(
    administration,
    table: Table,
    parsed,
    result: ImportResult,
    errors: ErrorList,
    actor,
    progress: Progress,
) -> None:
    """The writing half, inside the import's transaction."""
    existing = (
        {
            customer.number: customer
            for customer in Customer.objects.filter(
                administration=administration, number__in=list(parsed)
            )
        }
        if len(parsed) < 5_000
        else {
            customer.number: customer
            for customer in Customer.objects.filter(administration=administration)
        }
    )
    batch = batch_record(
        administration=administration,
        kind=ImportKind.CUSTOMERS,
        table=table,
        actor=actor,
        result=result,
    )
    now = timezone.now()
    defaults = customer_defaults(administration)
    new_rows, changed = [], []
    for number, (_line, values) in parsed.items():
        customer = existing.get(number)
        if customer is None:
            row = {**defaults, **values}
            if "segment" not in values:
                row["segment"] = default_segment(row["customer_type"], row["risk_class"])
            new_rows.append(
                (
                    administration.pk,
                    number,
                    row["name"],
                    row["customer_type"],
                    row["country"],
                    row["language"],
                    row["vat_number"],
                    row["enterprise_number"],
                    row["kvk_number"],
                    row["iban"],
                    row["payment_terms_days"],
                    row["risk_class"],
                    row["segment"],
                    row["email"],
                    row["phone"],
                    row["street"],
                    row["postal_code"],
                    row["city"],
                    batch.pk,
                    now,
                    now,
                )
            )
            continue
        differences = {
            name: (getattr(customer, name), value)
            for name, value in values.items()
            if getattr(customer, name) != value
        }
        if differences:
            for name, (_, value) in differences.items():
                setattr(customer, name, value)
            customer.updated_at = now  # bulk_update skips auto_now
            changed.append((customer, differences))
    bulk_insert("customers_customer", COLUMNS, new_rows, row_count=len(new_rows))
    if changed:
        Customer.objects.bulk_update(
            [customer for customer, _ in changed],
            sorted({name for _, differences in changed for name in differences}) + ["updated_at"],
            batch_size=1000,
        )
        for customer, differences in changed:
            audit_record(
                administration=administration,
                actor=actor,
                action="customer.update",
                obj=customer,
                summary=f"customer {customer.number} updated by import of {table.file_name}",
                changes={name: [str(old), str(new)] for name, (old, new) in differences.items()},
            )
    result.created = {"customers": len(new_rows)}
    result.updated = len(changed)
    result.unchanged = len(parsed) - len(new_rows) - len(changed)
    batch_finish(batch=batch, administration=administration, actor=actor, result=result)
