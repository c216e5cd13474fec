"""Test data: administrations, users and memberships."""

from django.contrib.auth import get_user_model

from debitum.administrations.choices import DEFAULT_PAYMENT_REFERENCE_KIND
from debitum.administrations.models import Administration, Membership


def administration_factory(
    code: str = "ACME", *, country: str = "NL", currency: str = "EUR", **extra
) -> Administration:
    return Administration.objects.create(
        code=code,
        name=extra.pop("name", f"{code} B.V."),
        country=country,
        currency=currency,
        language=extra.pop("language", "nl"),
        payment_reference_kind=extra.pop(
            "payment_reference_kind", DEFAULT_PAYMENT_REFERENCE_KIND[country]
        ),
        **extra,
    )


def user_factory(username: str = "anna", *, password: str = "correct-horse-42", **extra):
    user = get_user_model()(username=username, **extra)
    user.set_password(password)
    user.save()
    return user


def membership_factory(user, administration, role: str = "controller") -> Membership:
    return Membership.objects.create(user=user, administration=administration, role=role)
