"""Which administrations a user may see, and with which role."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .choices import ROLE_RANK, Role
from .models import Administration, Membership


def administration_list_for_user(*, user) -> QuerySet[Administration]:
    """The administrations `user` is a member of. Superusers are members of nothing by default:
    tenant data is shown only through a membership, so a back-office login never leaks it."""
    if not user.is_authenticated:
        return Administration.objects.none()
    return Administration.objects.filter(memberships__user=user).order_by("code")


def administration_get_for_user(
    *, user, code: str, minimum_role: str = Role.VIEWER
) -> Administration:
    """The administration `code` if `user` has at least `minimum_role` there, else 404: the
    answer for another tenant's data is the same as for data that does not exist."""
    membership = (
        Membership.objects.select_related("administration")
        .filter(user=user, administration__code=code)
        .first()
        if user.is_authenticated
        else None
    )
    if membership is None or ROLE_RANK[Role(membership.role)] < ROLE_RANK[Role(minimum_role)]:
        raise Http404("No such administration")
    return membership.administration


def administration_get(*, code: str) -> Administration:
    """For the command line, which runs with the rights of whoever has the database."""
    try:
        return Administration.objects.get(code=code)
    except Administration.DoesNotExist:
        raise LookupError(
            f"no administration with code {code!r} (see `debitum administration list`)"
        ) from None


def role_has_at_least(role: str, minimum_role: str) -> bool:
    return ROLE_RANK[Role(role)] >= ROLE_RANK[Role(minimum_role)]


def membership_get_for_user(*, user, code: str) -> Membership:
    """The user's membership of administration `code` (with the administration), else 404.
    For pages that everyone of the administration sees but only some roles act on: those get
    403 for an action above their role, where another tenant gets 404."""
    membership = (
        Membership.objects.select_related("administration")
        .filter(user=user, administration__code=code)
        .first()
        if user.is_authenticated
        else None
    )
    if membership is None:
        raise Http404("No such administration")
    return membership
