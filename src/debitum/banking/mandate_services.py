"""SEPA direct debit mandates: registered when the customer signed one, revoked when it ends.

A mandate is the customer's permission to collect from an account. `direct_debit_collect`
(debit_services) uses the active ones and moves their sequence type on: FRST becomes RCUR once
a collection went out, a one-off (OOFF) mandate ends after its one collection.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from schwifty import BIC
from schwifty.exceptions import SchwiftyException

from debitum.audit.services import audit_record
from debitum.domain.identifiers import IdentifierError
from debitum.domain.identifiers import iban as checked_iban
from debitum.domain.sepa import SepaError, sepa_identifier

from .choices import DirectDebitScheme, SequenceType
from .models import Mandate

# What a new mandate may start with; FNAL is for a collection, not for a mandate's start.
START_SEQUENCE_TYPES = (SequenceType.FIRST, SequenceType.RECURRING, SequenceType.ONE_OFF)


def _checked_bic(value: str) -> str:
    try:
        return str(BIC("".join(value.split()).upper()))
    except SchwiftyException as error:
        raise ValidationError({"bic": f"{value!r} is not a valid BIC: {error}"}) from None


def mandate_add(
    *,
    customer,
    mandate_id: str,
    signature_date: dt.date,
    iban: str,
    bic: str = "",
    scheme: str = DirectDebitScheme.CORE,
    sequence_type: str = SequenceType.FIRST,
    actor=None,
) -> Mandate:
    """Register a mandate `customer` signed on `signature_date` for the account `iban`.

    The mandate id (the unique mandate reference printed on the form) must be new in the
    administration and fit the SEPA identifier rules; the IBAN is checked (schwifty), and the
    BIC when given. B2B mandates are for businesses only (SDD B2B rulebook: the debtor is not a
    consumer). A customer has one active mandate at a time: revoke the old one first.
    Raises ValidationError naming the field.
    """
    administration_id = customer.administration_id
    try:
        mandate_id = sepa_identifier(mandate_id, "mandate id")
    except SepaError as error:
        raise ValidationError({"mandate_id": str(error)}) from None
    try:
        iban = checked_iban(iban)
    except IdentifierError as error:
        raise ValidationError({"iban": str(error)}) from None
    bic = _checked_bic(bic) if bic else ""
    if scheme not in DirectDebitScheme.values:
        raise ValidationError({"scheme": f"scheme must be CORE or B2B, not {scheme!r}"})
    if sequence_type not in START_SEQUENCE_TYPES:
        raise ValidationError(
            {"sequence_type": f"a mandate starts as FRST, RCUR or OOFF, not {sequence_type!r}"}
        )
    if scheme == DirectDebitScheme.B2B and customer.customer_type == "consumer":
        raise ValidationError(
            {"scheme": f"customer {customer.number} is a consumer: B2B mandates are for businesses"}
        )
    if Mandate.objects.filter(administration_id=administration_id, mandate_id=mandate_id).exists():
        raise ValidationError({"mandate_id": f"mandate {mandate_id!r} already exists"})
    active = Mandate.objects.filter(
        administration_id=administration_id, customer=customer, is_active=True
    ).first()
    if active is not None:
        raise ValidationError(
            {
                "customer": f"customer {customer.number} already has active mandate "
                f"{active.mandate_id}: revoke it first"
            }
        )
    mandate = Mandate(
        administration_id=administration_id,
        customer=customer,
        mandate_id=mandate_id,
        signature_date=signature_date,
        iban=iban,
        bic=bic,
        scheme=scheme,
        sequence_type=sequence_type,
    )
    try:
        with transaction.atomic():
            mandate.save()
            audit_record(
                administration=customer.administration,
                actor=actor,
                action="mandate.add",
                obj=mandate,
                summary=f"mandate {mandate_id} of {customer.number} registered ({scheme}, "
                f"{sequence_type})",
                changes={
                    "customer": customer.number,
                    "signature_date": signature_date.isoformat(),
                    "iban": iban,
                    "bic": bic,
                    "scheme": scheme,
                    "sequence_type": sequence_type,
                },
            )
    except IntegrityError:
        # Another process registered the same mandate id in between (mandate_id_unique).
        raise ValidationError({"mandate_id": f"mandate {mandate_id!r} already exists"}) from None
    return mandate


def mandate_revoke(*, mandate: Mandate, reason: str = "", actor=None) -> Mandate:
    """End a mandate: no further collections use it. Collections already in a file stay."""
    with transaction.atomic():
        moved = Mandate.objects.filter(pk=mandate.pk, is_active=True).update(is_active=False)
        if not moved:
            raise ValidationError({"mandate_id": f"mandate {mandate.mandate_id} is not active"})
        mandate.is_active = False
        audit_record(
            administration=mandate.customer.administration,
            actor=actor,
            action="mandate.revoke",
            obj=mandate,
            summary=f"mandate {mandate.mandate_id} of {mandate.customer.number} revoked",
            changes={"is_active": False},
            reason=reason,
        )
    return mandate
