"""Creating administrations, users and memberships; reserving payment references."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from debitum.audit.services import audit_record
from debitum.domain.money import MoneyError, check_currency
from debitum.domain.references import NL_BASE_MAX, OGM_BASE_MAX, RF_BODY_MAX, generate_many

from .choices import (
    DEFAULT_PAYMENT_REFERENCE_KIND,
    Country,
    Language,
    PaymentReferenceKind,
    Role,
)
from .models import Administration, Membership

# What letters and e-mails print about the administration (administration_create's letterhead).
LETTERHEAD_FIELDS = (
    "legal_name",
    "street",
    "postal_code",
    "city",
    "iban",
    "bic",
    "email",
    "phone",
    "vat_number",
    "registration_number",
    "website",
)
# What `administration_update` may change. The code, country and currency stay: the ledger,
# the law applied and the command line depend on them.
UPDATABLE_FIELDS = ("name", "language", *LETTERHEAD_FIELDS, "sepa_creditor_id")


def administration_create(
    *,
    code: str,
    name: str,
    country: str,
    currency: str = "EUR",
    language: str | None = None,
    payment_reference_kind: str | None = None,
    letterhead: dict[str, str] | None = None,
    sepa_creditor_id: str = "",
    actor=None,
) -> Administration:
    """A new administration. The code is the handle users type on the command line.

    The payment reference kind defaults to the country's own: ogm in Belgium, nl in the
    Netherlands. `letterhead` sets the fields of LETTERHEAD_FIELDS (legal name, address, IBAN,
    BIC, e-mail, phone, VAT and registration number, website); the IBAN is checked, and so is
    the SEPA creditor identifier (needed for direct debits).
    """
    letterhead = {field: value for field, value in (letterhead or {}).items() if value}
    unknown = set(letterhead) - set(LETTERHEAD_FIELDS)
    if unknown:
        raise ValueError(f"not letterhead fields: {', '.join(sorted(unknown))}")
    if Administration.objects.filter(code=code).exists():
        raise ValidationError({"code": f"administration {code!r} already exists"})
    if country not in Country.values:
        raise ValidationError({"country": f"country must be NL or BE, not {country!r}"})
    try:
        currency = check_currency(currency)
    except MoneyError as error:
        raise ValidationError({"currency": str(error)}) from None
    language = language or (Language.NL if country == Country.NL else Language.FR)
    payment_reference_kind = payment_reference_kind or DEFAULT_PAYMENT_REFERENCE_KIND[country]
    administration = Administration(
        code=code,
        name=name,
        country=country,
        currency=currency,
        language=language,
        payment_reference_kind=payment_reference_kind,
        sepa_creditor_id=sepa_creditor_id or "",
        **letterhead,
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
            changes={
                "country": country,
                "currency": currency,
                "language": language,
                "payment_reference_kind": payment_reference_kind,
                **letterhead,
                **(
                    {"sepa_creditor_id": administration.sepa_creditor_id}
                    if sepa_creditor_id
                    else {}
                ),
            },
        )
        # Every administration starts with a dunning ladder per segment and country.
        from debitum.dunning.policy_services import policies_install_defaults

        policies_install_defaults(administration=administration, actor=actor)
    return administration


def administration_update(
    *, administration: Administration, changes: dict[str, str], actor=None
) -> Administration:
    """Change the fields of UPDATABLE_FIELDS named in `changes` (an empty string clears one).

    Checked like a new administration (IBAN, BIC, creditor identifier); nothing is saved when a
    value is refused. The audit event holds each changed field's old and new value.
    """
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ValueError(f"administration_update cannot change: {', '.join(sorted(unknown))}")
    if changes.get("language") == "":
        raise ValidationError({"language": "an administration needs a language"})
    if changes.get("name") == "":
        raise ValidationError({"name": "an administration needs a name"})
    with transaction.atomic():
        locked = Administration.objects.select_for_update().get(pk=administration.pk)
        before = {field: getattr(locked, field) for field in changes}
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.full_clean()
        changed = {
            field: {"from": before[field], "to": getattr(locked, field)}
            for field in changes
            if getattr(locked, field) != before[field]
        }
        if changed:
            locked.save(update_fields=list(changed))
            audit_record(
                administration=locked,
                actor=actor,
                action="administration.update",
                obj=locked,
                summary=f"administration {locked.code} changed: {', '.join(changed)}",
                changes=changed,
            )
    for field in UPDATABLE_FIELDS:
        setattr(administration, field, getattr(locked, field))
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


# The largest number each kind can carry (domain.references.generate); RF could carry 21 digits,
# but the counter is a 64-bit integer column.
PAYMENT_REFERENCE_LIMIT = {
    PaymentReferenceKind.OGM: OGM_BASE_MAX,
    PaymentReferenceKind.NL: NL_BASE_MAX,
    PaymentReferenceKind.RF: min(10**RF_BODY_MAX, 2**63 - 1) - 1,
}


def payment_references_reserve(*, administration: Administration, count: int) -> list[str]:
    """`count` new payment references of the administration's kind, in their display form.

    The numbers come from the administration's counter, moved by one conditional UPDATE for the
    whole block (`next = next + count`), never read-then-write: the UPDATE takes the row lock
    (PostgreSQL) or the write lock (SQLite), so a concurrent import waits and then gets the
    numbers after ours. The references are therefore unique per administration, also when the
    kind changes later (the counter goes on). Called inside the caller's transaction, a rollback
    gives the numbers back; outside one, the block is its own transaction.

    Raises ValidationError when the administration prints no payment references (kind `none`)
    or when the block would run past what the kind can hold (OGM: ten digits).
    """
    if count < 0:
        raise ValueError(f"count must be 0 or more, not {count}")
    kind = administration.payment_reference_kind
    if kind == PaymentReferenceKind.NONE:
        raise ValidationError(
            {
                "payment_reference_kind": f"administration {administration.code} prints no "
                "payment references"
            }
        )
    if count == 0:
        return []
    limit = PAYMENT_REFERENCE_LIMIT[kind]
    with transaction.atomic():
        moved = Administration.objects.filter(
            pk=administration.pk, payment_reference_next__lte=limit - count + 1
        ).update(payment_reference_next=F("payment_reference_next") + count)
        if not moved:
            raise ValidationError(
                {
                    "payment_reference_next": f"administration {administration.code} has no "
                    f"{count} {kind} payment references left (the last number is {limit:,})"
                }
            )
        # Our own UPDATE holds the lock until commit, so this read sees exactly our block's end.
        after = Administration.objects.values_list("payment_reference_next", flat=True).get(
            pk=administration.pk
        )
    administration.payment_reference_next = after
    return generate_many(kind, after - count, count)


def payment_references_give_back(*, administration: Administration, count: int) -> None:
    """Give back the last `count` references of the block just reserved, unused, in the same
    transaction (which holds the counter's lock since that reservation, so the block is still
    the last one handed out): an import that reserved enough for the worst case returns the
    rest."""
    if count <= 0:
        return
    Administration.objects.filter(pk=administration.pk).update(
        payment_reference_next=F("payment_reference_next") - count
    )
    administration.payment_reference_next -= count
