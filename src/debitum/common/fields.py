"""Model fields shared by the apps."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from debitum.domain.money import MoneyError, from_minor_units, to_minor_units


class MoneyField(models.BigIntegerField):
    """An amount in a currency with two decimals, stored as whole cents.

    Why cents: SQLite keeps DECIMAL columns as binary floating point, so SUM() over a million
    amounts drifts by cents. Integers add up exactly on SQLite and PostgreSQL alike, and the
    set-based reports can sum them in SQL. In Python the value is always a `Decimal`.
    Name the column `<field>_cents` (db_column) so that raw SQL reads right.
    """

    description = "Money amount (Decimal, stored as cents)"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return from_minor_units(int(value))

    def to_python(self, value):
        if value is None or isinstance(value, Decimal):
            return value
        try:
            return Decimal(str(value)).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise ValidationError(f"{value!r} is not an amount") from None

    def get_prep_value(self, value):
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = Decimal(value)
        if not isinstance(value, Decimal):
            value = self.to_python(value)
        try:
            return to_minor_units(value)
        except MoneyError as error:
            raise ValidationError(str(error)) from None

    def formfield(self, **kwargs):
        return forms.DecimalField(max_digits=18, decimal_places=2, **kwargs)


def cents(field_name: str) -> str:
    """The db column of a MoneyField, for raw SQL."""
    return f"{field_name}_cents"
