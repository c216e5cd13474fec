"""Reads of promises to pay. Every function takes the administration."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from .models import Promise

DEFAULT_GRACE_DAYS = 3


def promise_grace_days(*, customer) -> int:
    """Days after a promised date before a promise counts as broken: the customer's dunning
    policy (by segment and country) says how many, else 3."""
    from debitum.dunning.models import Policy

    grace_days = (
        Policy.objects.filter(
            administration_id=customer.administration_id,
            segment=customer.segment,
            country=customer.country,
        )
        .values_list("promise_grace_days", flat=True)
        .first()
    )
    return DEFAULT_GRACE_DAYS if grace_days is None else grace_days


def promise_list(*, administration, status: str | None = None) -> QuerySet[Promise]:
    """The administration's promises, latest promised date first."""
    promises = Promise.objects.filter(administration=administration).select_related("customer")
    if status:
        promises = promises.filter(status=status)
    return promises.order_by("-promised_date", "-id")


def promise_get(*, administration, promise_id: int) -> Promise:
    """One promise of the administration; LookupError when it has none with that id."""
    try:
        return Promise.objects.select_related("customer").get(
            administration=administration, pk=promise_id
        )
    except Promise.DoesNotExist:
        raise LookupError(f"no promise {promise_id} in {administration.code}") from None


def customer_ids_with_broken_promise(*, administration, since: dt.date) -> set[int]:
    """Customers of the administration who broke a promise on or after `since`: their dunning
    resumes, and escalates faster."""
    return set(
        Promise.objects.filter(
            administration=administration, status="broken", closed_date__gte=since
        ).values_list("customer_id", flat=True)
    )
