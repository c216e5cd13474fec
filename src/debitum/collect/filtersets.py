"""The work list's filters, read from a query string in one way for the page and the API."""

from __future__ import annotations

from collections.abc import Mapping

from debitum.administrations.models import Membership

from .selectors import UNASSIGNED

WORKLIST_FILTERS = ("collector", "segment", "country", "language")
ME = "me"


def worklist_filters(params: Mapping, *, administration, user) -> tuple[dict, dict[str, list[str]]]:
    """The `worklist` selector's filter arguments from `params` (a QueryDict or a dict of
    text), and what was wrong, per filter.

    An empty value is no filter. `collector` is `me` (the user asking), `none` (the customers
    without a collector), or a member of the administration by user name or user id (the
    page's choices send the id, the API's callers the name); anyone else is an error, and no
    filter. Countries are compared in capitals, segments and languages in lower case, as the
    customers are stored.
    """
    chosen = {name: str(params.get(name) or "").strip() or None for name in WORKLIST_FILTERS}
    errors: dict[str, list[str]] = {}
    for name, normal in (("country", str.upper), ("segment", str.lower), ("language", str.lower)):
        if chosen[name]:
            chosen[name] = normal(chosen[name])
    collector = chosen["collector"]
    if collector == ME:
        chosen["collector"] = user.pk
    elif collector is not None and collector != UNASSIGNED:
        chosen["collector"] = _member_id(administration, collector)
        if chosen["collector"] is None:
            errors["collector"] = [f"no user {collector} in {administration.code}"]
    return chosen, errors


def _member_id(administration, name_or_id: str) -> int | None:
    members = Membership.objects.filter(administration=administration)
    user_id = members.filter(user__username=name_or_id).values_list("user_id", flat=True).first()
    if user_id is None and name_or_id.isdigit():
        user_id = members.filter(user_id=int(name_or_id)).values_list("user_id", flat=True).first()
    return user_id
