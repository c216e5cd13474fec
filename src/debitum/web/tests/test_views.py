"""The frame of the web app: login, landing, navigation, language."""

import pytest
from django.urls import reverse

from debitum.web.tests.factories import PASSWORD, user_make

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/reports/ACME/aging/", "/reports/ACME/aging/?format=xlsx"])
def test_pages_need_a_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_the_login_page_is_open_to_everyone(client):
    response = client.get("/login/")

    assert response.status_code == 200
    assert b"<form" in response.content and b'name="password"' in response.content
    assert b"htmx.min.js" in response.content and b"debitum.css" in response.content


def test_logging_in_lands_on_the_dashboard_of_the_first_administration(client, alice, acme, beta):
    response = client.post("/login/", {"username": "alice", "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == "/reports/ACME/dashboard/"
    assert response.status_code == 200


def test_a_wrong_password_says_so(client, alice):
    response = client.post("/login/", {"username": "alice", "password": "wrong"})

    assert response.status_code == 200
    assert b"alert--error" in response.content


def test_without_a_membership_home_says_whom_to_ask(client, db):
    user_make("newcomer")
    client.login(username="newcomer", password=PASSWORD)

    response = client.get("/")

    assert response.status_code == 200
    assert b"not a member of any administration" in response.content


def test_the_navigation_lists_only_the_users_administrations(alice_client):
    html = alice_client.get("/reports/ACME/aging/").content.decode()

    assert "Acme Groothandel BV" in html
    assert "BETA" not in html and "Beta Secret" not in html
    assert 'href="/admin/"' in html  # alice is staff: the back office link


def test_the_back_office_link_is_for_staff_only(client, db):
    from debitum.web.tests.factories import administration_make

    user = user_make("viewer")
    administration_make("ACME", "Acme Groothandel BV", members=[user])
    client.login(username="viewer", password=PASSWORD)

    html = client.get("/reports/ACME/aging/").content.decode()

    assert 'href="/admin/"' not in html
    assert 'href="/reports/ACME/aging/" aria-current="page"' in html


def test_logout_is_a_post(alice_client):
    assert alice_client.get("/logout/").status_code == 405

    response = alice_client.post("/logout/")

    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert alice_client.get("/").status_code == 302


def test_the_language_switch_sets_the_language(alice_client):
    response = alice_client.post(
        "/i18n/setlang/", {"language": "nl", "next": "/reports/ACME/aging/"}
    )

    assert response.status_code == 302 and response["Location"] == "/reports/ACME/aging/"
    html = alice_client.get("/reports/ACME/aging/?as_of=2025-03-31").content.decode()
    assert '<html lang="nl">' in html
    assert 'aria-pressed="true">NL</button>' in html
    assert "<h1>Ouderdomsanalyse</h1>" in html or "Ouderdomsanalyse</h1>" in html
    assert "Niet vervallen" in html and "Uitloggen" in html


def test_an_unknown_administration_is_a_friendly_404(alice_client):
    response = alice_client.get("/reports/NOPE/aging/")

    assert response.status_code == 404
    assert b"not a member of" in response.content


@pytest.mark.axes
def test_repeated_failed_logins_lock_the_account_out(client, alice, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post("/login/", {"username": "alice", "password": "wrong"})
    # Even the right password is refused now, with the lock-out page.
    response = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.axes
def test_a_successful_login_resets_the_count(client, alice, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        client.post("/login/", {"username": "alice", "password": "wrong"})
    client.post("/login/", {"username": "alice", "password": PASSWORD})
    client.logout()
    for _ in range(2):
        client.post("/login/", {"username": "alice", "password": "wrong"})
    response = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302


def test_the_chosen_language_is_the_users_own_setting(client, alice, acme):
    client.force_login(alice)
    client.post("/language/", {"language": "fr", "next": "/"})
    from debitum.administrations.models import UserPreference

    assert UserPreference.objects.get(user=alice).language == "fr"
    # A new browser (no language cookie, English asked for) still gets French for alice.
    fresh = type(client)(headers={"Accept-Language": "en"})
    fresh.force_login(alice)
    response = fresh.get(f"/reports/{acme.code}/aging/")
    assert response["Content-Language"] == "fr"
