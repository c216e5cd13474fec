"""A collector's morning: the work list, a line worked in place, then the dossier: a call, a
promise and a dispute, each without leaving the page."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from debitum.administrations.models import Membership
from debitum.web.tests.factories import PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_worklist_and_dossier_journey(live_server, page, ledger, settings, tmp_path):
    settings.DEBITUM_DOCUMENTS_DIR = tmp_path / "documents"
    Membership.objects.filter(user=ledger["user"]).update(role="controller")
    today = ledger["today"]

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("User name").fill("demo")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Work list").first.click()
    expect(page).to_have_url(f"{live_server.url}/collect/ACME/worklist/")

    # The largest and oldest balance leads the list.
    first_line = page.locator("tr.worklist__line").first
    expect(first_line).to_contain_text("Hotel De Zeeuwse Stromen")

    # On a tablet held upright the line's "Work" is on the screen, not beyond its edge.
    page.set_viewport_size({"width": 768, "height": 1024})
    work = first_line.get_by_role("button", name="Work").bounding_box()
    assert work["x"] + work["width"] <= 768
    page.set_viewport_size({"width": 1366, "height": 768})

    # Work the line in place: a call with its outcome.
    first_line.get_by_role("button", name="Work").click()
    panel = page.get_by_test_id("panel-C004")
    expect(panel).to_be_visible()
    panel.get_by_role("button", name="Log a call").click()
    form = panel.get_by_test_id("form-call")
    form.get_by_label("Outcome").select_option("no_answer")
    form.get_by_role("button", name="Save").click()
    expect(panel).to_contain_text("Call logged.")
    expect(page).to_have_url(f"{live_server.url}/collect/ACME/worklist/")

    # The dossier: a promise, then a dispute on the other invoice.
    panel.get_by_role("link", name="Open the dossier").click()
    expect(page.get_by_role("heading", name="Hotel De Zeeuwse Stromen")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("Call: No answer")
    page.get_by_role("button", name="Register a promise").click()
    form = page.get_by_test_id("form-promise")
    form.get_by_label("Amount").fill("1200.00")
    form.get_by_label("Paid by").fill((today + dt.timedelta(days=7)).isoformat())
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("form-promise")).to_contain_text("Promise registered.")
    expect(page.get_by_test_id("timeline")).to_contain_text("Promise to pay by")

    page.get_by_role("button", name="Open a dispute").click()
    form = page.get_by_test_id("form-dispute")
    form.get_by_label("Invoice").select_option(label="C004-2 · EUR 1200.00")
    form.get_by_label("Reason", exact=True).select_option("quality")
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("form-dispute")).to_contain_text("Dispute opened.")
    expect(page.get_by_test_id("open-items")).to_contain_text("disputed")
    expect(page.get_by_test_id("timeline")).to_contain_text("Dispute over C004-2")
