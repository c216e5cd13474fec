"""The interface speaks the user's own language once they have chosen one; until then the
browser's (Django's LocaleMiddleware, which runs before authentication, decides that)."""

from __future__ import annotations

from django.utils import translation


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            preference = getattr(user, "preference", None) if _has_preference(user) else None
            if preference is not None and preference.language:
                translation.activate(preference.language)
                request.LANGUAGE_CODE = preference.language
        return self.get_response(request)


def _has_preference(user) -> bool:
    from debitum.administrations.models import UserPreference

    try:
        return user.preference is not None
    except UserPreference.DoesNotExist:
        return False
