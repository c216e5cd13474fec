"""Creating administrations, users and memberships."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from debitum.audit.services import audit_record
from debitum.domain.money import MoneyError, check_currency

from .choices import Country, Language, Role
from .models import Administration, Membership


def administration_create(
    *,
    code: str,
    name: str,
    country: str,
    currency: str = "EUR",
    language: str | None = None,
    actor=None,
) -> Administration:
    """A new administration. The code is the handle users type on the command line."""
    if Administration.objects.filter(code=code).exists():
        raise ValidationError({"code": f"administration {code!r} already exists"})
    if country not in Country.values:
        raise ValidationError({"country": f"country must be NL or BE, not {country!r}"})
    try:
        currency = check_currency(currency)
    except MoneyError as error:
        raise ValidationError({"currency": str(error)}) from None
    language = language or (Language.NL if country == Country.NL else Language.FR)
    administration = Administration(
        code=code, name=name, country=country, currency=currency, language=language
    )
    administration.full_clean()
    with transaction.atomic():
        administration.save()
        audit_record(
            administration=administration,
            actor=actor,
            action="administration.create",
            obj=administration,
            summary=f"administration {code} {name} created",
            changes={"country": country, "currency": currency, "language": language},
        )
    return administration


def user_create(
    *,
    username: str,
    password: str,
    email: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
):
    """A new user. The password must pass the configured validators."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"user {username!r} already exists"})
    user = User(
        username=username, email=email, is_staff=is_staff or is_superuser, is_superuser=is_superuser
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def membership_grant(*, user, administration: Administration, role: str, actor=None) -> Membership:
    """Give `user` the `role` in `administration` (replacing a previous role there)."""
    if role not in Role.values:
        raise ValidationError(
            {"role": f"role must be one of {', '.join(Role.values)}, not {role!r}"}
        )
    with transaction.atomic():
        membership, created = Membership.objects.update_or_create(
            administration=administration, user=user, defaults={"role": role}
        )
        audit_record(
            administration=administration,
            actor=actor,
            action="membership.grant",
            obj=membership,
            summary=f"{user.get_username()} is {role} in {administration.code}",
            changes={"role": role, "created": created},
        )
    return membership
