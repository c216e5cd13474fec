"""A dunning run to a real SMTP server: each customer's e-mail arrives once, with its letter."""

import datetime as dt
from io import BytesIO

import pytest
from django.utils import timezone
from pypdf import PdfReader

from debitum.dunning.policy_services import policies_install_defaults
from debitum.dunning.services import dunning_run
from debitum.ledger.tests.factories import invoice_factory
from debitum.outbox.models import OutboundMessage
from debitum.outbox.services import message_templates_install, outbox_send

from .factories import addressed_customer_factory, letterhead_administration_factory

pytestmark = pytest.mark.django_db
DUE = dt.date(2026, 3, 2)


def test_a_run_sends_each_message_once_even_when_run_and_sent_twice(smtp_server):
    acme = letterhead_administration_factory("ACME", country="NL")
    policies_install_defaults(administration=acme)
    message_templates_install(administration=acme)
    jansen = addressed_customer_factory(acme, "C1")
    peeters = addressed_customer_factory(
        acme, "C2", name="Peeters B.V.", email="ap@peeters.example"
    )
    invoice_factory(
        jansen, "F-1", "1210.00", invoice_date=DUE - dt.timedelta(days=30), due_date=DUE
    )
    invoice_factory(jansen, "F-2", "60.50", invoice_date=DUE - dt.timedelta(days=20), due_date=DUE)
    invoice_factory(
        peeters, "G-1", "500.00", invoice_date=DUE - dt.timedelta(days=30), due_date=DUE
    )
    as_of = DUE + dt.timedelta(days=7)  # the first reminder of the normal Dutch ladder

    for _ in range(2):
        dunning_run(administration=acme, as_of=as_of)
        outbox_send(now=timezone.now(), administration=acme)

    received = {r.recipients[0]: r.message for r in smtp_server.received}
    assert len(smtp_server.received) == 2
    assert set(received) == {"crediteuren@jansen.example", "ap@peeters.example"}
    message = received["crediteuren@jansen.example"]
    (attachment,) = [part for part in message.iter_attachments()]
    text = "".join(
        page.extract_text() for page in PdfReader(BytesIO(attachment.get_content())).pages
    )
    # The letter names both invoices and the total in Dutch notation.
    assert "F-1" in text and "F-2" in text and "1.270,50" in text
    assert OutboundMessage.objects.filter(status="sent").count() == 2
