"""Letters and e-mails as the customer reads them: the PDF's text, amounts in the letter's
language, the reference and the EPC QR code."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from debitum.domain.references import generate
from debitum.dunning.models import MessageTemplate
from debitum.outbox.defaults import TEMPLATE_CODES, TEMPLATE_LANGUAGES, default_template
from debitum.outbox.formatting import day, html_to_text, money
from debitum.outbox.rendering import communication_render
from debitum.outbox.services import message_templates_install

from .factories import (
    addressed_customer_factory,
    dunning_action_factory,
    invoices_factory,
    letterhead_administration_factory,
)

pytestmark = pytest.mark.django_db

REFERENCE_1 = generate("nl", 1234567).display  # 1000 0000 0123 4567
REFERENCE_2 = generate("nl", 7654321).display


def pdf_text(pdf_bytes: bytes) -> str:
    """The text of every page, whitespace (also no-break spaces) folded to single spaces."""
    reader = PdfReader(io.BytesIO(pdf_bytes))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def spaced(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def two_invoices():
    administration = letterhead_administration_factory()
    customer = addressed_customer_factory(administration)
    invoices = invoices_factory(
        customer,
        ("F2025-001", "1234.56", dt.date(2025, 1, 10), REFERENCE_1),
        ("F2025-002", "100.00", dt.date(2025, 1, 20), REFERENCE_2),
    )
    return administration, customer, invoices


def test_amounts_and_dates_are_written_for_the_language():
    assert money(Decimal("1234.56"), "EUR", "nl_NL") == "€\xa01.234,56"
    # French as written in Belgium: a dot between the thousands (not CLDR's narrow space).
    assert money(Decimal("1234.56"), "EUR", "fr_BE") == "1.234,56\xa0€"
    assert money(Decimal("1234.56"), "EUR", "en_GB") == "€1,234.56"
    assert day(dt.date(2025, 3, 17), "nl_NL") == "17 maart 2025"
    assert day(dt.date(2025, 3, 17), "fr_BE") == "17 mars 2025"
    assert day(dt.date(2025, 3, 17), "en_GB") == "17 March 2025"


def test_html_to_text_keeps_paragraphs_and_table_rows():
    text = html_to_text(
        "<p>Dear Sir,</p><table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr>"
        "</table><p>Regards,<br>Acme</p>"
    )
    assert text == "Dear Sir,\n\nA  B\n1  2\n\nRegards,\nAcme\n"


def test_dutch_reminder_pdf_names_the_invoices_amounts_and_reference(two_invoices):
    # Given a Dutch customer with two overdue invoices of 1,234.56 and 100.00
    administration, customer, invoices = two_invoices
    action = dunning_action_factory(customer, invoices, kind="reminder", channel="letter")

    # When the reminder is rendered
    rendered = communication_render(action=action)

    # Then the letter is a PDF in Dutch with the invoices, the amounts and the reference
    assert rendered.pdf_bytes.startswith(b"%PDF-")
    assert rendered.language == "nl"
    text = pdf_text(rendered.pdf_bytes)
    for expected in (
        "F2025-001",
        "F2025-002",
        "€ 1.234,56",
        "€ 100,00",
        "€ 1.334,56",  # the total
        "17 maart 2025",  # pay before
        "1000 0000 0123 4567",  # the first invoice's reference, for both
        "vermeld bij één betaling voor alles het kenmerk van factuur F2025-001",
        "Jansen Bouw B.V.",
        "Dorpsstraat 12",
        "3511 AB Utrecht",
        "NL91 ABNA 0417 1643 00",
        "NL004495445B01",
        "KvK 12345678",
    ):
        assert expected in text, expected
    assert rendered.subject == "Betalingsherinnering: 2 openstaande facturen"
    assert "F2025-001  10-01-2025  09-02-2025  € 1.234,56" in rendered.text


def test_the_epc_qr_code_carries_the_total_and_the_structured_reference(two_invoices):
    administration, customer, invoices = two_invoices
    action = dunning_action_factory(
        customer, invoices, kind="demand", channel="letter", fee=Decimal("200.18")
    )

    rendered = communication_render(action=action)

    # EPC069-12: BCD, version 002, UTF-8, SCT, BIC, name, IBAN, amount, purpose, reference
    assert rendered.epc_qr_payload == (
        "BCD\n002\n1\nSCT\nABNANL2A\nAcme Incasso B.V.\nNL91ABNA0417164300\nEUR1534.74\n\n"
        "1000000001234567"
    )
    assert "<svg" in rendered.letter_html


def test_no_qr_code_without_an_iban(two_invoices):
    administration, customer, invoices = two_invoices
    administration.iban = ""
    administration.save()
    action = dunning_action_factory(customer, invoices, channel="letter")

    rendered = communication_render(action=action)

    assert rendered.epc_qr_payload == ""
    assert "<svg" not in rendered.letter_html


def test_french_letter_for_a_belgian_customer():
    # Given a Belgian administration and a French-speaking customer with an OGM reference
    administration = letterhead_administration_factory(
        "BELG",
        country="BE",
        iban="BE68539007547034",
        bic="",
        vat_number="BE0403170701",
        registration_number="0403.170.701",
        language="nl",
    )
    customer = addressed_customer_factory(
        administration, language="fr", name="Dupont SPRL", postal_code="1000", city="Bruxelles"
    )
    ogm = generate("ogm", 1234).display
    invoices = invoices_factory(customer, ("2025/0042", "2345.67", dt.date(2025, 1, 5), ogm))
    action = dunning_action_factory(
        customer, invoices, kind="notice_of_default", channel="letter", fee=Decimal("40.00")
    )

    rendered = communication_render(action=action)

    text = pdf_text(rendered.pdf_bytes)
    assert rendered.language == "fr"
    assert rendered.subject == "Mise en demeure : facture 2025/0042"
    for expected in ("2025/0042", "2.345,67 €", "40,00 €", "2.385,67 €", "17 mars 2025", ogm):
        assert expected in text, expected
    assert "Par la présente, nous vous mettons en demeure" in text
    assert rendered.epc_qr_payload.endswith("EUR2385.67\n\n" + ogm.strip("+").replace("/", ""))


def test_english_letter_when_the_customer_reads_english(two_invoices):
    administration, customer, invoices = two_invoices
    customer.language = "en"
    customer.save()
    action = dunning_action_factory(customer, invoices, kind="reminder", channel="email")

    rendered = communication_render(action=action)

    text = pdf_text(rendered.pdf_bytes)
    for expected in ("€1,234.56", "€1,334.56", "17 March 2025", "1000 0000 0123 4567"):
        assert expected in text, expected
    assert rendered.subject == "Payment reminder: 2 outstanding invoices"
    assert "quote the reference of invoice F2025-001" in rendered.text


def test_fourteen_day_letter_names_the_exact_collection_costs_and_the_term(two_invoices):
    # Given a Dutch consumer owing 1,334.56 on two invoices
    administration, customer, invoices = two_invoices
    customer.customer_type = "consumer"
    customer.save()
    # The run computed the costs the letter names: 15% of 1,334.56 = 200.18 (art. 2 lid 1
    # Besluit vergoeding voor buitengerechtelijke incassokosten)
    action = dunning_action_factory(
        customer,
        invoices,
        kind="fourteen_day_letter",
        channel="letter",
        calculation={"named_costs": "200.18"},
    )

    rendered = communication_render(action=action)

    # Then the letter names the amount and the fourteen days from the day after receipt
    # (art. 6:96 lid 6 BW), and charges nothing yet
    text = pdf_text(rendered.pdf_bytes)
    assert "buitengerechtelijke incassokosten verschuldigd van € 200,18" in text
    assert "binnen veertien dagen, te rekenen vanaf de dag na ontvangst van deze brief" in text
    assert "uiterlijk op 17 maart 2025" in text
    assert "Totaal te betalen € 1.334,56" in text


def test_fourteen_day_letter_without_the_runs_figure_computes_the_scale(two_invoices):
    administration, customer, invoices = two_invoices
    action = dunning_action_factory(
        customer, invoices, kind="fourteen_day_letter", channel="letter"
    )

    rendered = communication_render(action=action)

    assert "verschuldigd van € 200,18" in spaced(rendered.text)


def test_costs_and_interest_are_shown_with_how_they_were_computed(two_invoices):
    administration, customer, invoices = two_invoices
    calculation = {
        "notes": ["for the collector only"],
        "costs": {
            "regime": "nl",
            "article": "art. 6:96 lid 4, 5 and 7 BW",
            "principal": "1334.56",
            "lines": [
                {
                    "description": "15% over 0.00 to 2500.00",
                    "rate": "0.15",
                    "base": "1334.56",
                    "amount": "200.184",
                },
            ],
            "minimum_applied": False,
            "maximum_applied": False,
            "vat": "0.00",
            "fee": "200.18",
        },
        "interest": [
            {
                "invoice": "F2025-001",
                "regime": "nl-commercial",
                "article": "art. 6:119a BW",
                "from": "2025-02-10",
                "to": "2025-03-03",
                "interest": "7.44",
                "periods": [
                    {
                        "from": "2025-02-10",
                        "to": "2025-03-03",
                        "days": 21,
                        "rate": "10.15",
                        "principal": "1234.56",
                    }
                ],
            }
        ],
    }
    action = dunning_action_factory(
        customer,
        invoices,
        kind="demand",
        channel="letter",
        fee=Decimal("200.18"),
        interest=Decimal("7.44"),
        calculation=calculation,
    )

    rendered = communication_render(action=action)

    text = pdf_text(rendered.pdf_bytes)
    assert "15 % over € 1.334,56 = € 200,18" in text
    assert (
        "Factuur F2025-001: 10,15 % per jaar over € 1.234,56, van 10-02-2025 tot 03-03-2025 "
        "(21 dagen)" in text
    )
    assert "Rente op factuur F2025-001: € 7,44" in text
    assert "Incassokosten € 200,18" in text
    assert "Totaal te betalen € 1.542,18" in text
    assert "for the collector only" not in text


@pytest.mark.parametrize("language", TEMPLATE_LANGUAGES)
@pytest.mark.parametrize("code", TEMPLATE_CODES)
def test_every_default_template_renders_in_every_language(two_invoices, code, language):
    administration, customer, invoices = two_invoices
    customer.language = language
    customer.save()
    action = dunning_action_factory(customer, invoices, kind="reminder", template=code)

    rendered = communication_render(action=action)

    subject, body = default_template(code, language)
    assert rendered.subject and "{" not in rendered.subject
    assert "{{" not in rendered.html and "{%" not in rendered.html
    assert "F2025-001" in rendered.text
    assert rendered.language == language


def test_templates_install_is_idempotent_and_keeps_edits():
    administration = letterhead_administration_factory()

    assert message_templates_install(administration=administration) == 27
    MessageTemplate.objects.filter(
        administration=administration, code="reminder", language="nl"
    ).update(subject="Eigen onderwerp {{ total }}")
    assert message_templates_install(administration=administration) == 0

    assert MessageTemplate.objects.filter(administration=administration).count() == 27
    assert MessageTemplate.objects.get(
        administration=administration, code="reminder", language="nl"
    ).subject.startswith("Eigen onderwerp")


def test_the_administrations_own_template_is_used(two_invoices):
    administration, customer, invoices = two_invoices
    MessageTemplate.objects.create(
        administration=administration,
        code="reminder",
        language="nl",
        subject="Herinnering {{ customer.number }}",
        body="<p>Beste {{ customer.name }}, betaal {{ total }} vóór {{ pay_before }}.</p>",
    )
    action = dunning_action_factory(customer, invoices, kind="reminder")

    rendered = communication_render(action=action)

    assert rendered.subject == "Herinnering C001"
    assert "Beste Jansen Bouw B.V., betaal € 1.334,56 vóór 17 maart 2025." in spaced(rendered.text)
    # The invoice table is added when the template leaves it out.
    assert "F2025-002" in rendered.text
