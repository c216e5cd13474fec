"""The dunning run page as a controller and a manager use it: preview (nothing written),
exclude, execute, approve and reject; roles and tenants."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from debitum.administrations.tests.factories import membership_factory, user_factory
from debitum.audit.models import AuditEvent
from debitum.dunning.models import DunningAction, DunningRun, Exclusion, Pause
from debitum.jobs.models import Job
from debitum.ledger.tests.factories import invoice_factory
from debitum.outbox.models import OutboundMessage
from debitum.outbox.services import message_templates_install
from debitum.outbox.tests.factories import (
    addressed_customer_factory,
    letterhead_administration_factory,
)
from debitum.web.labels import label

from .factories import policy_factory

pytestmark = pytest.mark.django_db
DUE = dt.date(2026, 1, 1)
AS_OF = DUE + dt.timedelta(days=7)  # the reminder is due
PASSWORD = "correct-horse-42"
# A letter reminder, then a hand-over that needs a manager's approval.
LADDER = [
    ("reminder", 7, 0, "letter", False, False, False),
    ("agency_handover", 30, 0, "handover", False, False, True),
]


@pytest.fixture(autouse=True)
def fast_hashing_and_documents(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBITUM_DOCUMENTS_DIR = tmp_path / "documents"


@pytest.fixture
def acme():
    administration = letterhead_administration_factory("ACME")
    policy_factory(administration, ladder=LADDER)
    message_templates_install(administration=administration)
    for number, name in (("C1", "Jansen Bouw B.V."), ("C2", "Peeters B.V.")):
        customer = addressed_customer_factory(administration, number, name=name)
        invoice_factory(
            customer, f"{number}-F1", "1000.00", invoice_date=DUE - dt.timedelta(days=30),
            due_date=DUE,
        )  # fmt: skip
    return administration


@pytest.fixture
def beta():
    administration = letterhead_administration_factory("BETA", country="BE")
    policy_factory(administration, country="BE", ladder=LADDER)
    customer = addressed_customer_factory(administration, "B1", name="Beta Secret NV")
    invoice_factory(
        customer, "B-F1", "999.00", invoice_date=DUE - dt.timedelta(days=30), due_date=DUE
    )
    return administration


def login(client, administration, role: str, username: str = None):
    user = user_factory(username or role, password=PASSWORD)
    membership_factory(user, administration, role=role)
    client.login(username=user.username, password=PASSWORD)
    return user


def url(name: str, code: str = "ACME", **kwargs) -> str:
    return reverse(f"dunning:{name}", kwargs={"administration_code": code, **kwargs})


def test_the_preview_shows_the_actions_and_writes_nothing(client, acme):
    login(client, acme, "controller")
    response = client.get(url("run"), {"as_of": AS_OF.isoformat()})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Jansen Bouw B.V." in text and "Peeters B.V." in text and "C1-F1" in text
    assert [a["customer_number"] for a in response.context["preview"].result.actions] == [
        "C1",
        "C2",
    ]
    assert not DunningRun.objects.exists() and not DunningAction.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_an_excluded_customer_stays_out_of_the_executed_run(client, acme):
    controller = login(client, acme, "controller")
    # Given the controller excludes C1 from the run of the day,
    response = client.post(
        url("exclude"), {"as_of": AS_OF.isoformat(), "customer": "C1", "reason": "in talks"}
    )
    assert response.status_code == 302
    exclusion = Exclusion.objects.get()
    assert (exclusion.customer.number, exclusion.created_by) == ("C1", controller)
    preview = client.get(url("run"), {"as_of": AS_OF.isoformat()}).context["preview"]
    assert [a["customer_number"] for a in preview.result.actions] == ["C2"]
    # when the run is executed,
    response = client.post(url("execute"), {"as_of": AS_OF.isoformat()}, follow=True)
    # (a background job, run at once in tests: the browser lands on the job's page)
    job = Job.objects.get(administration=acme, kind="dunning.execute")
    assert response.redirect_chain == [(f"/jobs/ACME/{job.pk}/", 302)]
    assert (job.state, job.created_by, job.result["executed"]) == ("done", controller, 1)
    assert "1 executed" in response.content.decode()
    # then only C2 got its action and its letter in the outbox.
    action = DunningAction.objects.get()
    assert (action.customer.number, action.status) == ("C2", "executed")
    assert DunningRun.objects.get().counts["skipped"] == {"excluded": 1}
    message = OutboundMessage.objects.get()
    assert (message.customer.number, message.channel, message.status) == ("C2", "letter", "pending")
    # The run of the day is shown, its exclusions can no longer be undone.
    page = client.get(url("run"), {"as_of": AS_OF.isoformat()})
    assert page.context["preview"].has_run
    assert client.post(url("exclusion_undo", exclusion_id=exclusion.pk)).status_code == 302
    assert Exclusion.objects.count() == 1


def test_an_excluded_invoice_and_putting_it_back(client, acme):
    login(client, acme, "controller")
    client.post(url("exclude"), {"as_of": AS_OF.isoformat(), "customer": "C1", "invoice": "C1-F1"})
    exclusion = Exclusion.objects.get()
    assert exclusion.invoice.number == "C1-F1"
    client.post(url("exclusion_undo", exclusion_id=exclusion.pk))
    assert not Exclusion.objects.exists()
    assert AuditEvent.objects.filter(action__startswith="dunning.exclude").count() == 2


def test_a_manager_approves_and_rejects_waiting_steps(client, acme):
    login(client, acme, "manager")
    client.post(url("execute"), {"as_of": AS_OF.isoformat()})
    later = DUE + dt.timedelta(days=30)
    client.post(url("execute"), {"as_of": later.isoformat()})
    waiting = {
        action.customer.number: action
        for action in DunningAction.objects.filter(status="awaiting_approval")
    }
    assert set(waiting) == {"C1", "C2"}
    page = client.get(url("run"))
    assert "Waiting for approval" in page.content.decode()
    assert len(page.context["waiting"]) == 2

    client.post(url("approve", action_id=waiting["C1"].pk))
    waiting["C1"].refresh_from_db()
    assert waiting["C1"].status == "executed"

    response = client.post(url("reject", action_id=waiting["C2"].pk), {"reason": ""})
    assert response.status_code == 302
    waiting["C2"].refresh_from_db()
    assert waiting["C2"].status == "awaiting_approval"  # no reason, no rejection
    client.post(
        url("reject", action_id=waiting["C2"].pk),
        {"reason": "paying next week", "pause_until": "2026-02-15"},
    )
    waiting["C2"].refresh_from_db()
    assert waiting["C2"].status == "rejected"
    assert Pause.objects.get().end_date == dt.date(2026, 2, 15)


def test_roles_a_viewer_sees_but_cannot_act(client, acme):
    login(client, acme, "viewer")
    page = client.get(url("run"), {"as_of": AS_OF.isoformat()})
    assert page.status_code == 200
    assert b'data-testid="execute"' not in page.content
    assert client.post(url("execute"), {"as_of": AS_OF.isoformat()}).status_code == 403
    assert (
        client.post(url("exclude"), {"as_of": AS_OF.isoformat(), "customer": "C1"}).status_code
        == 403
    )
    assert not DunningRun.objects.exists() and not Exclusion.objects.exists()


def test_roles_a_controller_cannot_approve(client, acme):
    login(client, acme, "controller")
    client.post(url("execute"), {"as_of": AS_OF.isoformat()})
    client.post(url("execute"), {"as_of": (DUE + dt.timedelta(days=30)).isoformat()})
    action = DunningAction.objects.filter(status="awaiting_approval").first()
    assert client.post(url("approve", action_id=action.pk)).status_code == 403
    assert client.post(url("reject", action_id=action.pk), {"reason": "no"}).status_code == 403
    action.refresh_from_db()
    assert action.status == "awaiting_approval"


def test_another_administration_is_not_found(client, acme, beta):
    login(client, acme, "manager")
    assert client.get(url("run", "BETA")).status_code == 404
    assert client.post(url("execute", "BETA"), {"as_of": AS_OF.isoformat()}).status_code == 404
    # Beta's customer and action through Acme's URLs: not found either.
    assert (
        client.post(url("exclude"), {"as_of": AS_OF.isoformat(), "customer": "B1"}).status_code
        == 404
    )
    from debitum.dunning.services import dunning_run

    dunning_run(administration=beta, as_of=DUE + dt.timedelta(days=7))
    dunning_run(administration=beta, as_of=DUE + dt.timedelta(days=30))
    beta_action = DunningAction.objects.get(administration=beta, status="awaiting_approval")
    assert client.post(url("approve", action_id=beta_action.pk)).status_code == 404
    page = client.get(url("run"))
    assert b"Beta Secret" not in page.content
    beta_action.refresh_from_db()
    assert beta_action.status == "awaiting_approval"


def test_the_preview_in_dutch_names_channels_statuses_and_skip_reasons(client, acme):
    login(client, acme, "controller")
    client.post(url("exclude"), {"as_of": AS_OF.isoformat(), "customer": "C1", "reason": "x"})
    response = client.get(url("run"), {"as_of": AS_OF.isoformat()}, HTTP_ACCEPT_LANGUAGE="nl")
    action = response.context["preview"].result.actions[0]
    body = response.content.decode()
    table = body.split('data-testid="preview-table"', 1)[1].split("</table>", 1)[0]
    assert f">{action['channel']}<" not in table and ">pending<" not in table
    with translation.override("nl"):
        assert f"<td>{label('channel', action['channel'])}</td>" in table
        assert f">{label('action_status', 'pending')}</span>" in table  # "wacht"
        assert f"{label('skip_reason', 'excluded')}: 1" in body  # not "excluded: 1"
        assert label("skip_reason", "excluded") != "excluded"
    pay_before = dt.date.fromisoformat(action["pay_before"])
    day = f"{pay_before.day}-{pay_before.month}-{pay_before.year}"  # Dutch short date, not ISO
    assert f'<td class="nowrap">{day}</td>' in table


def test_a_large_administrations_preview_is_computed_in_the_background(
    client, acme, settings, monkeypatch
):
    from debitum.dunning import run_services

    settings.DEBITUM_PREVIEW_INLINE_INVOICES = 1  # ACME's two invoices make it "large"
    monkeypatch.setattr(run_services, "PREVIEW_ACTIONS", 1)
    controller = login(client, acme, "controller")
    # Nothing computed yet: the page offers to compute it, and runs no dry run itself.
    page = client.get(url("run"), {"as_of": AS_OF.isoformat()})
    body = page.content.decode()
    assert 'data-testid="compute-preview"' in body and 'data-testid="preview-table"' not in body
    assert 'data-testid="execute"' not in body
    # Asked for: a job, whose page sends the browser back to the run page with the preview.
    response = client.post(url("preview"), {"as_of": AS_OF.isoformat()}, follow=True)
    job = Job.objects.get(kind="dunning.preview")
    assert (job.state, job.created_by) == ("done", controller)
    assert response.redirect_chain == [
        (f"/jobs/ACME/{job.pk}/", 302),
        (f"{url('run')}?as_of={AS_OF.isoformat()}", 302),
    ]
    preview = response.context["preview"]
    assert (preview.job, preview.action_count, preview.to_execute) == (job, 2, 2)
    assert [a["customer_number"] for a in preview.result.actions] == ["C1"]  # the first one
    body = response.content.decode()
    assert 'data-testid="first-actions"' in body and 'data-testid="execute"' in body
    assert not DunningRun.objects.exists()
    # An exclusion since: the preview says it is out of date.
    client.post(url("exclude"), {"as_of": AS_OF.isoformat(), "customer": "C1", "reason": "x"})
    page = client.get(url("run"), {"as_of": AS_OF.isoformat()})
    assert page.context["preview"].stale and 'data-testid="preview-stale"' in page.content.decode()
