"""Chromium through Playwright, against pytest-django's live server.

Debian's /usr/bin/chromium is used as is: `playwright install` would download a browser,
and this project's machines may have no internet.
"""

import datetime as dt
import os

import pytest
from django.utils import timezone

from debitum.web.tests.factories import (
    administration_make,
    customer_make,
    invoice_make,
    payment_make,
    user_make,
)

# Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"no Chromium at {CHROMIUM} (apt-get install chromium; scripts/test does it)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must not pass by skipping the browser
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="en-US", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Customers of the demo ledger: (number, name, [(amount, days before today it was invoiced)]).
# Payment terms are 30 days, so an invoice of 45 days ago is 15 days past due.
LEDGER = [
    ("C001", "Bakkerij de Vries", [("1234.56", 16)]),
    ("C002", "Brasserie Le Coq SRL", [("2500.00", 75), ("850.00", 20)]),
    ("C003", "Garage Jansen & Zn.", [("3120.00", 50), ("410.25", 5)]),
    ("C004", "Hotel De Zeeuwse Stromen", [("7850.00", 140), ("1200.00", 100)]),
    ("C005", "Boulangerie Dupont", [("640.80", 35)]),
    ("C006", "Installatiebedrijf Smit BV", [("4999.99", 25), ("1500.00", 65)]),
    ("C007", "Drukkerij Peeters NV", [("2275.40", 95)]),
    ("C008", "Van den Berg Logistiek", [("12400.00", 10), ("3300.00", 44)]),
    ("C009", "Café 't Hoekje", [("185.50", 70)]),
    ("C010", "Atelier Lambert", [("960.00", 120)]),
]


@pytest.fixture
def ledger(db):
    """Two administrations for user `demo`; ACME holds the ledger above, dated from today."""
    today = timezone.localdate()
    user = user_make("demo")
    acme = administration_make("ACME", "Acme Groothandel BV", members=[user])
    administration_make("GAMMA", "Gamma Bouw NV", country="BE", members=[user])
    for number, name, invoices in LEDGER:
        customer = customer_make(acme, number, name)
        for index, (amount, age_days) in enumerate(invoices):
            invoice_date = today - dt.timedelta(days=age_days)
            invoice_make(
                customer,
                f"{number}-{index + 1}",
                amount,
                invoice_date=invoice_date,
                due_date=invoice_date + dt.timedelta(days=30),
            )
    payment_make(
        customer_make(acme, "C011", "Fietsenmaker Bakker"),
        "250.00",
        payment_date=today - dt.timedelta(days=3),
    )
    return {"user": user, "administration": acme, "today": today}
