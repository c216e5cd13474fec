"""The frame of the web app: the landing page. Login and logout are Django's own views."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from debitum.administrations.selectors import administration_list_for_user


@login_required
@require_GET
def home(request):
    """Straight to the dashboard of the user's first administration; without a membership, a
    page that says whom to ask."""
    administration = administration_list_for_user(user=request.user).first()
    if administration is not None:
        return redirect("reports:dashboard", administration_code=administration.code)
    return render(request, "web/no_administration.html")


@require_POST
def language_set(request):
    """Django's language switch, remembered as the user's own setting when logged in."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        from debitum.administrations.models import UserPreference

        UserPreference.objects.update_or_create(user=request.user, defaults={"language": language})
    return set_language(request)
