"""A controller's morning in the browser: preview and execute the dunning run, then import a
file with an error, correct it and import it."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from debitum.administrations.models import Membership
from debitum.dunning.models import DunningAction
from debitum.dunning.policy_services import policies_install_defaults
from debitum.ledger.models import Invoice
from debitum.outbox.models import OutboundMessage
from debitum.outbox.services import message_templates_install
from debitum.web.tests.factories import PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dunning_run_and_import_journey(live_server, page, ledger, tmp_path, settings):
    settings.DEBITUM_DOCUMENTS_DIR = tmp_path / "documents"
    settings.DEBITUM_UPLOADS_DIR = tmp_path / "uploads"
    acme = ledger["administration"]
    Membership.objects.filter(user=ledger["user"], administration=acme).update(role="controller")
    policies_install_defaults(administration=acme)
    message_templates_install(administration=acme)

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("User name").fill("demo")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # The preview of today's run: actions per customer, nothing written.
    page.goto(f"{live_server.url}/collect/ACME/dunning/")
    table = page.get_by_test_id("preview-table")
    expect(table).to_be_visible()
    expect(table).to_contain_text("Hotel De Zeeuwse Stromen")
    count = int(page.get_by_test_id("action-count").inner_text())
    assert count > 1 and not DunningAction.objects.exists()

    # Leave one customer out (htmx swaps the page), then execute.
    page.locator("tr[data-customer='C004']").get_by_role("button", name="Exclude customer").click()
    expect(page.get_by_test_id("exclusions")).to_contain_text("Hotel De Zeeuwse Stromen")
    expect(page.get_by_test_id("action-count")).to_have_text(str(count - 1))
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("execute").click()
    # The run is a background job: its page follows it and says what was sent.
    expect(page.get_by_test_id("job-status")).to_have_attribute(
        "data-state", "done", timeout=90_000
    )
    expect(page.get_by_test_id("job-summary")).to_contain_text("carried out")
    page.get_by_role("link", name="The run of the day").click()
    expect(page.get_by_test_id("runs-table")).to_contain_text("Completed")
    assert DunningAction.objects.count() == count - 1
    assert not DunningAction.objects.filter(customer__number="C004").exists()
    assert OutboundMessage.objects.exists()

    # From here the jobs run as in `debitum serve`: in a thread of the server, after the
    # request that asked for them; the job's page polls (htmx) until they have finished.
    settings.DEBITUM_JOBS = "thread"

    # An invoice file with an error: every error by line and column, nothing written.
    today = ledger["today"].isoformat()
    due = (ledger["today"] + dt.timedelta(days=30)).isoformat()
    header = "customer_number,invoice_number,invoice_date,due_date,amount\n"
    bad = tmp_path / "invoices.csv"
    bad.write_text(header + f"C001,N-1,{today},{due},12.345\nC001,N-2,{today},{due},250.00\n")
    page.goto(f"{live_server.url}/collect/ACME/imports/")
    page.get_by_label("What the file holds").select_option("invoices")
    page.get_by_label("CSV or XLSX file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("amount")
    expect(errors).to_contain_text("12.345")
    assert not Invoice.objects.filter(number__startswith="N-").exists()

    # Corrected: the preview shows the rows and what would be created; then import.
    bad.write_text(header + f"C001,N-1,{today},{due},12.34\nC001,N-2,{today},{due},250.00\n")
    page.get_by_label("What the file holds").select_option("invoices")
    page.get_by_label("CSV or XLSX file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_test_id("import-rows")).to_contain_text("N-2")
    expect(page.get_by_test_id("import-summary")).to_contain_text("2")
    assert not Invoice.objects.filter(number__startswith="N-").exists()
    page.get_by_test_id("import-confirm").click()
    # The import runs as a background job; its page shows what it did once it has finished.
    # A thread job on SQLite that finds the database locked tries again after a growing pause
    # (jobs.runner): under CI's load on two cores that has taken more than the default 5 s.
    expect(page.get_by_test_id("job-status")).to_have_attribute(
        "data-state", "done", timeout=30_000
    )
    expect(page.get_by_test_id("job-summary")).to_contain_text("invoices.csv imported: 2 rows")
    page.get_by_role("link", name="Back").click()
    expect(page.get_by_test_id("import-history")).to_contain_text("invoices.csv")
    assert Invoice.objects.filter(number__startswith="N-").count() == 2
