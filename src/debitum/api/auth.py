"""Bearer token authentication, and the administration a request may see."""

from __future__ import annotations

from ninja.security import HttpBearer

from debitum.administrations.choices import Role
from debitum.administrations.selectors import (
    administration_get_for_user,
    membership_get_for_user,
    role_has_at_least,
)

from .tokens import token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


def administration_for(request, code: str, minimum_role: str = Role.VIEWER):
    """The administration `code` if the token's user has `minimum_role` there; 404 otherwise,
    the same answer as for an administration that does not exist."""
    return administration_get_for_user(user=request.auth, code=code, minimum_role=minimum_role)


def administration_for_write(request, code: str, minimum_role: str = Role.CONTROLLER):
    """The administration `code` for a write that needs `minimum_role`: 404 for an
    administration the user is no member of (as for reads), 403 `forbidden` for a member whose
    role is too low (they may know the administration; they may not change it)."""
    from .errors import ApiError

    membership = membership_get_for_user(user=request.auth, code=code)
    if not role_has_at_least(membership.role, minimum_role):
        raise ApiError(403, "forbidden", f"this needs the role {minimum_role} or higher in {code}")
    return membership.administration
