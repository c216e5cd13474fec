"""Test data for dunning: policies with ladders, as a manager would set them up."""

from __future__ import annotations

from decimal import Decimal

from debitum.dunning.models import Policy, Step

# (kind, day_offset, min_days_since_previous, channel, charges_fees, charges_interest,
#  needs_approval)
SIMPLE_LADDER = [
    ("reminder", 7, 0, "email", False, False, False),
    ("phone_call", 14, 5, "phone_task", False, False, False),
    ("demand", 21, 5, "letter", True, True, False),
]


def policy_factory(
    administration,
    *,
    segment: str = "normal",
    country: str = "NL",
    ladder=SIMPLE_LADDER,
    minimum_amount: Decimal = Decimal("0.00"),
    pay_within_days: int = 14,
) -> Policy:
    policy = Policy.objects.create(
        administration=administration,
        segment=segment,
        country=country,
        name=f"{country} {segment}",
        minimum_amount=minimum_amount,
        pay_within_days=pay_within_days,
    )
    for position, (kind, day, gap, channel, fees, interest, approval) in enumerate(ladder, start=1):
        Step.objects.create(
            administration=administration,
            policy=policy,
            position=position,
            kind=kind,
            name=kind.replace("_", " ").capitalize(),
            day_offset=day,
            min_days_since_previous=gap,
            channel=channel,
            charges_fees=fees,
            charges_interest=interest,
            needs_approval=approval,
            template=kind,
        )
    return policy
