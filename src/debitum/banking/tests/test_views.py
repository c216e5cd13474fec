"""The reconciliation queue and the statement upload in the browser's place: what each role
sees and may do, what each action writes, and that another administration sees nothing.

The queue's entries are made straight with the models (a statement, its entries, and the
matcher's decision rows), so these tests do not depend on a parser; the upload tests read the
real camt.053 sample in ../shared/data (see its README for where it comes from)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from debitum.administrations.models import Membership
from debitum.audit.models import AuditEvent
from debitum.banking.models import EntryDecision, Statement, StatementEntry
from debitum.banking.selectors import queue_count
from debitum.customers.tests.factories import customer_factory
from debitum.imports.models import ImportBatch
from debitum.jobs.models import Job
from debitum.ledger.models import Allocation, Payment
from debitum.ledger.selectors import open_amounts
from debitum.ledger.tests.factories import invoice_factory
from debitum.web.tests.factories import PASSWORD, administration_make, user_make

pytestmark = pytest.mark.django_db
D = Decimal
HTMX = {"HTTP_HX_REQUEST": "true"}
ALL = dt.date(9999, 12, 31)
JAN_10 = dt.date(2026, 1, 10)
MAR_2 = dt.date(2026, 3, 2)
ACCOUNT = "NL91ABNA0417164300"
BAKER_IBAN = "NL02RABO0123456789"


# --- the ledger and the queue ----------------------------------------------------------------


@pytest.fixture(autouse=True)
def fast_password_hashing(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBITUM_UPLOADS_DIR = tmp_path / "uploads"


@pytest.fixture
def users(db):
    return {role: user_make(role) for role in ("admin", "manager", "controller", "viewer")}


@pytest.fixture
def acme(users):
    administration = administration_make("ACME", "Acme Groothandel BV")
    for role, user in users.items():
        Membership.objects.create(administration=administration, user=user, role=role)
    return administration


@pytest.fixture
def ledger(acme):
    baker = customer_factory(acme, "C001", name="Bakkerij Jansen B.V.", iban=BAKER_IBAN)
    florist = customer_factory(acme, "C002", name="Bloemen Peeters")
    return {
        "baker": baker,
        "florist": florist,
        "I1": invoice_factory(baker, "2026-0001", "121.00", invoice_date=JAN_10),
        "I2": invoice_factory(baker, "2026-0002", "250.00", invoice_date=JAN_10),
        "I3": invoice_factory(florist, "2026-0003", "80.00", invoice_date=JAN_10),
    }


def statement_make(administration, number="1") -> Statement:
    return Statement.objects.create(
        administration=administration,
        file_format="camt.053",
        account_iban=ACCOUNT,
        currency="EUR",
        statement_number=number,
        opening_date=MAR_2,
        opening_balance=D("1000.00"),
        closing_date=MAR_2,
        closing_balance=D("1956.00"),
        fingerprint=f"statement-{administration.code}-{number}",
    )


def entry_make(statement, sequence, amount, *, decisions, name="", iban="", remittance=""):
    """An entry and its decisions, oldest first (the last one counts)."""
    entry = StatementEntry.objects.create(
        administration=statement.administration,
        statement=statement,
        sequence=sequence,
        booking_date=MAR_2,
        value_date=MAR_2,
        amount=D(amount),
        currency="EUR",
        counterparty_name=name,
        counterparty_iban=iban,
        remittance=remittance,
        fingerprint=f"entry-{statement.pk}-{sequence}",
    )
    for decision in decisions:
        EntryDecision.objects.create(
            administration=statement.administration, entry=entry, **decision
        )
    return entry


def invoice_json(invoice, amount):
    return {"invoice_id": invoice.pk, "number": invoice.number, "amount": amount}


@pytest.fixture
def queue(acme, ledger):
    """Five entries of one statement: two wait (a suggestion, one unmatched), a refund waits,
    one was matched, one set aside after the matcher's suggestion."""
    statement = statement_make(acme)
    suggested = {
        "outcome": "suggested",
        "confidence": 80,
        "reason": "invoice_number",
        "detail": "2026-0001, other amount",
        "customer": ledger["baker"],
        "invoices": [invoice_json(ledger["I1"], "121.00")],
        "suggestions": [
            {
                "customer_id": ledger["florist"].pk,
                "invoices": [invoice_json(ledger["I3"], "80.00")],
                "confidence": 60,
                "reason": "name",
                "detail": "the customer is known, the invoices are not: the oldest first",
            }
        ],
    }
    return {
        "suggested": entry_make(
            statement,
            1,
            "121.00",
            name="BAKKERIJ JANSEN",
            iban=BAKER_IBAN,
            remittance="factuur 2026-0001 maart",
            decisions=[suggested],
        ),
        "unmatched": entry_make(
            statement,
            2,
            "300.00",
            name="J. Smit",
            iban="NL20INGB0001234567",
            remittance="betaling",
            decisions=[
                {
                    "outcome": "unmatched",
                    "confidence": 0,
                    "reason": "none",
                    "detail": "no customer or invoice found",
                }
            ],
        ),
        "matched": entry_make(
            statement,
            3,
            "500.00",
            name="Matched Already",
            decisions=[{"outcome": "matched", "confidence": 100, "reason": "reference"}],
        ),
        "set_aside": entry_make(
            statement,
            4,
            "35.00",
            name="Set Aside Earlier",
            decisions=[
                {**suggested, "customer": ledger["florist"], "suggestions": []},
                {"outcome": "ignored", "confidence": 100, "reason": "manual"},
            ],
        ),
        "refund": entry_make(
            statement,
            5,
            "-20.00",
            name="Bloemen Peeters",
            iban="NL55RABO0300000001",
            decisions=[
                {
                    "outcome": "suggested",
                    "confidence": 70,
                    "reason": "refund",
                    "customer": ledger["florist"],
                }
            ],
        ),
    }


@pytest.fixture
def beta(db):
    """Another tenant, with an entry waiting, and a user of its own."""
    outsider = user_make("outsider")
    administration = administration_make("BETA", "Beta Secret Holding", country="BE")
    Membership.objects.create(administration=administration, user=outsider, role="admin")
    customer = customer_factory(administration, "B-777", name="Beta Secret Customer")
    invoice = invoice_factory(customer, "BETA-1", "4321.00", invoice_date=JAN_10)
    entry = entry_make(
        statement_make(administration, "B1"),
        1,
        "4321.00",
        name="Beta Secret Payer",
        decisions=[
            {
                "outcome": "suggested",
                "confidence": 80,
                "reason": "iban_amount",
                "customer": customer,
                "invoices": [invoice_json(invoice, "4321.00")],
            }
        ],
    )
    return {"administration": administration, "entry": entry, "invoice": invoice}


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def url(name, code="ACME", **kwargs):
    return reverse(f"banking:{name}", kwargs={"administration_code": code, **kwargs})


def entry_url(name, entry, code="ACME"):
    return url(name, code, entry_id=entry.pk)


def open_of(invoice) -> Decimal:
    amounts = open_amounts(
        administration=invoice.customer.administration, as_of=ALL, invoice_ids=[invoice.pk]
    )
    return amounts.get(invoice.pk, D("0.00"))


def ledger_rows() -> tuple[int, int, int]:
    return Payment.objects.count(), Allocation.objects.count(), EntryDecision.objects.count()


# --- the queue -------------------------------------------------------------------------------


def test_the_queue_shows_exactly_the_waiting_entries_oldest_first(client, queue):
    login(client, "viewer")
    response = client.get(url("queue"))

    assert response.status_code == 200
    body = response.content.decode()
    waiting = [queue["suggested"], queue["unmatched"], queue["refund"]]
    positions = [body.index(f'data-testid="entry-{entry.pk}"') for entry in waiting]
    assert positions == sorted(positions)
    for entry in (queue["matched"], queue["set_aside"]):
        assert f'data-testid="entry-{entry.pk}"' not in body
    assert "Matched Already" not in body and "Set Aside Earlier" not in body
    assert 'data-testid="queue-count">3</span>' in body


def test_a_line_shows_the_entry_its_proposal_and_the_other_suggestions(client, queue):
    login(client, "viewer")
    body = client.get(url("queue")).content.decode()

    # The entry: date, amount, payer's name and IBAN (in groups of four), description.
    assert "BAKKERIJ JANSEN" in body and "NL02 RABO 0123 4567 89" in body
    assert "factuur 2026-0001 maart" in body and "121.00" in body
    # The proposal: customer, invoice with what is open, confidence, the reason in words.
    assert "Bakkerij Jansen B.V." in body and "2026-0001" in body
    assert "80%" in body and "The invoice number in the description" in body
    # The other suggestion, with its own confidence and reason.
    assert "Bloemen Peeters" in body and "2026-0003" in body and "60%" in body
    assert "The payer&#x27;s name is the customer&#x27;s" in body
    # The unmatched entry says so; the refund proposes the customer's account.
    assert "No customer or invoice found" in body
    assert "A refund, booked on the customer's account" in body


def test_a_viewer_reads_the_queue_without_the_actions(client, queue):
    login(client, "viewer")
    body = client.get(url("queue")).content.decode()

    assert 'data-testid="confirm-0"' not in body
    assert "Split over invoices" not in body


def test_amounts_in_dutch(client, queue):
    login(client, "viewer")
    body = client.get(url("queue"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    assert "121,00" in body and "-20,00" in body
    assert "Het factuurnummer in de omschrijving" in body


def test_keyset_pages(client, queue, monkeypatch):
    monkeypatch.setattr("debitum.banking.views.PAGE_SIZE", 2)
    login(client, "viewer")
    first = client.get(url("queue")).content.decode()
    assert f'href="?after={queue["unmatched"].pk}"' in first
    assert f'data-testid="entry-{queue["refund"].pk}"' not in first

    second = client.get(url("queue"), {"after": queue["unmatched"].pk}).content.decode()
    assert f'data-testid="entry-{queue["refund"].pk}"' in second
    assert f'data-testid="entry-{queue["suggested"].pk}"' not in second


# --- confirm ---------------------------------------------------------------------------------


def test_confirm_the_proposal_in_one_click(client, queue, ledger, users):
    entry = queue["suggested"]
    login(client, "controller")
    response = client.post(entry_url("confirm", entry), {"suggestion": "0"}, **HTMX)

    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body  # the line alone, which htmx puts in place of the old one
    assert f'data-testid="result-{entry.pk}"' in body and "Matched" in body
    assert 'id="queue-count" data-testid="queue-count" hx-swap-oob="true">2</span>' in body
    payment = Payment.objects.get(customer=ledger["baker"])
    assert payment.amount == D("121.00") and payment.payment_date == MAR_2
    allocation = Allocation.objects.get(payment=payment)
    assert (allocation.invoice, allocation.amount) == (ledger["I1"], D("121.00"))
    assert open_of(ledger["I1"]) == D("0.00")
    decision = EntryDecision.objects.filter(entry=entry).latest("id")
    assert (decision.outcome, decision.decided_by) == ("matched", users["controller"])
    event = AuditEvent.objects.get(action="statement_entry.confirm")
    assert event.actor == users["controller"] and "2026-0001" in event.summary
    # The line left the queue.
    queue_page = client.get(url("queue")).content.decode()
    assert f'data-testid="entry-{entry.pk}"' not in queue_page
    assert queue_count(administration=entry.administration) == 2


def test_confirm_another_suggestion(client, queue, ledger):
    entry = queue["suggested"]
    login(client, "controller")
    client.post(entry_url("confirm", entry), {"suggestion": "1"}, **HTMX)

    payment = Payment.objects.get()
    assert payment.customer == ledger["florist"] and payment.amount == D("121.00")
    assert open_of(ledger["I3"]) == D("0.00")
    assert open_of(ledger["I1"]) == D("121.00")  # the proposal's invoice is untouched


def test_confirm_without_javascript_goes_back_to_the_queue(client, queue, ledger):
    login(client, "controller")
    response = client.post(
        entry_url("confirm", queue["suggested"]), {"suggestion": "0"}, follow=True
    )

    assert response.redirect_chain[-1] == (url("queue"), 302)
    body = response.content.decode()
    assert "is matched to C001: 2026-0001 121.00" in body
    assert open_of(ledger["I1"]) == D("0.00")


def test_a_refund_is_booked_on_the_customers_account(client, queue, ledger):
    login(client, "controller")
    client.post(entry_url("confirm", queue["refund"]), {"suggestion": "0"}, **HTMX)

    payment = Payment.objects.get()
    assert (payment.customer, payment.amount) == (ledger["florist"], D("-20.00"))
    assert not Allocation.objects.exists()


def test_an_entry_decided_already_is_not_applied_twice(client, queue, ledger):
    entry = queue["suggested"]
    login(client, "controller")
    client.post(entry_url("confirm", entry), {"suggestion": "0"}, **HTMX)
    before = ledger_rows()

    response = client.post(entry_url("confirm", entry), {"suggestion": "1"}, **HTMX)

    assert "decided already" in response.content.decode()
    assert ledger_rows() == before


# --- split -----------------------------------------------------------------------------------


def test_the_split_form_is_prefilled_from_the_proposal(client, queue):
    login(client, "controller")
    response = client.get(entry_url("split", queue["suggested"]), **HTMX)

    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'name="customer" value="C001"' in body
    assert 'value="2026-0001"' in body and 'value="121.00"' in body
    # What is open for the customer, to choose from.
    assert 'data-testid="customer-open-invoices"' in body and "2026-0002" in body
    assert "250.00" in body


def test_split_over_two_invoices_with_amounts(client, queue, ledger, users):
    entry = queue["unmatched"]  # 300.00 from someone the matcher did not know
    login(client, "controller")
    response = client.post(
        entry_url("split", entry),
        {
            "customer": "C001",
            "rows": "3",
            "invoice_0": "2026-0001",
            "amount_0": "121.00",
            "invoice_1": "2026-0002",
            "amount_1": "179.00",
            "invoice_2": "",
            "amount_2": "",
        },
        **HTMX,
    )

    assert response.status_code == 200
    assert f'data-testid="result-{entry.pk}"' in response.content.decode()
    payment = Payment.objects.get()
    assert (payment.customer, payment.amount) == (ledger["baker"], D("300.00"))
    assert sorted(
        Allocation.objects.filter(payment=payment).values_list("invoice__number", "amount")
    ) == [("2026-0001", D("121.00")), ("2026-0002", D("179.00"))]
    assert open_of(ledger["I1"]) == D("0.00")
    assert open_of(ledger["I2"]) == D("71.00")
    event = AuditEvent.objects.get(action="statement_entry.confirm")
    assert event.actor == users["controller"]
    assert f'data-testid="entry-{entry.pk}"' not in client.get(url("queue")).content.decode()


def test_split_amounts_typed_the_dutch_way(client, queue, ledger):
    login(client, "controller")
    client.post(
        entry_url("split", queue["unmatched"]),
        {"customer": "C001", "rows": "2", "invoice_0": "2026-0002", "amount_0": "179,50"},
        HTTP_ACCEPT_LANGUAGE="nl",
        **HTMX,
    )

    assert open_of(ledger["I2"]) == D("70.50")
    # The rest of the 300.00 stays on the customer's account.
    assert Payment.objects.get().amount == D("300.00")


def test_a_split_with_too_much_on_an_invoice_shows_the_error_and_changes_nothing(
    client, queue, ledger
):
    entry = queue["unmatched"]
    login(client, "controller")
    before = ledger_rows()
    response = client.post(
        entry_url("split", entry),
        {
            "customer": "C001",
            "rows": "2",
            "invoice_0": "2026-0001",
            "amount_0": "150.00",
            "invoice_1": "2026-0002",
            "amount_1": "150.00",
        },
        **HTMX,
    )

    assert response.status_code == 200  # htmx puts the form with its error in place
    body = response.content.decode()
    assert "Only 121.00 is open on invoice 2026-0001." in body
    assert 'value="150.00"' in body  # what was typed stays
    assert ledger_rows() == before
    assert open_of(ledger["I1"]) == D("121.00")
    assert not AuditEvent.objects.filter(action="statement_entry.confirm").exists()
    assert f'data-testid="entry-{entry.pk}"' in client.get(url("queue")).content.decode()


def test_a_split_over_more_than_the_entry_shows_the_error(client, queue, ledger):
    login(client, "controller")
    before = ledger_rows()
    response = client.post(
        entry_url("split", queue["unmatched"]),
        {
            "customer": "C001",
            "rows": "2",
            "invoice_0": "2026-0001",
            "amount_0": "121.00",
            "invoice_1": "2026-0002",
            "amount_1": "250.00",
        },
    )

    assert response.status_code == 400  # without JavaScript: the page again, with the error
    body = response.content.decode()
    assert "<html" in body
    assert "The entry is 300.00: 250.00 on 2026-0002 is more than is left of it." in body
    assert ledger_rows() == before


def test_a_split_names_what_does_not_exist_or_is_anothers(client, queue, ledger):
    login(client, "controller")
    response = client.post(
        entry_url("split", queue["unmatched"]),
        {"customer": "C001", "rows": "2", "invoice_0": "2026-0003", "invoice_1": "NOPE"},
        **HTMX,
    )
    body = response.content.decode()
    assert "Invoice 2026-0003 is not of customer C001." in body
    assert "There is no invoice NOPE." in body

    response = client.post(
        entry_url("split", queue["unmatched"]), {"customer": "C999", "rows": "0"}, **HTMX
    )
    assert "There is no customer C999." in response.content.decode()
    assert not Payment.objects.exists()


def test_changing_the_customer_shows_their_open_invoices(client, queue):
    login(client, "controller")
    response = client.get(
        entry_url("split", queue["unmatched"]), {"customer": "C002", "rows": "2"}, **HTMX
    )

    body = response.content.decode()
    assert "Bloemen Peeters" in body and "2026-0003" in body and "80.00" in body
    assert "2026-0001" not in body


def test_the_split_page_without_javascript(client, queue):
    login(client, "controller")
    response = client.get(entry_url("split", queue["suggested"]))

    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body
    assert 'data-testid="split-form-' in body


# --- ignore ----------------------------------------------------------------------------------


def test_mark_as_not_a_customer_payment(client, queue, users):
    entry = queue["unmatched"]
    login(client, "controller")
    response = client.post(
        entry_url("ignore", entry), {"note": "transfer from our savings account"}, **HTMX
    )

    body = response.content.decode()
    assert "Set aside: not a customer payment" in body
    assert "transfer from our savings account" in body
    decision = EntryDecision.objects.filter(entry=entry).latest("id")
    assert (decision.outcome, decision.detail) == ("ignored", "transfer from our savings account")
    assert not Payment.objects.exists()
    event = AuditEvent.objects.get(action="statement_entry.ignore")
    assert event.actor == users["controller"]
    assert queue_count(administration=entry.administration) == 2


def test_ignore_without_a_note_and_without_javascript(client, queue):
    login(client, "controller")
    response = client.post(entry_url("ignore", queue["unmatched"]), {})

    assert response.status_code == 302 and response.url == url("queue")
    assert EntryDecision.objects.filter(entry=queue["unmatched"]).latest("id").outcome == "ignored"


# --- roles and tenants -----------------------------------------------------------------------


def test_a_viewer_may_not_act(client, queue):
    login(client, "viewer")
    entry = queue["suggested"]
    before = ledger_rows()

    assert client.post(entry_url("confirm", entry), {"suggestion": "0"}).status_code == 403
    assert client.get(entry_url("split", entry)).status_code == 403
    assert client.post(entry_url("split", entry), {"customer": "C001"}).status_code == 403
    assert client.post(entry_url("ignore", entry), {}).status_code == 403
    assert client.post(url("statements_preview")).status_code == 403
    assert client.post(url("statements_run"), {"token": "x" * 32}).status_code == 403
    assert ledger_rows() == before
    assert client.get(entry_url("line", entry), **HTMX).status_code == 200


@pytest.mark.parametrize("role", ["controller", "manager", "admin"])
def test_a_controller_and_up_may_act(client, queue, role):
    login(client, role)
    response = client.post(entry_url("confirm", queue["suggested"]), {"suggestion": "0"}, **HTMX)
    assert response.status_code == 200 and Payment.objects.count() == 1


def test_another_administration_is_404_on_every_page_and_action(client, queue, beta):
    beta_entry = beta["entry"]
    acme_entry = queue["suggested"]

    # ACME's controller on BETA's pages, and on BETA's entry through ACME's pages.
    login(client, "controller")
    for path in (url("queue", "BETA"), url("statements", "BETA")):
        assert client.get(path).status_code == 404
    for name in ("line", "split"):
        assert client.get(entry_url(name, beta_entry, "BETA")).status_code == 404
        assert client.get(entry_url(name, beta_entry)).status_code == 404
    for name in ("confirm", "split", "ignore"):
        assert client.post(entry_url(name, beta_entry, "BETA"), {}).status_code == 404
        assert client.post(entry_url(name, beta_entry), {"customer": "B-777"}).status_code == 404
    for name in ("statements_preview", "statements_run"):
        assert client.post(url(name, "BETA")).status_code == 404
    assert "Beta Secret" not in client.get(url("queue")).content.decode()

    # BETA's user on ACME.
    client.logout()
    login(client, "outsider")
    assert client.get(url("queue")).status_code == 404
    assert client.get(url("statements")).status_code == 404
    assert client.post(entry_url("confirm", acme_entry), {}).status_code == 404
    assert client.post(entry_url("confirm", acme_entry, "BETA"), {}).status_code == 404
    assert client.post(entry_url("ignore", acme_entry, "BETA"), {}).status_code == 404

    assert not Payment.objects.exists()
    assert EntryDecision.objects.filter(entry=beta_entry).count() == 1
    assert open_of(beta["invoice"]) == D("4321.00")


def test_anonymous_is_sent_to_the_login(client, queue):
    response = client.get(url("queue"))
    assert response.status_code == 302 and "/login/" in response.url


# --- the statement upload --------------------------------------------------------------------


@pytest.fixture
def camt053(shared_data):
    formats = pytest.importorskip("debitum.banking.formats")
    if not hasattr(formats, "parse_statement"):
        pytest.skip("the statement parsers (banking.formats.parse_statement) are not there yet")
    path = shared_data / "test-camt053"
    if not path.is_file():
        pytest.skip(f"no {path}")
    return path


@pytest.fixture
def shared_data():
    folder = Path(__file__).resolve().parents[5] / "shared" / "data"
    if not folder.is_dir():
        pytest.skip(f"the shared sample data is not at {folder}")
    return folder


def upload(client, path, *, code="ACME", name=None, mapping="", **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = path.read_bytes() if hasattr(path, "read_bytes") else path
    # The preview is a background job (run at once in tests); its page sends the browser back
    # to the statements page with the finished preview.
    return client.post(
        url("statements_preview", code),
        {"file": SimpleUploadedFile(name or path.name, data), "mapping": mapping},
        follow=True,
        **extra,
    )


def token_of(response) -> str:
    body = response.content.decode()
    start = body.index('name="token" value="') + len('name="token" value="')
    return body[start : body.index('"', start)]


def bank_rows():
    return (
        Statement.objects.count(),
        StatementEntry.objects.count(),
        EntryDecision.objects.count(),
        ImportBatch.objects.count(),
        Payment.objects.count(),
    )


def test_the_statements_page(client, acme, queue):
    login(client, "viewer")
    response = client.get(url("statements"))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="statement-upload"' not in body  # a viewer does not upload
    assert "NL91 ABNA 0417 1643 00" in body and "1,000.00" in body and "1,956.00" in body


def test_the_upload_preview_changes_nothing(client, acme, camt053):
    login(client, "controller")
    before = bank_rows()
    response = upload(client, camt053)

    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="statement-preview"' in body
    # The sample's account, balances and its credit (README: 3 entries, 15,568.27 -> 15,121.12).
    assert "NL77 ABNA 0574 9087 65" in body
    assert "15,568.27" in body and "15,121.12" in body
    assert "3rd party Media" in body and "1,405.31" in body
    assert 'data-testid="statement-import"' in body
    assert bank_rows() == before


def test_the_import_writes_and_the_same_file_again_was_imported_before(client, acme, camt053):
    login(client, "controller")
    preview = upload(client, camt053)
    response = client.post(url("statements_run"), {"token": token_of(preview)}, follow=True)

    # The import is a background job (run at once in tests); the browser lands on its page.
    job = Job.objects.get(administration=acme, kind="banking.statement")
    assert response.redirect_chain[-1] == (f"/jobs/ACME/{job.pk}/", 302)
    assert job.state == "done" and job.created_by.username == "controller"
    body = response.content.decode()
    message = body[body.index('data-testid="job-summary"') :].split("<p>", 1)[1].split("<", 1)[0]
    # What becomes of each entry is the matcher's business (banking/tests); here: it is counted.
    assert message.startswith("test-camt053 imported. Statements: 1; entries: 4 (")
    body = client.get(url("statements")).content.decode()
    statement = Statement.objects.get(administration=acme)
    assert statement.account_iban == "NL77ABNA0574908765"
    assert statement.closing_balance == D("15121.12")
    assert StatementEntry.objects.filter(statement=statement).exists()
    batch = ImportBatch.objects.get(kind="statements")
    assert batch.file_name == "test-camt053"
    history = body[body.index('data-testid="statement-history"') :]
    assert "NL77 ABNA 0574 9087 65" in history and "15,121.12" in history
    after = bank_rows()

    again = upload(client, camt053)
    body = again.content.decode()
    assert 'data-testid="already-imported"' in body
    assert 'data-testid="statement-import"' not in body
    assert bank_rows() == after


def test_an_unreadable_file_names_the_file_and_the_place(client, acme, camt053):
    login(client, "controller")
    broken = b"<Document><BkToCstmrStmt><Stmt>"
    response = upload(client, broken, name="broken.xml")

    job = Job.objects.get(kind="banking.statement_preview")
    assert (job.state, response.redirect_chain[-1]) == (
        "failed",
        (f"{url('statements')}?preview={job.pk}", 302),
    )
    body = response.content.decode()
    assert 'data-testid="statement-error"' in body and "broken.xml" in body
    assert 'data-testid="statement-import"' not in body
    assert bank_rows() == (0, 0, 0, 0, 0)


def test_the_size_limit(client, acme, settings):
    settings.DEBITUM_IMPORT_MAX_BYTES = 100
    login(client, "controller")
    response = upload(client, b"x" * 101, name="big.xml")

    assert response.status_code == 400
    assert "the limit is 100" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_token_of_another_user_finds_nothing(client, acme, users, camt053):
    login(client, "controller")
    token = token_of(upload(client, camt053))
    client.logout()
    login(client, "manager")
    response = client.post(url("statements_run"), {"token": token}, follow=True)

    assert "no longer there" in response.content.decode()
    assert not Statement.objects.exists()


def test_the_pages_in_french(client, queue):
    login(client, "viewer")
    queue_page = client.get(url("queue"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    statements_page = client.get(url("statements"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Mouvements à lettrer" in queue_page and "Proposition" in queue_page
    assert "Extraits importés" in statements_page and "1 000,00" in statements_page.replace(
        "\xa0", " "
    )


def test_a_bank_csv_with_the_preset_chosen(client, acme, camt053):
    # A hand-made ING "Af Bij" export (banking/tests/data/README.md).
    path = Path(__file__).parent / "data" / "handmade-ing-nl.csv"
    login(client, "controller")
    response = upload(client, path, mapping="ing-nl")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="preview-entries"' in body and 'data-testid="statement-import"' in body
    assert '<option value="ing-nl" selected>' in body  # kept for the next file
    assert bank_rows() == (0, 0, 0, 0, 0)


def test_a_page_costs_the_same_queries_whatever_its_length(client, queue, ledger):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, "viewer")
    with CaptureQueriesContext(connection) as few:
        client.get(url("queue"))
    statement = queue["suggested"].statement
    for sequence in range(10, 30):
        entry_make(
            statement,
            sequence,
            "121.00",
            decisions=[
                {
                    "outcome": "suggested",
                    "confidence": 80,
                    "reason": "invoice_number",
                    "customer": ledger["baker"],
                    "invoices": [invoice_json(ledger["I1"], "121.00")],
                    "suggestions": [
                        {
                            "customer_id": ledger["florist"].pk,
                            "invoices": [invoice_json(ledger["I3"], "80.00")],
                            "confidence": 60,
                            "reason": "name",
                        }
                    ],
                }
            ],
        )
    with CaptureQueriesContext(connection) as many:
        body = client.get(url("queue")).content.decode()

    assert body.count('class="card bank-line') == 23
    assert len(many) == len(few)
