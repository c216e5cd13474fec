"""The confirmation letter of a payment plan as the customer gets it: the PDF in the customer's
language with the invoices and the schedule, one outbox row however often it is asked for, one
e-mail at the SMTP server, a letter for a customer without an e-mail address."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.template import TemplateSyntaxError

from debitum.domain.references import generate
from debitum.dunning.models import MessageTemplate
from debitum.outbox.models import Document, OutboundMessage
from debitum.outbox.plan_rendering import plan_confirmation_render
from debitum.outbox.services import outbox_send, plan_confirmation_communicate
from debitum.plans.models import PaymentPlan
from debitum.plans.services import plan_create
from debitum.tasks.models import Task

from .factories import (
    addressed_customer_factory,
    invoices_factory,
    letterhead_administration_factory,
)
from .test_rendering import pdf_text

pytestmark = pytest.mark.django_db

START = dt.date(2025, 3, 3)
NOW = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
REFERENCE_1 = generate("nl", 1234567).display  # 1000 0000 0123 4567
REFERENCE_2 = generate("nl", 7654321).display


def dutch_plan(**customer_fields) -> PaymentPlan:
    """1,334.56 open on two invoices of a Dutch customer, in three monthly instalments from
    31 March 2025: 444.85, 444.85 and 444.86 (the remainder on the last)."""
    administration = letterhead_administration_factory()
    customer = addressed_customer_factory(administration, **customer_fields)
    invoices = invoices_factory(
        customer,
        ("F2025-001", "1234.56", dt.date(2025, 1, 10), REFERENCE_1),
        ("F2025-002", "100.00", dt.date(2025, 1, 20), REFERENCE_2),
    )
    return plan_create(
        customer=customer,
        invoices=invoices,
        instalments=3,
        first_date=dt.date(2025, 3, 31),
        start_date=START,
    )


def test_the_dutch_letter_names_the_invoices_the_schedule_and_the_grace_rule():
    # Given a plan agreed with a Dutch customer (created with its confirmation)
    plan = dutch_plan()

    # When its letter is rendered
    rendered = plan_confirmation_render(plan=plan)

    # Then the PDF, in Dutch, has the invoices, each instalment with its date and amount,
    # the total, the grace rule and how to pay the first instalment
    assert (rendered.language, rendered.subject) == ("nl", "Bevestiging van uw betalingsregeling")
    text = pdf_text(rendered.pdf_bytes)
    for expected in (
        "Jansen Bouw B.V.",
        "Dorpsstraat 12",
        "3511 AB Utrecht",
        "3 maart 2025",  # the letter's date: the day the plan was agreed
        "F2025-001",
        "F2025-002",
        "€ 1.234,56",
        "€ 100,00",
        "U betaalt het bedrag van € 1.334,56 in 3 termijnen",
        "1 31-03-2025 € 444,85",
        "2 30-04-2025 € 444,85",
        "3 31-05-2025 € 444,86",
        "Totaal € 1.334,56",
        "Is een termijn 7 dagen na de vervaldatum nog niet betaald",
        "Zo betaalt u de eerste termijn",
        "31 maart 2025",  # pay the first instalment by
        "1000 0000 0123 4567",  # the first invoice's reference
        "NL91 ABNA 0417 1643 00",
        "KvK 12345678",
    ):
        assert expected in text, expected
    # The EPC QR code pays the first instalment (EPC069-12), with the structured reference.
    assert rendered.epc_qr_payload == (
        "BCD\n002\n1\nSCT\nABNANL2A\nAcme Incasso B.V.\nNL91ABNA0417164300\nEUR444.85\n\n"
        "1000000001234567"
    )
    assert "1 31-03-2025 € 444,85" in " ".join(rendered.text.split())


def test_the_french_letter_for_a_belgian_customer():
    # Given a Belgian administration and a French-speaking customer owing 2,345.67
    administration = letterhead_administration_factory(
        "BELG", country="BE", iban="BE68539007547034", bic="", language="nl"
    )
    customer = addressed_customer_factory(
        administration, language="fr", name="Dupont SPRL", postal_code="1000", city="Bruxelles"
    )
    ogm = generate("ogm", 1234).display
    invoices = invoices_factory(customer, ("2025/0042", "2345.67", dt.date(2025, 1, 5), ogm))
    # When a plan of two instalments every two weeks is agreed, with ten days' grace
    plan = plan_create(
        customer=customer,
        invoices=invoices,
        instalments=2,
        first_date=dt.date(2025, 3, 17),
        start_date=START,
        every="2weeks",
        grace_days=10,
    )

    rendered = plan_confirmation_render(plan=plan)

    # Then the letter is in French, amounts and dates as a Belgian reads them
    text = pdf_text(rendered.pdf_bytes)
    assert (rendered.language, rendered.subject) == ("fr", "Confirmation de votre plan de paiement")
    for expected in (
        "2025/0042",
        "2.345,67 €",
        "Vous payez le montant de 2.345,67 € en 2 versements",
        "1 17/03/2025 1.172,83 €",
        "2 31/03/2025 1.172,84 €",
        "n'est toujours pas payée 10 jours après la date prévue",
        "Comment payer le premier versement",
        "17 mars 2025",
        ogm,
        "1000 Bruxelles",
    ):
        assert expected in text, expected
    assert rendered.epc_qr_payload.endswith("EUR1172.83\n\n" + ogm.strip("+").replace("/", ""))


def test_creating_a_plan_stores_the_letter_and_queues_one_email(documents_dir):
    plan = dutch_plan()

    # The PDF is stored under <administration>/<yyyy>/<mm>/plan-<id>-confirmation.pdf
    relative_path = f"ACME/2025/03/plan-{plan.pk}-confirmation.pdf"
    document = Document.objects.get()
    assert (document.path, document.payment_plan, document.dunning_action) == (
        relative_path,
        plan,
        None,
    )
    assert (Path(documents_dir) / relative_path).read_bytes().startswith(b"%PDF-")
    message = OutboundMessage.objects.get()
    assert (message.channel, message.status, message.to_address, message.key) == (
        "email",
        "pending",
        "crediteuren@jansen.example",
        f"plan-{plan.pk}-confirmation-email",
    )
    assert (message.payment_plan, message.dunning_action, message.attachments) == (
        plan,
        None,
        [relative_path],
    )


def test_asking_for_the_confirmation_again_makes_nothing_new(documents_dir):
    plan = dutch_plan()
    message = OutboundMessage.objects.get()

    paths = plan_confirmation_communicate(plan=plan, now=NOW)
    again = plan_confirmation_communicate(plan=plan, now=NOW)

    assert paths == again == [str(documents_dir / f"ACME/2025/03/plan-{plan.pk}-confirmation.pdf")]
    assert list(OutboundMessage.objects.values_list("pk", flat=True)) == [message.pk]
    assert Document.objects.count() == 1
    # Also once the customer has no e-mail address any more: no letter besides the e-mail.
    plan.customer.email = ""
    plan.customer.save()
    plan_confirmation_communicate(plan=plan, now=NOW)
    assert OutboundMessage.objects.count() == 1


def test_the_email_reaches_the_server_once(smtp_server):
    plan = dutch_plan()

    first = outbox_send(now=dt.datetime.now(dt.UTC))
    second = outbox_send(now=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))

    assert (first.sent, second.sent) == (1, 0)
    assert len(smtp_server.received) == 1
    received = smtp_server.received[0]
    assert received.recipients == ["crediteuren@jansen.example"]
    assert received.message["Subject"] == "Bevestiging van uw betalingsregeling"
    attachments = list(received.message.iter_attachments())
    assert [part.get_filename() for part in attachments] == [f"plan-{plan.pk}-confirmation.pdf"]
    assert "444,86" in pdf_text(attachments[0].get_content())
    body = " ".join(received.message.get_body(("plain",)).get_content().split())
    assert "3 31-05-2025 € 444,86" in body
    assert OutboundMessage.objects.get().status == "sent"


def test_a_customer_without_an_email_address_gets_a_letter():
    plan = dutch_plan(email="")

    message = OutboundMessage.objects.get()
    assert (message.channel, message.status, message.key) == (
        "letter",
        "pending",
        f"plan-{plan.pk}-confirmation-letter",
    )
    assert message.to_address == "Jansen Bouw B.V.\nDorpsstraat 12\n3511 AB Utrecht"
    assert "<svg" in message.html  # the letter as printed, with its QR code
    assert not Task.objects.exists()  # the postal address is known


def test_a_customer_without_any_address_gets_a_task():
    plan = dutch_plan(email="", street="", city="", postal_code="")

    task = Task.objects.get()
    assert (task.kind, task.key, task.due_date) == (
        "follow_up",
        f"plan-{plan.pk}-no-address",
        START,
    )
    assert OutboundMessage.objects.get().channel == "letter"


def test_a_plan_whose_letter_cannot_be_made_is_not_made():
    # Given an administration whose Dutch confirmation template is broken
    administration = letterhead_administration_factory()
    MessageTemplate.objects.create(
        administration=administration,
        code="plan_confirmation",
        language="nl",
        subject="Bevestiging",
        body="{% if %}",
    )
    customer = addressed_customer_factory(administration)
    invoices_factory(customer, ("F2025-001", "1234.56", dt.date(2025, 1, 10), ""))

    # When a plan is created, it is refused with the template's error
    with pytest.raises(TemplateSyntaxError):
        plan_create(
            customer=customer, instalments=2, first_date=dt.date(2025, 3, 31), start_date=START
        )

    # Then nothing was written
    assert not PaymentPlan.objects.exists()
    assert not OutboundMessage.objects.exists() and not Document.objects.exists()


def test_a_plan_without_confirmation():
    administration = letterhead_administration_factory()
    customer = addressed_customer_factory(administration)
    invoices_factory(customer, ("F2025-001", "1234.56", dt.date(2025, 1, 10), ""))

    plan_create(
        customer=customer,
        instalments=2,
        first_date=dt.date(2025, 3, 31),
        start_date=START,
        send_confirmation=False,
    )

    assert not OutboundMessage.objects.exists() and not Document.objects.exists()
