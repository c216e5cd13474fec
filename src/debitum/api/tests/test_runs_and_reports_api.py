"""Dunning runs and approvals, the aging report and the work list through the API."""

import datetime as dt

import pytest

from debitum.dunning.models import DunningAction, DunningRun
from debitum.dunning.tests.factories import policy_factory
from debitum.ledger.tests.factories import invoice_factory
from debitum.reports.exports import aging_as_dict
from debitum.reports.selectors import aging_report

pytestmark = pytest.mark.django_db

BASE = "/api/administrations/ACME"
# One step: a phone call from day 7 after the due date, which a manager must approve.
CALL_WITH_APPROVAL = [("phone_call", 7, 0, "phone_task", False, False, True)]


@pytest.fixture
def overdue(acme, c1):
    policy_factory(acme, ladder=CALL_WITH_APPROVAL)
    return invoice_factory(c1, "F1", "500.00", invoice_date=dt.date(2025, 1, 2),
                           due_date=dt.date(2025, 2, 1))  # fmt: skip


def test_a_dry_run_answers_and_keeps_nothing(api, overdue):
    response = api["controller"].post(f"{BASE}/dunning-runs", {"dry_run": True})
    assert response.status_code == 200
    body = response.json()
    assert (body["as_of"], body["dry_run"], body["already_run"]) == ("2025-03-20", True, False)
    [action] = body["actions"]
    assert (action["customer_number"], action["kind"], action["invoices"], action["principal"],
            action["status"]) == ("C1", "phone_call", ["F1"], "500.00", "awaiting_approval")  # fmt: skip
    assert not DunningRun.objects.exists()


def test_a_run_then_a_manager_approves_its_action(api, overdue):
    body = api["controller"].post(f"{BASE}/dunning-runs", {"as_of": "2025-03-20"}).json()
    [action] = body["actions"]
    run = DunningRun.objects.get()
    runs = api["viewer"].get(f"{BASE}/dunning-runs").json()["items"]
    assert [(r["id"], r["as_of"]) for r in runs] == [(run.pk, "2025-03-20")]
    detail = api["viewer"].get(f"{BASE}/dunning-runs/{run.pk}", status="awaiting_approval").json()
    assert [a["id"] for a in detail["actions"]] == [action["id"]]
    url = f"{BASE}/dunning-actions/{action['id']}/approve"
    forbidden = api["controller"].post(url)
    assert forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "forbidden"
    approved = api["manager"].post(url)
    assert approved.status_code == 200
    assert approved.json()["status"] == "executed"
    assert api["manager"].post(url).status_code == 409
    assert api["controller"].post(f"{BASE}/dunning-runs", {}).json()["already_run"] is True


def test_a_manager_rejects_an_action(api, overdue):
    [action] = api["controller"].post(f"{BASE}/dunning-runs", {}).json()["actions"]
    url = f"{BASE}/dunning-actions/{action['id']}/reject"
    assert api["manager"].post(url, {"reason": ""}).status_code == 422
    response = api["manager"].post(url, {"reason": "talking to them", "pause_until": "2025-04-15"})
    assert response.json()["status"] == "rejected"
    assert DunningAction.objects.get().status == "rejected"


def test_a_dry_run_of_a_day_already_run_answers_that_it_was_run(api, overdue):
    # Found by Schemathesis: the dry run decided again and hit the day's run row (a 500).
    api["controller"].post(f"{BASE}/dunning-runs", {"as_of": "2025-03-20"})
    response = api["controller"].post(f"{BASE}/dunning-runs", {"as_of": "2025-03-20",
                                                               "dry_run": True})  # fmt: skip
    assert response.status_code == 200
    assert response.json() == {"as_of": "2025-03-20", "administration": "ACME", "dry_run": True,
                               "already_run": True, "actions": [], "skipped": {}}  # fmt: skip
    assert DunningRun.objects.count() == 1 and DunningAction.objects.count() == 1


def test_readers_cannot_run_dunning(api, overdue):
    assert api["sales"].post(f"{BASE}/dunning-runs", {}).status_code == 403
    assert not DunningRun.objects.exists()


def test_aging_is_the_json_of_the_command(api, acme, overdue, c1):
    invoice_factory(c1, "F2", "250.00", invoice_date=dt.date(2025, 3, 1),
                    due_date=dt.date(2025, 3, 31))  # fmt: skip
    response = api["viewer"].get(f"{BASE}/aging", as_of="2025-03-20")
    assert response.status_code == 200
    expected = aging_as_dict(aging_report(administration=acme, as_of=dt.date(2025, 3, 20)))
    assert response.json() == expected
    assert response.json()["currencies"]["EUR"]["31-60"] == "500.00"
    assert response.json()["currencies"]["EUR"]["current"] == "250.00"


def test_the_work_list_with_filters_and_cursor(api, acme, overdue, c1):
    from debitum.customers.tests.factories import customer_factory

    c2 = customer_factory(acme, "C2", name="Smit", country="BE", language="fr")
    invoice_factory(c2, "F9", "90.00", invoice_date=dt.date(2025, 1, 2),
                    due_date=dt.date(2025, 2, 1))  # fmt: skip
    body = api["sales"].get(f"{BASE}/worklist", limit=1).json()
    [line] = body["items"]
    assert (line["customer_number"], line["overdue_amount"], line["days_overdue"]) == (
        "C1",
        "500.00",
        47,
    )
    assert line["collector"] is None
    rest = api["sales"].get(f"{BASE}/worklist", limit=1, after=body["next"]).json()
    assert [item["customer_number"] for item in rest["items"]] == ["C2"]
    only_be = api["sales"].get(f"{BASE}/worklist", country="BE").json()["items"]
    assert [item["customer_number"] for item in only_be] == ["C2"]
    assert api["sales"].get(f"{BASE}/worklist", after="nonsense").status_code == 422
    unknown = api["sales"].get(f"{BASE}/worklist", collector="nobody")
    assert list(unknown.json()["error"]["fields"]) == ["collector"]


def test_the_work_list_filters_as_the_page_reads_them(api, acme, overdue, c1, other):
    # An empty filter was passed on as a value: `collector=` was a 500 on PostgreSQL
    # (found by Schemathesis). Now the page's filter set reads them (collect.filtersets).
    from debitum.administrations.models import Membership
    from debitum.administrations.tests.factories import membership_factory, user_factory

    controller = Membership.objects.get(administration=acme, role="controller").user
    c1.collector = controller
    c1.save()
    url = f"{BASE}/worklist"
    empty = api["sales"].get(url, collector="", country="")
    assert [item["customer_number"] for item in empty.json()["items"]] == ["C1"]
    mine = api["controller"].get(url, collector="me").json()["items"]
    assert [(item["customer_number"], item["collector"]) for item in mine] == [
        ("C1", "controller-user")
    ]
    assert api["sales"].get(url, collector="me").json()["items"] == []
    assert api["sales"].get(url, collector="none").json()["items"] == []
    assert [i["customer_number"] for i in api["sales"].get(url, country="nl").json()["items"]] == [
        "C1"
    ]
    # A user of OTHER only is answered as a name that does not exist.
    membership_factory(user_factory("other-user"), other, "admin")
    for name in ("other-user", "nobody"):
        response = api["sales"].get(url, collector=name)
        assert response.status_code == 422
        assert response.json()["error"]["fields"] == {"collector": [f"no user {name} in ACME"]}
    # Segments and languages are the document's enums (the page offers the same choices).
    for name, value in (("segment", "gold"), ("segment", ""), ("language", "de")):
        wrong = api["sales"].get(url, **{name: value})
        assert wrong.status_code == 422 and list(wrong.json()["error"]["fields"]) == [name]
