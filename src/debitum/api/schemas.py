"""What every request body and date of the API shares: input is taken as the OpenAPI document
describes it, not as pydantic's lax mode would bend it.

Lax pydantic reads a number as a date (seconds since 1970: `?as_of=0` was 1 January 1970),
`false` as the integer 0, "yes" as true, and a JSON list as an object with every field left at
its default (`[]` posted to the dunning runs ran one). Here a date is a `YYYY-MM-DD` string, a body
integer or boolean is a JSON integer or boolean, and a body is a JSON object."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import BeforeValidator, Field, model_validator

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value):
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value  # pydantic checks that the day exists
    raise ValueError("a date is written YYYY-MM-DD")


# A date in a query, a path or a body: only the ISO form (the schema's `format: date`).
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
# An integer or a boolean in a JSON body: only a JSON integer or boolean, never "5" or true.
BodyInt = Annotated[int, Field(strict=True)]
BodyBool = Annotated[bool, Field(strict=True)]


class BodyIn(Schema):
    """A request body: a JSON object (a list or a bare value is a validation error)."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data):
        raw = data._obj if isinstance(data, DjangoGetter) else data
        if not isinstance(raw, dict):
            raise ValueError("the body is a JSON object")
        return data
