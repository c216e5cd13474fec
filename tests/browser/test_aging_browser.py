"""A credit controller's first minute: log in, read the aging, change the date, download it,
read it in Dutch."""

import datetime as dt

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from debitum.web.tests.factories import PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_aging_journey(live_server, page, ledger, tmp_path):
    today = ledger["today"]

    # Log in, and land on the dashboard of the first administration.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/")
    page.get_by_label("User name").fill("demo")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/reports/ACME/dashboard/")
    expect(page.locator("svg.chart__svg").first).to_be_visible()
    page.goto(f"{live_server.url}/reports/ACME/aging/")

    # The chart and a known amount.
    report = page.locator("#aging-report")
    expect(page.locator("svg.chart__svg")).to_have_count(1)
    expect(page.locator("svg.chart__svg rect")).to_have_count(5)
    row = page.locator("tr", has_text="Bakkerij de Vries")
    expect(row).to_contain_text("1,234.56")
    expect(page.get_by_test_id("balance-EUR")).to_have_text("43,176.50")

    # An earlier date: the invoice of 16 days ago was not there yet (htmx swaps the report).
    earlier = today - dt.timedelta(days=30)
    page.locator("#id_as_of").fill(earlier.isoformat())
    expect(report).not_to_contain_text("Bakkerij de Vries")
    expect(page).to_have_url(
        f"{live_server.url}/reports/ACME/aging/?administration=ACME&as_of={earlier.isoformat()}"
    )
    expect(page.locator("tr", has_text="Hotel De Zeeuwse Stromen")).to_contain_text("9,050.00")

    # The XLSX download of that date opens, with the same figures.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download XLSX").click()
    download = download_info.value
    assert download.suggested_filename == f"aging-ACME-{earlier.isoformat()}.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = load_workbook(saved)["Aging"]
    customers = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert "C001" not in customers
    assert f"{customers['C004'][8]:.2f}" == "9050.00"

    # In Dutch, the numbers are written the Dutch way.
    page.get_by_role("button", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("tr", has_text="Hotel De Zeeuwse Stromen")).to_contain_text("9.050,00")
