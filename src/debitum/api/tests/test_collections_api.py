"""Notes, promises, disputes, plans and tasks through the API: the collector's actions."""

import datetime as dt

import pytest

from debitum.disputes.models import Dispute
from debitum.ledger.tests.factories import invoice_factory
from debitum.notes.models import Note
from debitum.promises.models import Promise
from debitum.tasks.models import Task

pytestmark = pytest.mark.django_db

BASE = "/api/administrations/ACME"


@pytest.fixture
def f1(c1):
    return invoice_factory(c1, "F1", "500.00", invoice_date=dt.date(2025, 1, 2),
                           due_date=dt.date(2025, 2, 1))  # fmt: skip


def test_a_call_is_logged_on_the_customer_and_listed(api, f1):
    response = api["controller"].post(f"{BASE}/customers/C1/notes", {
        "kind": "call", "outcome": "promise", "text": "Pays Friday", "invoice_number": "F1"})  # fmt: skip
    assert response.status_code == 201
    assert response.json() == {
        "id": Note.objects.get().pk, "customer_number": "C1", "invoice_number": "F1",
        "kind": "call", "outcome": "promise", "text": "Pays Friday", "note_date": "2025-03-20",
        "created_by": "controller-user",
    }  # fmt: skip
    listed = api["viewer"].get(f"{BASE}/customers/C1/notes").json()
    assert [note["text"] for note in listed["items"]] == ["Pays Friday"]


def test_a_call_without_outcome_is_refused_naming_the_field(api, f1):
    response = api["controller"].post(f"{BASE}/customers/C1/notes", {"kind": "call"})
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["outcome"]
    assert api["viewer"].post(f"{BASE}/customers/C1/notes", {"kind": "note", "text": "x"}
                              ).status_code == 403  # fmt: skip
    assert not Note.objects.exists()


def test_a_promise_is_registered_listed_and_cancelled(api, f1):
    response = api["controller"].post(f"{BASE}/promises", {
        "customer_number": "C1", "amount": "500.00", "promised_date": "2025-03-28"})  # fmt: skip
    assert response.status_code == 201
    promise = response.json()
    assert promise == {
        "id": Promise.objects.get().pk, "customer_number": "C1", "promise_date": "2025-03-20",
        "promised_date": "2025-03-28", "currency": "EUR", "amount": "500.00", "grace_days": 3,
        "status": "open", "closed_date": None, "note": "",
    }  # fmt: skip
    assert [p["id"] for p in api["sales"].get(f"{BASE}/promises", status="open").json()["items"]
            ] == [promise["id"]]  # fmt: skip
    cancelled = api["controller"].post(f"{BASE}/promises/{promise['id']}/cancel",
                                       {"reason": "replaced by a plan"})  # fmt: skip
    assert (cancelled.json()["status"], cancelled.json()["closed_date"]) == (
        "cancelled",
        "2025-03-20",
    )
    again = api["controller"].post(f"{BASE}/promises/{promise['id']}/cancel", {})
    assert again.status_code == 422 and list(again.json()["error"]["fields"]) == ["status"]


def test_a_promise_before_its_date_is_refused(api, f1):
    response = api["controller"].post(f"{BASE}/promises", {
        "customer_number": "C1", "amount": "5.00", "promised_date": "2025-03-01"})  # fmt: skip
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["promised_date"]
    response = api["controller"].post(f"{BASE}/promises", {
        "customer_number": "C1", "amount": "-5.00", "promised_date": "2025-04-01"})  # fmt: skip
    assert list(response.json()["error"]["fields"]) == ["amount"]


def test_a_dispute_is_opened_and_resolved_with_a_credit_note(api, f1):
    response = api["controller"].post(f"{BASE}/disputes", {
        "invoice_number": "F1", "reason": "quality", "amount": "200.00"})  # fmt: skip
    assert response.status_code == 201
    dispute = response.json()
    assert (dispute["invoice_number"], dispute["amount"], dispute["status"]) == (
        "F1",
        "200.00",
        "open",
    )
    twice = api["controller"].post(f"{BASE}/disputes", {"invoice_number": "F1", "reason": "other"})
    assert twice.status_code == 422 and list(twice.json()["error"]["fields"]) == ["invoice"]
    resolved = api["controller"].post(f"{BASE}/disputes/{dispute['id']}/resolve", {
        "resolution": "upheld", "credit_amount": "200.00"}).json()  # fmt: skip
    assert (resolved["status"], resolved["resolution"], resolved["credit_note_number"]) == (
        "resolved",
        "upheld",
        "F1-CN1",
    )
    assert api["viewer"].get(f"{BASE}/invoices/F1").json()["open_amount"] == "300.00"
    assert api["viewer"].get(f"{BASE}/disputes", status="resolved").json()["items"][0]["id"] == (
        dispute["id"])  # fmt: skip


def test_a_dispute_needs_a_known_reason(api, f1):
    response = api["controller"].post(f"{BASE}/disputes", {"invoice_number": "F1", "reason": "x"})
    assert response.status_code == 422 and list(response.json()["error"]["fields"]) == ["reason"]
    assert not Dispute.objects.exists()


def test_a_plan_with_its_schedule(api, f1, c1):
    invoice_factory(c1, "F2", "100.01", invoice_date=dt.date(2025, 2, 2))
    response = api["controller"].post(f"{BASE}/plans", {
        "customer_number": "C1", "instalments": 3, "first_date": "2025-04-01",
        "send_confirmation": False})  # fmt: skip
    assert response.status_code == 201
    plan = response.json()
    assert (plan["total"], plan["status"], plan["invoices"]) == ("600.01", "active", ["F1", "F2"])
    assert plan["schedule"] == [
        {"number": 1, "due_date": "2025-04-01", "amount": "200.00"},
        {"number": 2, "due_date": "2025-05-01", "amount": "200.00"},
        {"number": 3, "due_date": "2025-06-01", "amount": "200.01"},
    ]
    assert api["viewer"].get(f"{BASE}/plans/{plan['id']}").json() == plan
    assert [p["id"] for p in api["viewer"].get(f"{BASE}/plans").json()["items"]] == [plan["id"]]
    refused = api["controller"].post(f"{BASE}/plans", {
        "customer_number": "C1", "instalments": 2, "first_date": "2025-04-01",
        "invoice_numbers": ["F1"], "send_confirmation": False})  # fmt: skip
    assert refused.status_code == 422 and list(refused.json()["error"]["fields"]) == ["invoices"]


def test_an_open_task_is_listed_and_marked_done(api, acme, c1):
    task = Task.objects.create(administration=acme, customer=c1, kind="phone_call",
                               title="Call Jansen", due_date=dt.date(2025, 3, 20))  # fmt: skip
    listed = api["viewer"].get(f"{BASE}/tasks").json()["items"]
    assert [(t["id"], t["title"], t["status"]) for t in listed] == [
        (task.pk, "Call Jansen", "open")
    ]
    done = api["controller"].post(f"{BASE}/tasks/{task.pk}/done", {"outcome": "pays Friday"})
    assert (done.json()["status"], done.json()["outcome"]) == ("done", "pays Friday")
    assert api["viewer"].get(f"{BASE}/tasks").json()["items"] == []
    assert api["controller"].post(f"{BASE}/tasks/{task.pk}/done", {}).status_code == 422
    assert api["viewer"].post(f"{BASE}/tasks/{task.pk}/done", {}).status_code == 403
