"""A controller's bank morning: upload the day's camt.053, see what would become of each entry,
import it, then work the reconciliation queue in place: confirm one line in one click and
split another over two invoices.

The statement is the real sample in ../shared/data/test-camt053 (its README says where it comes
from): account NL77ABNA0574908765, opening 15,568.27, closing 15,121.12; one credit of 1,405.31
from "3rd party Media" (NL69ABNA0522123643) and direct debit returns to "Test Customer"
(NL46ABNA0499998748). The customers below pay from those accounts, so the matcher knows the
payer but not the invoices: the entries wait in the queue."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from debitum.administrations.models import Membership
from debitum.banking.models import EntryDecision, StatementEntry
from debitum.banking.selectors import queue_count
from debitum.ledger.models import Payment
from debitum.ledger.selectors import open_amounts
from debitum.web.tests.factories import PASSWORD, customer_make, invoice_make

ALL = dt.date(9999, 12, 31)


@pytest.fixture
def camt053(shared_data):
    formats = pytest.importorskip("debitum.banking.formats")
    if not hasattr(formats, "parse_statement"):
        pytest.skip("the statement parsers (banking.formats.parse_statement) are not there yet")
    path = shared_data / "test-camt053"
    if not path.is_file():
        pytest.skip(f"no {path}")
    return path


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_statement_upload_and_reconciliation_queue(
    live_server, page, ledger, camt053, settings, tmp_path
):
    settings.DEBITUM_UPLOADS_DIR = tmp_path / "uploads"
    acme = ledger["administration"]
    Membership.objects.filter(user=ledger["user"], administration=acme).update(role="controller")
    media = customer_make(acme, "C100", "3rd Party Media BV")
    media.iban = "NL69ABNA0522123643"
    media.save()
    for number, amount, due in (("M-1", "1000.00", 40), ("M-2", "900.00", 10)):
        invoice_date = ledger["today"] - dt.timedelta(days=due + 30)
        invoice_make(
            media,
            number,
            amount,
            invoice_date=invoice_date,
            due_date=invoice_date + dt.timedelta(days=30),
        )
    returns = customer_make(acme, "C200", "Test Customer")
    returns.iban = "NL46ABNA0499998748"
    returns.save()

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("User name").fill("demo")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # The upload: the preview shows every entry and what would become of it, writing nothing.
    page.get_by_role("link", name="Bank statements").first.click()
    expect(page).to_have_url(f"{live_server.url}/bank/ACME/statements/")
    page.get_by_label("Bank file").set_input_files(str(camt053))
    page.get_by_role("button", name="Check the file").click()
    entries = page.get_by_test_id("preview-entries")
    expect(entries).to_contain_text("3rd party Media")
    expect(entries).to_contain_text("1,405.31")
    expect(page.get_by_test_id("statement-preview")).to_contain_text("15,121.12")
    assert not StatementEntry.objects.exists()

    page.get_by_test_id("statement-import").click()
    # The import runs as a background job; its page shows the outcomes once it has finished.
    # A thread job on SQLite that finds the database locked tries again after a growing pause
    # (jobs.runner): under CI's load on two cores that has taken more than the default 5 s.
    expect(page.get_by_test_id("job-status")).to_have_attribute(
        "data-state", "done", timeout=30_000
    )
    expect(page.get_by_test_id("job-summary")).to_contain_text("test-camt053 imported")
    page.get_by_role("link", name="Back").click()
    expect(page.get_by_test_id("statement-history")).to_contain_text("NL77 ABNA 0574 9087 65")
    credit = StatementEntry.objects.get(amount=Decimal("1405.31"))
    # Money out to Test Customer's account that is no return: a refund, proposed on the customer.
    refund = (
        EntryDecision.objects.filter(entry__amount__lt=0, outcome="suggested", reason="refund")
        .select_related("entry")
        .first()
        .entry
    )

    # The queue: the credit proposes the customer and guesses the invoices, oldest first.
    page.get_by_role("link", name="Reconciliation queue").click()
    expect(page).to_have_url(f"{live_server.url}/bank/ACME/")
    credit_line = page.get_by_test_id(f"entry-{credit.pk}")
    expect(credit_line).to_contain_text("3rd Party Media BV")
    expect(credit_line).to_contain_text("A known account of the customer")

    # One click: the refund is booked on Test Customer's account, in place.
    waiting = queue_count(administration=acme)
    expect(page.get_by_test_id("queue-count")).to_have_text(str(waiting))
    refund_line = page.get_by_test_id(f"entry-{refund.pk}")
    refund_line.get_by_test_id("confirm-0").click()
    expect(page.get_by_test_id(f"result-{refund.pk}")).to_contain_text("Matched")
    assert Payment.objects.get(customer=returns).amount == refund.amount
    expect(page.get_by_test_id("queue-count")).to_have_text(str(waiting - 1))

    # Split the credit: 700.00 on M-1 and the rest on M-2.
    credit_line.get_by_test_id(f"split-{credit.pk}").click()
    form = page.get_by_test_id(f"split-form-{credit.pk}")
    expect(form.get_by_test_id("customer-open-invoices")).to_contain_text("M-2")
    expect(form.locator("input[name=invoice_0]")).to_have_value("M-1")
    form.locator("input[name=amount_0]").fill("700.00")
    form.locator("input[name=invoice_1]").fill("M-2")
    form.locator("input[name=amount_1]").fill("705.31")
    page.get_by_test_id(f"split-confirm-{credit.pk}").click()
    expect(page.get_by_test_id(f"result-{credit.pk}")).to_contain_text("M-2")
    assert page.url == f"{live_server.url}/bank/ACME/"  # no page change: the line was replaced

    still_open = open_amounts(administration=acme, as_of=ALL)
    invoices = {invoice.number: invoice.pk for invoice in media.invoices.all()}
    assert still_open[invoices["M-1"]] == Decimal("300.00")
    assert still_open[invoices["M-2"]] == Decimal("194.69")

    page.reload()
    expect(page.get_by_test_id(f"entry-{credit.pk}")).to_have_count(0)
    expect(page.get_by_test_id(f"entry-{refund.pk}")).to_have_count(0)
