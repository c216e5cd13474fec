"""The outbox page: statuses and reasons, the letter PDFs for members only, sending a failed
e-mail again, marking letters printed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from debitum.administrations.tests.factories import membership_factory, user_factory
from debitum.audit.models import AuditEvent
from debitum.ledger.tests.factories import invoice_factory
from debitum.outbox.models import OutboundMessage
from debitum.outbox.services import action_communicate, message_templates_install

from .factories import (
    addressed_customer_factory,
    dunning_action_factory,
    letterhead_administration_factory,
)

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-42"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def outbox_of(code: str, country: str = "NL"):
    administration = letterhead_administration_factory(code, country=country)
    message_templates_install(administration=administration)
    customer = addressed_customer_factory(administration, f"{code}-C1", name=f"{code} Klant")
    invoice = invoice_factory(
        customer, f"{code}-F1", "100.00", invoice_date=dt.date(2025, 2, 1),
        due_date=dt.date(2025, 2, 20),
    )  # fmt: skip
    action = dunning_action_factory(customer, [invoice], channel="email_and_letter")
    action_communicate(action=action)
    return administration


def login(client, administration, role="controller"):
    user = user_factory(role, password=PASSWORD)
    membership_factory(user, administration, role=role)
    client.login(username=user.username, password=PASSWORD)


def url(name, code="ACME", **kwargs):
    return reverse(f"outbox:{name}", kwargs={"administration_code": code, **kwargs})


def test_the_outbox_by_status_with_the_reason_and_the_letter(client):
    acme = outbox_of("ACME")
    login(client, acme)
    email = OutboundMessage.objects.get(channel="email")
    email.status, email.last_error = "failed", "SMTPServerDisconnected: connection lost"
    email.save()
    page = client.get(url("list"))
    assert page.status_code == 200
    assert "connection lost" in page.content.decode()
    failed = client.get(url("list"), {"status": "failed"})
    assert [m.pk for m in failed.context["page"].object_list] == [email.pk]
    letter = OutboundMessage.objects.get(channel="letter")
    pdf = client.get(url("document", message_id=letter.pk))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_failed_email_is_sent_again_and_letters_are_marked_printed(client):
    acme = outbox_of("ACME")
    login(client, acme)
    email = OutboundMessage.objects.get(channel="email")
    OutboundMessage.objects.filter(pk=email.pk).update(status="bounced", attempts=1)
    client.post(url("resend", message_id=email.pk))
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("pending", 0)
    assert email.next_attempt_at <= timezone.now()
    assert AuditEvent.objects.filter(action="outbox.resend").count() == 1
    # A pending message is not "sent again".
    client.post(url("resend", message_id=email.pk))
    assert AuditEvent.objects.filter(action="outbox.resend").count() == 1
    letter = OutboundMessage.objects.get(channel="letter")
    client.post(url("mark_printed"), {"message": [str(letter.pk)]})
    letter.refresh_from_db()
    assert letter.status == "printed"


def test_roles_and_tenants(client):
    acme = outbox_of("ACME")
    beta = outbox_of("BETA", country="BE")
    login(client, acme, "viewer")
    assert client.get(url("list")).status_code == 200
    email = OutboundMessage.objects.get(administration=acme, channel="email")
    OutboundMessage.objects.filter(pk=email.pk).update(status="failed")
    assert client.post(url("resend", message_id=email.pk)).status_code == 403
    assert client.post(url("mark_printed"), {"message": ["1", "2"]}).status_code == 403
    # Beta's page, and Beta's letter through Acme's URL: not found.
    assert client.get(url("list", "BETA")).status_code == 404
    beta_letter = OutboundMessage.objects.get(administration=beta, channel="letter")
    assert client.get(url("document", message_id=beta_letter.pk)).status_code == 404
    assert client.get(url("document", "BETA", message_id=beta_letter.pk)).status_code == 404
    assert b"BETA Klant" not in client.get(url("list")).content
