"""The aging page of the worked example in debitum.web.tests.factories (as of 2025-03-31)."""

import csv
import datetime as dt
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from debitum.web.tests.factories import customer_make, invoice_make

pytestmark = pytest.mark.django_db

URL = "/reports/ACME/aging/"


def cells(html: str, row_start: str) -> list[str]:
    """The cell texts of the customers table row that starts with `row_start`."""
    match = re.search(rf"<tr>\s*<td[^>]*>{re.escape(row_start)}</td>(.*?)</tr>", html, re.S)
    assert match, f"no row {row_start}"
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)
    ]


def test_the_page_shows_each_customer_in_the_right_buckets(alice_client):
    response = alice_client.get(URL, {"as_of": "2025-03-31"})

    assert response.status_code == 200
    html = response.content.decode()
    # name, currency, current, 1-30, 31-60, 61-90, 90+, total, unapplied, balance
    assert cells(html, "C002") == [
        "Brasserie Le Coq",
        "EUR",
        "0.00",
        "-100.00",
        "2,500.00",
        "700.00",
        "0.00",
        "3,100.00",
        "-80.00",
        "3,020.00",
    ]
    assert cells(html, "C001") == [
        "Bakkerij de Vries",
        "EUR",
        "1,234.56",
        "300.00",
        "0.00",
        "0.00",
        "1,000.00",
        "2,534.56",
        "0.00",
        "2,534.56",
    ]
    assert cells(html, "C003") == [
        "Garage Jansen",
        "USD",
        "999.99",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
        "999.99",
        "0.00",
        "999.99",
    ]
    # Largest total first.
    assert html.index(">C002<") < html.index(">C001<") < html.index(">C003<")
    assert "F007" not in html and "5,000.00" not in html


def test_the_totals_per_currency_and_their_chart(alice_client):
    html = alice_client.get(URL, {"as_of": "2025-03-31"}).content.decode()

    eur = html[html.index('id="totals-EUR"') : html.index('id="totals-USD"')]
    for label, amount in [
        ("Current", "1,234.56"),
        ("1–30 days", "200.00"),
        ("31–60 days", "2,500.00"),
        ("61–90 days", "700.00"),
        ("90+ days", "1,000.00"),
    ]:
        assert re.search(
            rf"{re.escape(label)}</th>\s*<td class=\"num\">{re.escape(amount)}</td>", eur
        ), label
    assert re.search(r"Total open</th><td class=\"num\">5,634.56</td>", eur)
    assert re.search(r"Balance</th><td class=\"num\">5,554.56</td>", eur)
    assert '<svg class="chart__svg"' in eur
    assert eur.count("<rect ") == 5
    assert re.search(r'<text class="chart__value"[^>]*>2,500.00</text>', eur)
    assert 'data-testid="balance-USD">999.99<' in html


def test_an_earlier_date_shows_the_ledger_as_it_was(alice_client):
    html = alice_client.get(URL, {"as_of": "2025-01-31"}).content.decode()

    # F003 was 61 days late, F004 not yet due, F005 31 days late and not yet written off.
    assert cells(html, "C002")[2:8] == ["2,500.00", "0.00", "750.00", "0.00", "0.00", "3,250.00"]
    assert cells(html, "C001")[2:8] == ["0.00", "0.00", "0.00", "1,000.00", "0.00", "1,000.00"]
    assert ">C003<" not in html


def test_without_a_date_the_report_is_for_today(alice_client, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2025, 1, 31))

    html = alice_client.get(URL).content.decode()

    assert 'value="2025-01-31"' in html
    assert cells(html, "C002")[7] == "3,250.00"


def test_the_htmx_request_gets_the_fragment(alice_client):
    response = alice_client.get(URL, {"as_of": "2025-01-31"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert cells(html, "C002")[7] == "3,250.00"
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(alice_client):
    response = alice_client.get(
        URL,
        {"as_of": "2025-01-31"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    assert "<html" in response.content.decode()


def test_a_bad_date_is_explained_on_the_page(alice_client):
    response = alice_client.get(URL, {"as_of": "2025-02-30"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "“2025-02-30” is not a date. Enter it as YYYY-MM-DD, for example 2025-03-31." in html
    assert "<table" not in html


@pytest.mark.parametrize("as_of", ["yesterday", "0001-01-01", "31-13-2025"])
def test_other_bad_dates_are_explained_too(alice_client, as_of):
    response = alice_client.get(URL, {"as_of": as_of})

    assert response.status_code == 400
    assert b"alert--error" in response.content


def test_a_bad_date_in_the_htmx_fragment_is_swapped_in(alice_client):
    response = alice_client.get(URL, {"as_of": "nope"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "is not a date" in response.content.decode()


def test_the_xlsx_download(alice_client):
    response = alice_client.get(URL, {"as_of": "2025-03-31", "format": "xlsx"})

    assert response.status_code == 200
    assert (
        response["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="aging-ACME-2025-03-31.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Aging"].iter_rows(min_row=3, values_only=True))
    assert rows[0][:3] == ("C002", "Brasserie Le Coq", "EUR")
    assert [Decimal(str(value)).quantize(Decimal("0.01")) for value in rows[0][3:]] == [
        Decimal(v)
        for v in ("0.00", "-100.00", "2500.00", "700.00", "0.00", "3100.00", "-80.00", "3020.00")
    ]
    totals = {row[0]: row for row in workbook["Totals"].iter_rows(min_row=2, values_only=True)}
    assert Decimal(str(totals["EUR"][6])).quantize(Decimal("0.01")) == Decimal("5634.56")


def test_the_csv_download(alice_client):
    response = alice_client.get(URL, {"as_of": "2025-03-31", "format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="aging-ACME-2025-03-31.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["customer_number", "name", "currency", "current"]
    assert rows[1] == [
        "C002",
        "Brasserie Le Coq",
        "EUR",
        "0.00",
        "-100.00",
        "2500.00",
        "700.00",
        "0.00",
        "3100.00",
        "-80.00",
        "3020.00",
    ]
    assert ["TOTAL", "", "USD", "999.99"] == rows[-1][:4]


@pytest.mark.parametrize("query", [{}, {"format": "xlsx"}, {"format": "csv"}])
def test_another_tenants_report_is_not_found(alice_client, query):
    response = alice_client.get("/reports/BETA/aging/", {"as_of": "2025-03-31", **query})

    assert response.status_code == 404
    assert b"4321" not in response.content and b"Beta Secret" not in response.content


def test_the_administration_select_cannot_reach_another_tenant(alice_client):
    response = alice_client.get(URL, {"administration": "BETA", "as_of": "2025-03-31"})

    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    assert b"Beta Secret" not in response.content


def test_choosing_another_administration_goes_to_its_report(alice_client, alice):
    from debitum.web.tests.factories import administration_make

    administration_make("GAMMA", "Gamma Bouw NV", country="BE", members=[alice])

    plain = alice_client.get(URL, {"administration": "GAMMA", "as_of": "2025-03-31"})
    htmx = alice_client.get(
        URL, {"administration": "GAMMA", "as_of": "2025-03-31"}, headers={"HX-Request": "true"}
    )

    assert (
        plain.status_code == 302 and plain["Location"] == "/reports/GAMMA/aging/?as_of=2025-03-31"
    )
    assert htmx["HX-Redirect"] == "/reports/GAMMA/aging/?as_of=2025-03-31"


def test_dutch_readers_see_dutch_numbers(alice_client):
    alice_client.post("/i18n/setlang/", {"language": "nl", "next": URL})

    html = alice_client.get(URL, {"as_of": "2025-03-31"}).content.decode()

    assert cells(html, "C001")[2] == "1.234,56"
    assert cells(html, "C002")[7] == "3.100,00"
    # The chart's coordinates stay in SVG's own notation.
    assert re.search(r'<rect x="\d+\.\d" y="\d+\.\d" width="\d+\.\d" height="\d+\.\d"', html)
    assert "31 maart 2025" in html


def test_a_large_administration_shows_the_first_200_customers(alice_client, acme):
    for number in range(201):
        customer = customer_make(acme, f"X{number:04}", f"Customer {number}")
        invoice_make(
            customer,
            f"X-{number}",
            "1.00",
            invoice_date=date(2025, 3, 1),
            due_date=date(2025, 3, 31),
        )

    html = alice_client.get(URL, {"as_of": "2025-03-31"}).content.decode()
    everything = alice_client.get(URL, {"as_of": "2025-03-31", "all": "1"}).content.decode()

    assert html.count('<tr>\n            <td class="nowrap">') == 200
    assert "Showing the first 200 of 204." in html
    assert 'href="/reports/ACME/aging/?as_of=2025-03-31&amp;all=1">Show all</a>' in html
    assert everything.count('<tr>\n            <td class="nowrap">') == 204
    assert "Show all" not in everything


def test_the_page_costs_the_same_few_queries_for_any_number_of_customers(
    alice_client, acme, django_assert_max_num_queries
):
    for number in range(50):
        customer = customer_make(acme, f"Q{number:03}", f"Customer {number}")
        invoice_make(
            customer,
            f"Q-{number}",
            "1.00",
            invoice_date=date(2025, 3, 1),
            due_date=date(2025, 3, 31),
        )

    # session, user, membership, the aging query, unapplied payments, administrations (form and navigation)
    with django_assert_max_num_queries(8):
        response = alice_client.get(URL, {"as_of": "2025-03-31"})

    assert response.status_code == 200
