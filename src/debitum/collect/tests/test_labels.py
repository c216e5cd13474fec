"""The pages speak the reader's language for what is stored as a code: a dispute's reason, a
promise's status, a call's outcome, a task's kind, a dunning step, a segment, a message's status.
Each page is read in Dutch and in French; the label must be there and the code must not be in
the text a person sees (codes stay in CSS classes and form values, where nobody reads them)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from debitum.collect.services import customer_segment_change
from debitum.disputes.services import dispute_open
from debitum.notes.services import note_add
from debitum.outbox.models import OutboundMessage
from debitum.outbox.tests.factories import dunning_action_factory
from debitum.promises.models import Promise

from .conftest import login
from .factories import AS_OF

pytestmark = pytest.mark.django_db


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(response) -> str:
    """What a person reads on the page: the text outside tags, scripts and styles."""
    parser = _Text()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split())


def assert_no_code(text: str, *codes: str) -> None:
    for code in codes:
        assert not re.search(rf"\b{re.escape(code)}\b", text), f"raw code {code!r} on the page"


@pytest.fixture
def worked_dossier(acme, customers, users):
    """Delta Dak (C4, strategic) with a bit of everything: a disputed invoice, a broken promise,
    a call nobody answered, a reminder sent, an e-mail waiting, and a segment change."""
    delta = customers["C4"]
    d1 = delta.invoices.get(number="D-1")
    dispute_open(
        invoice=d1, reason="quality", opened_date=AS_OF, note="", actor=users["controller"]
    )
    Promise.objects.create(
        administration=acme,
        customer=delta,
        promise_date=dt.date(2025, 3, 1),
        promised_date=dt.date(2025, 3, 10),
        amount=Decimal("100.00"),
        currency="EUR",
        status="broken",
        closed_date=dt.date(2025, 3, 14),
    )
    note_add(customer=delta, kind="call", outcome="no_answer", text="", note_date=AS_OF)
    action = dunning_action_factory(delta, [delta.invoices.get(number="D-2")], kind="reminder")
    action.status = "executed"
    action.save(update_fields=["status"])
    OutboundMessage.objects.create(
        administration=acme,
        customer=delta,
        dunning_action=action,
        channel="email",
        to_address="boekhouding@delta.example",
        subject="Betalingsherinnering",
        message_id="<1@debitum.test>",
        next_attempt_at=timezone.now(),
        key="reminder-1",
    )
    customer_segment_change(customer=delta, segment="high", reason="", actor=users["manager"])
    return delta


DOSSIER_LABELS = {
    "nl": [
        "Kwaliteit",  # the dispute's reason
        "Betwisting van D-1 (open)",
        "verbroken",  # the promise's status
        "Gesprek: Geen gehoor",
        "Herinnering",  # the step's kind, in the open items and the timeline
        "Uitgevoerd",  # the action's status
        "In wachtrij",  # the e-mail's status
        "Segment: Strategisch → Hoog risico",
        "betwist",  # the item's status
        "Zakelijk",
        "Nederland",
    ],
    "fr": [
        "Qualité",
        "Contestation de D-1 (ouverte)",
        "rompue",
        "Appel : Pas de réponse",
        "Rappel",
        "Exécutée",
        "En attente",
        "Segment : Stratégique → Risque élevé",
        "contesté",
        "Entreprise",
        "Pays-Bas",
    ],
}
DOSSIER_CODES = [
    "quality",
    "no_answer",
    "reminder",
    "executed",
    "pending",
    "strategic",
    "high",
    "disputed",
    "business",
]


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_dossier_says_every_code_in_words(client, worked_dossier, language):
    login(client, "viewer")
    url = reverse("collect:dossier", kwargs={"administration_code": "ACME", "number": "C4"})
    text = visible_text(client.get(url, {"as_of": "2025-03-31"}, HTTP_ACCEPT_LANGUAGE=language))

    for words in DOSSIER_LABELS[language]:
        assert words in text
    assert_no_code(text, *DOSSIER_CODES)


def test_the_dossier_writes_dates_in_sentences_as_the_reader_does(client, worked_dossier):
    login(client, "viewer")
    url = reverse("collect:dossier", kwargs={"administration_code": "ACME", "number": "C4"})
    text = visible_text(client.get(url, HTTP_ACCEPT_LANGUAGE="nl"))

    assert "Belofte te betalen vóór 10-3-2025" in text
    assert "vervalt 28-2-2025" in text
    assert "2025-03-10" not in text


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ["Belofte niet nagekomen", "E-mail geweigerd of onbestelbaar", "Strategisch"]),
        ("fr", ["Promesse non tenue", "E-mail refusé ou non distribué", "Stratégique"]),
    ],
)
def test_the_work_list_names_the_next_task_and_the_segment(client, customers, language, words):
    login(client, "viewer")
    url = reverse("collect:worklist", kwargs={"administration_code": "ACME"})
    response = client.get(url, {"as_of": "2025-03-31"}, HTTP_ACCEPT_LANGUAGE=language)
    text = visible_text(response)

    for word in words:
        assert word in text
    assert_no_code(text, "promise_broken", "bounce", "strategic", "phone_call")
    # The task's own title stays at hand, as the hover text.
    assert 'title="Call Beta Bouw: promise broken"' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "words"),
    [("nl", "Telefoongesprek: 1"), ("fr", "Appel téléphonique : 1")],
)
def test_the_dashboard_counts_the_tasks_due_per_kind_in_words(client, customers, language, words):
    login(client, "viewer")
    url = reverse("reports:dashboard", kwargs={"administration_code": "ACME"})
    text = visible_text(client.get(url, {"as_of": "2025-03-31"}, HTTP_ACCEPT_LANGUAGE=language))

    assert words.replace(" : ", ": ") in text.replace(" : ", ": ")
    assert_no_code(text, "phone_call", "promise_broken", "bounce")


@pytest.mark.parametrize(
    ("language", "words"),
    [("nl", ["In wachtrij", "E-mail"]), ("fr", ["En attente", "E-mail"])],
)
def test_the_outbox_names_channel_and_status(client, worked_dossier, language, words):
    login(client, "viewer")
    url = reverse("outbox:list", kwargs={"administration_code": "ACME"})
    text = visible_text(client.get(url, HTTP_ACCEPT_LANGUAGE=language))

    for word in words:
        assert word in text
    assert_no_code(text, "pending", "email")
