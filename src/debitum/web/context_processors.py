"""What every page's frame shows: the navigation, the administrations, the languages.

Pages about one administration take it as the `administration_code` URL argument; that is how
the frame knows the current administration and how the switcher keeps the reader on the same
kind of page in another administration.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from debitum.administrations.selectors import administration_list_for_user

# (label, URL name of a page that takes an administration_code); the work bench adds to it.
ADMINISTRATION_PAGES = [(_("Dashboard"), "reports:dashboard"), (_("Aging report"), "reports:aging")]
ADMINISTRATION_PAGES += [(_("Work list"), "collect:worklist")]
ADMINISTRATION_PAGES += [
    (_("Dunning run"), "dunning:run"),
    (_("Outbox"), "outbox:list"),
    (_("Imports"), "imports:page"),
]
ADMINISTRATION_PAGES += [
    (_("Reconciliation"), "banking:queue"),
    (_("Bank statements"), "banking:statements"),
]
ADMINISTRATION_PAGES += [(_("Jobs"), "jobs:list")]


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    url: str
    is_active: bool = False


@dataclass(frozen=True, slots=True)
class AdministrationLink:
    code: str
    name: str
    url: str
    is_current: bool


@dataclass(slots=True)
class Navigation:
    items: list[NavItem] = field(default_factory=list)
    administrations: list[AdministrationLink] = field(default_factory=list)
    current: AdministrationLink | None = None
    languages: list[tuple[str, str, bool]] = field(default_factory=list)


def _switch_url(view_name: str | None, code: str) -> str:
    """The same page in administration `code`, or its aging report if the page has no such form."""
    if view_name:
        try:
            return reverse(view_name, kwargs={"administration_code": code})
        except NoReverseMatch:
            pass
    return reverse("reports:aging", kwargs={"administration_code": code})


def _build(request) -> Navigation:
    active_language = get_language()
    nav = Navigation(
        languages=[(code, name, code == active_language) for code, name in settings.LANGUAGES]
    )
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return nav
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else None
    current_code = match.kwargs.get("administration_code") if match else None
    for administration in administration_list_for_user(user=user):
        link = AdministrationLink(
            code=administration.code,
            name=administration.name,
            url=_switch_url(view_name if current_code else None, administration.code),
            is_current=administration.code == current_code,
        )
        nav.administrations.append(link)
        if link.is_current:
            nav.current = link
    target = nav.current or (nav.administrations[0] if nav.administrations else None)
    if target is not None:
        for label, page in ADMINISTRATION_PAGES:
            nav.items.append(
                NavItem(
                    label,
                    reverse(page, kwargs={"administration_code": target.code}),
                    is_active=view_name == page,
                )
            )
    if user.is_staff:
        nav.items.append(NavItem(_("Back office"), reverse("admin:index")))
    return nav


def navigation(request) -> dict:
    """`nav` for the base template, built only when a template reads it (admin pages don't)."""
    return {"nav": SimpleLazyObject(lambda: _build(request))}
