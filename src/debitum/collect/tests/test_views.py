"""The pages and the actions: who may see and do what, and what each action writes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from debitum.audit.models import AuditEvent
from debitum.disputes.models import Dispute
from debitum.dunning.models import Pause
from debitum.ledger.models import WriteOff
from debitum.notes.models import Note
from debitum.outbox.models import Document
from debitum.plans.models import PaymentPlan
from debitum.promises.models import Promise
from debitum.tasks.models import Task

from .conftest import login

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, code="ACME", **kwargs):
    return reverse(f"collect:{name}", kwargs={"administration_code": code, **kwargs})


def action_url(action, number="C1", code="ACME"):
    return url("action", code, number=number, action=action)


def test_the_work_list_shows_the_lines_in_priority_order(client, acme, customers):
    login(client, "viewer")
    response = client.get(url("worklist"), {"as_of": "2025-03-31"})

    assert response.status_code == 200
    body = response.content.decode()
    order = [body.index(name) for name in ("Beta Bouw", "Gamma Glas", "Alfa Advies", "Delta Dak")]
    assert order == sorted(order)
    assert "Echo Elektro" not in body
    assert "Call Beta Bouw: promise broken" in body


def test_a_filter_answers_htmx_with_the_rows_only(client, acme, customers):
    login(client, "viewer")
    response = client.get(url("worklist"), {"segment": "high", "as_of": "2025-03-31"}, **HTMX)

    body = response.content.decode()
    assert "<html" not in body
    assert "Beta Bouw" in body and "Gamma Glas" not in body


def test_amounts_in_dutch(client, acme, customers):
    login(client, "viewer")
    response = client.get(url("worklist"), HTTP_ACCEPT_LANGUAGE="nl")
    assert "5.000,00" in response.content.decode()


def test_the_dossier_shows_header_items_and_timeline(client, acme, customers, users):
    delta = customers["C4"]
    delta.credit_limit = Decimal("1000.00")
    delta.save()
    Note.objects.create(
        administration=acme,
        customer=delta,
        kind="note",
        text="Director on holiday",
        note_date=dt.date(2025, 3, 1),
    )
    login(client, "viewer")
    response = client.get(url("dossier", number="C4"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Delta Dak" in body and "D-1" in body and "D-2" in body
    assert "1,000.00" in body  # the credit limit
    assert "50% used" in body
    assert "Director on holiday" in body
    assert "Invoice D-2" in body


def test_a_key_accounts_open_items_are_listed_the_oldest_first_then_all(
    client, acme, customers, monkeypatch
):
    from debitum.collect import views

    monkeypatch.setattr(views, "OPEN_ITEMS_SHOWN", 1)  # Delta Dak has D-1 and D-2 open
    login(client, "viewer")
    body = client.get(url("dossier", number="C4")).content.decode()
    items = body.split('data-testid="open-items"', 1)[1].split("</table>", 1)[0]
    assert "D-1" in items and "D-2" not in items  # D-1 is due first
    assert 'data-testid="more-items"' in body and "The 1 oldest of 2 open items." in body
    everything = client.get(url("dossier", number="C4"), {"items": "all"}).content.decode()
    items = everything.split('data-testid="open-items"', 1)[1].split("</table>", 1)[0]
    assert "D-1" in items and "D-2" in items and 'data-testid="more-items"' not in everything


def test_a_manager_assigns_customers_to_a_collector(client, acme, customers, users):
    login(client, "manager")
    ids = [customers["C1"].pk, customers["C2"].pk]
    response = client.post(
        url("assign"), {"customer_ids": ids, "collector": users["controller"].pk}, **HTMX
    )

    assert response.status_code == 200
    customers["C1"].refresh_from_db()
    assert customers["C1"].collector == users["controller"]
    assert AuditEvent.objects.filter(action="customer.assign").count() == 2


@pytest.mark.parametrize("role", ["viewer", "sales", "controller"])
def test_below_manager_nobody_assigns(client, acme, customers, users, role):
    login(client, role)
    response = client.post(
        url("assign"), {"customer_ids": [customers["C1"].pk], "collector": users[role].pk}
    )
    assert response.status_code == 403
    customers["C1"].refresh_from_db()
    assert customers["C1"].collector is None


@pytest.mark.parametrize("role", ["viewer", "sales"])
def test_readers_cannot_act(client, acme, customers, role):
    login(client, role)
    response = client.post(action_url("call"), {"outcome": "reached", "text": "hi"})

    assert response.status_code == 403
    assert not Note.objects.exists()


@pytest.mark.parametrize("action", ["approval", "write_off"])
def test_a_controller_neither_approves_nor_writes_off(client, acme, customers, action):
    login(client, "controller")
    assert client.get(action_url(action)).status_code == 403


def test_another_administration_gets_404_on_every_page_and_action(client, acme, customers, beta):
    login(client, "outsider")
    gets = [
        url("worklist"),
        url("dossier", number="C1"),
        url("panel", number="C1"),
        url("plan_preview", number="C1"),
    ]
    for target in gets:
        assert client.get(target).status_code == 404, target
    for action in (
        "call",
        "note",
        "promise",
        "dispute",
        "dispute_resolve",
        "plan",
        "pause",
        "segment",
        "escalate",
        "approval",
        "write_off",
    ):
        assert client.post(action_url(action), {"text": "x"}).status_code == 404, action
    assert client.post(url("assign"), {"customer_ids": [customers["C1"].pk]}).status_code == 404
    # And the outsider's own customer number does not open in ACME.
    assert client.get(url("dossier", number="B-777")).status_code == 404


def test_a_document_is_served_to_members_only(client, acme, customers, beta, settings):
    folder = settings.DEBITUM_DOCUMENTS_DIR / "ACME"
    folder.mkdir(parents=True)
    (folder / "letter.pdf").write_bytes(b"%PDF-1.4 test")
    document = Document.objects.create(
        administration=acme,
        customer=customers["C1"],
        path="ACME/letter.pdf",
        sha256="0" * 64,
        size=13,
    )
    login(client, "viewer")
    response = client.get(url("document", document_id=document.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    client.logout()
    login(client, "outsider")
    assert client.get(url("document", document_id=document.pk)).status_code == 404
    assert client.get(url("document", "BETA", document_id=document.pk)).status_code == 404


def post(client, action, data, number="C1"):
    response = client.post(action_url(action, number), data, **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def test_a_call_with_its_outcome(client, acme, customers):
    login(client, "controller")
    body = post(client, "call", {"outcome": "no_answer", "text": ""})

    note = Note.objects.get()
    assert (note.kind, note.outcome, note.customer) == ("call", "no_answer", customers["C1"])
    assert AuditEvent.objects.filter(action="note.call", object_id=str(note.pk)).exists()
    assert "Call logged." in body


def test_a_note_needs_its_text_and_says_so_next_to_the_field(client, acme, customers):
    login(client, "controller")
    body = post(client, "note", {"text": ""})
    assert "field__error" in body
    assert not Note.objects.exists()
    post(client, "note", {"text": "Sent the invoice copy"})
    assert Note.objects.get().text == "Sent the invoice copy"
    assert AuditEvent.objects.filter(action="note.note").count() == 1


def test_a_promise(client, acme, customers):
    login(client, "controller")
    promised = timezone.localdate() + dt.timedelta(days=7)
    post(
        client, "promise", {"amount": "1000.00", "promised_date": promised.isoformat(), "note": ""}
    )

    promise = Promise.objects.get(customer=customers["C1"])
    assert (promise.amount, promise.promised_date, promise.status) == (
        Decimal("1000.00"),
        promised,
        "open",
    )
    assert AuditEvent.objects.filter(action="promise.register").exists()


def test_a_dispute_opened_then_resolved(client, acme, customers):
    login(client, "controller")
    invoice = customers["C1"].invoices.get()
    post(
        client,
        "dispute",
        {"invoice": invoice.pk, "reason": "quality", "amount": "", "note": "scratched"},
    )
    dispute = Dispute.objects.get()
    assert (dispute.invoice, dispute.reason, dispute.amount) == (invoice, "quality", None)

    body = post(client, "dispute", {"invoice": invoice.pk, "reason": "quality", "amount": ""})
    assert "already has an open dispute" in body
    assert Dispute.objects.count() == 1

    post(
        client,
        "dispute_resolve",
        {"dispute": dispute.pk, "resolution": "rejected", "credit_amount": ""},
    )
    dispute.refresh_from_db()
    assert (dispute.status, dispute.resolution) == ("resolved", "rejected")
    assert AuditEvent.objects.filter(action__in=["dispute.open", "dispute.resolve"]).count() == 2


def test_a_pause_with_its_end_date(client, acme, customers):
    login(client, "controller")
    until = timezone.localdate() + dt.timedelta(days=14)
    post(client, "pause", {"until": until.isoformat(), "reason": "moving offices"})
    pause = Pause.objects.get()
    assert (pause.end_date, pause.reason, pause.invoice) == (until, "moving offices", None)
    assert AuditEvent.objects.filter(action="dunning.pause").exists()

    body = post(client, "pause", {"until": "2000-01-01", "reason": "too late"})
    assert "field__error" in body and Pause.objects.count() == 1


def test_segment_change_and_escalation_request(client, acme, customers):
    login(client, "controller")
    post(client, "segment", {"segment": "high", "reason": "paid late three times"})
    customers["C1"].refresh_from_db()
    assert customers["C1"].segment == "high"
    assert AuditEvent.objects.get(action="customer.segment").changes == {
        "segment": ["normal", "high"]
    }

    post(client, "escalate", {"reason": "no answer for a month"})
    assert (
        Task.objects.get(customer=customers["C1"], kind="handover").detail
        == "no answer for a month"
    )


def test_a_plan_previewed_then_created(client, acme, customers):
    login(client, "controller")
    first = timezone.localdate() + dt.timedelta(days=10)
    preview = client.get(
        url("plan_preview", number="C1"),
        {"instalments": "3", "first_date": first.isoformat(), "every": "month"},
        **HTMX,
    ).content.decode()
    assert "333.33" in preview and "333.34" in preview
    assert not PaymentPlan.objects.exists()

    post(
        client,
        "plan",
        {"instalments": "3", "first_date": first.isoformat(), "every": "month", "note": ""},
    )
    plan = PaymentPlan.objects.get()
    assert (plan.total, plan.instalments.count()) == (Decimal("1000.00"), 3)
    assert AuditEvent.objects.filter(action="plan.create").exists()


def test_a_manager_writes_off(client, acme, customers):
    login(client, "manager")
    invoice = customers["C1"].invoices.get()
    post(client, "write_off", {"invoice": invoice.pk, "amount": "100.00", "reason": "goodwill"})
    write_off = WriteOff.objects.get()
    assert (write_off.amount, write_off.reason) == (Decimal("100.00"), "goodwill")
    assert AuditEvent.objects.filter(action="invoice.write_off").exists()
    body = client.get(url("dossier", number="C1")).content.decode()
    assert "Written off on A-1" in body


def test_the_dossier_in_french(client, acme, customers):
    login(client, "controller")
    response = client.get(url("dossier", number="C4"), HTTP_ACCEPT_LANGUAGE="fr")
    body = response.content.decode()
    assert "Postes ouverts" in body and "Enregistrer un appel" in body
    assert "200,00" in body
