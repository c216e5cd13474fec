"""From a dunning action to stored letters and queued e-mails, and the e-mails to a real SMTP
server on localhost: each exactly once, retried on failure, a refusal becomes a task."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from debitum.outbox.models import Document, OutboundMessage
from debitum.outbox.services import (
    MAX_ATTEMPTS,
    action_communicate,
    outbox_mark_printed,
    outbox_send,
)
from debitum.tasks.models import Task

from .conftest import free_port
from .factories import (
    addressed_customer_factory,
    dunning_action_factory,
    invoices_factory,
    letterhead_administration_factory,
)

NOW = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


def make_action(
    *, channel="email", email="crediteuren@jansen.example", number="C001", administration=None
):
    administration = administration or letterhead_administration_factory()
    customer = addressed_customer_factory(administration, number, email=email)
    invoices = invoices_factory(customer, (f"F-{number}", "1234.56", dt.date(2025, 1, 10), ""))
    return dunning_action_factory(customer, invoices, kind="reminder", channel=channel)


@pytest.mark.django_db
def test_email_action_queues_one_email_with_the_letter_attached(documents_dir):
    action = make_action(channel="email")

    paths = action_communicate(action=action, now=NOW)

    # The letter is stored under <administration>/<yyyy>/<mm>/<action id>-<kind>.pdf
    assert paths == [str(documents_dir / f"ACME/2025/03/{action.pk}-reminder.pdf")]
    content = Path(paths[0]).read_bytes()
    assert content.startswith(b"%PDF-")
    document = Document.objects.get()
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    message = OutboundMessage.objects.get()
    assert (message.channel, message.status, message.to_address) == (
        "email",
        "pending",
        "crediteuren@jansen.example",
    )
    assert message.key == f"action-{action.pk}-email"
    assert message.attachments == [f"ACME/2025/03/{action.pk}-reminder.pdf"]
    assert message.message_id.startswith("<") and message.message_id.endswith("@acme.example>")
    assert list(Path(documents_dir).rglob("*.tmp")) == []


@pytest.mark.django_db
def test_communicating_an_action_twice_makes_nothing_new():
    action = make_action(channel="email_and_letter")

    first = action_communicate(action=action, now=NOW)
    second = action_communicate(action=action, now=NOW)

    assert first == second
    assert sorted(OutboundMessage.objects.values_list("channel", flat=True)) == ["email", "letter"]
    assert Document.objects.count() == 1


@pytest.mark.django_db
def test_a_letter_waits_in_the_print_queue_until_printed():
    action = make_action(channel="letter")

    action_communicate(action=action, now=NOW)

    letter = OutboundMessage.objects.get()
    assert (letter.channel, letter.status) == ("letter", "pending")
    assert letter.to_address == "Jansen Bouw B.V.\nDorpsstraat 12\n3511 AB Utrecht"
    assert (
        outbox_mark_printed(administration=action.administration, message_ids=[letter.pk], now=NOW)
        == 1
    )
    assert (
        outbox_mark_printed(administration=action.administration, message_ids=[letter.pk], now=NOW)
        == 0
    )
    letter.refresh_from_db()
    assert letter.status == "printed"


@pytest.mark.django_db
def test_no_email_address_sends_a_letter_and_asks_for_the_address():
    action = make_action(channel="email", email="")

    action_communicate(action=action, now=NOW)
    action_communicate(action=action, now=NOW)

    assert list(OutboundMessage.objects.values_list("channel", flat=True)) == ["letter"]
    task = Task.objects.get()
    assert task.kind == "follow_up"
    assert task.key == f"action-{action.pk}-no-email"
    assert "No e-mail address" in task.title


# --- sending to a real SMTP server ------------------------------------------------------------


@pytest.mark.django_db
def test_each_email_reaches_the_server_exactly_once(smtp_server):
    action_communicate(action=make_action(), now=NOW)

    first = outbox_send(now=NOW)
    second = outbox_send(now=NOW + dt.timedelta(hours=1))

    assert (first.sent, second.sent) == (1, 0)
    assert len(smtp_server.received) == 1
    received = smtp_server.received[0]
    message = OutboundMessage.objects.get()
    assert received.recipients == ["crediteuren@jansen.example"]
    assert received.message["Message-ID"] == message.message_id
    assert received.message["From"] == '"Acme Incasso B.V." <debiteuren@acme.example>'
    assert received.message["Subject"] == "Betalingsherinnering: factuur F-C001"
    attachments = list(received.message.iter_attachments())
    assert [part.get_filename() for part in attachments] == [
        f"{message.dunning_action_id}-reminder.pdf"
    ]
    assert attachments[0].get_content().startswith(b"%PDF-")
    assert received.message.get_body(("plain",)).get_content().startswith("Geachte heer, mevrouw,")
    assert (message.status, message.attempts, message.sent_at is not None) == ("sent", 1, True)


@pytest.mark.django_db
def test_a_refused_address_is_a_bounce_task_not_a_retry(smtp_server):
    smtp_server.refused.add("crediteuren@jansen.example")
    action = make_action()
    action_communicate(action=action, now=NOW)

    result = outbox_send(now=NOW)
    again = outbox_send(now=NOW + dt.timedelta(days=1))

    assert (result.bounced, again.sent, again.bounced) == (1, 0, 0)
    assert smtp_server.received == []
    message = OutboundMessage.objects.get()
    assert message.status == "bounced"
    assert "550" in message.last_error
    task = Task.objects.get()
    assert (task.kind, task.key, task.customer_id) == (
        "bounce",
        f"outbox-{message.pk}-bounce",
        action.customer_id,
    )


@pytest.mark.django_db
def test_a_connection_failure_is_retried_later_and_then_sent(settings, smtp_server):
    action = make_action()
    action_communicate(action=action, now=NOW)
    real_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there

    failed = outbox_send(now=NOW)

    message = OutboundMessage.objects.get()
    assert (failed.retrying, message.status, message.attempts) == (1, "pending", 1)
    assert message.next_attempt_at == NOW + dt.timedelta(minutes=5)
    assert "ConnectionRefusedError" in message.last_error
    # Not due yet: nothing happens.
    settings.EMAIL_PORT = real_port
    assert outbox_send(now=NOW + dt.timedelta(minutes=4)).sent == 0
    # Due: sent, once.
    assert outbox_send(now=NOW + dt.timedelta(minutes=5)).sent == 1
    assert len(smtp_server.received) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)


@pytest.mark.django_db
def test_after_five_failed_attempts_the_message_fails_with_a_task(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    action = make_action()
    action_communicate(action=action, now=NOW)

    moment, delays = NOW, []
    for _ in range(MAX_ATTEMPTS):
        outbox_send(now=moment)
        message = OutboundMessage.objects.get()
        delays.append(message.next_attempt_at - moment)
        moment = message.next_attempt_at

    assert message.status == "failed"
    assert message.attempts == 5
    assert delays[:4] == [
        dt.timedelta(minutes=5),
        dt.timedelta(minutes=30),
        dt.timedelta(hours=2),
        dt.timedelta(hours=12),
    ]
    task = Task.objects.get()
    assert (task.kind, task.key) == ("follow_up", f"outbox-{message.pk}-follow_up")


@pytest.mark.django_db
def test_a_message_claimed_by_another_sender_is_skipped(smtp_server):
    action = make_action()
    action_communicate(action=action, now=NOW)
    message = OutboundMessage.objects.get()
    # Another sender claimed it a moment ago (pending -> sending).
    OutboundMessage.objects.filter(pk=message.pk).update(status="sending", last_attempt_at=NOW)

    result = outbox_send(now=NOW)

    assert (result.sent, smtp_server.received) == (0, [])
    # Still "sending" an hour later: it may have gone out, so it is not sent again.
    later = outbox_send(now=NOW + dt.timedelta(hours=2))
    message.refresh_from_db()
    assert (later.sent, later.failed, message.status) == (0, 1, "failed")
    assert Task.objects.get().title.startswith("Check whether the e-mail")
    assert smtp_server.received == []


@pytest.mark.django_db(transaction=True)
def test_two_senders_racing_send_each_message_once(smtp_server):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:"):
        # In-memory SQLite shares one cache between threads and refuses a second writer at
        # once ("table is locked") instead of waiting; PostgreSQL runs this test.
        pytest.skip("needs a database that two threads can write to concurrently")
    administration = letterhead_administration_factory()
    for index in range(6):
        action = make_action(number=f"C{index:03}", administration=administration)
        action_communicate(action=action, now=NOW)
    results, barrier = [], threading.Barrier(2)

    def sender():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results.append(outbox_send(now=timezone.now()))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(result.sent for result in results) == 6
    assert len(smtp_server.received) == 6
    assert len({r.message["Message-ID"] for r in smtp_server.received}) == 6
