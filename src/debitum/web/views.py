"""The frame of the web app: the landing page. Login and logout are Django's own views."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from debitum.administrations.selectors import administration_list_for_user


@login_required
@require_GET
def home(request):
    """Straight to the aging report of the user's first administration; without a membership,
    a page that says whom to ask."""
    administration = administration_list_for_user(user=request.user).first()
    if administration is not None:
        return redirect("reports:aging", administration_code=administration.code)
    return render(request, "web/no_administration.html")
