"""The collection handbook: the ladders as tables, the law, in three languages, as Markdown and PDF."""

import io

import pytest
from pypdf import PdfReader

from debitum.administrations.services import administration_create
from debitum.dunning.policy_handbook import (
    HandbookError,
    handbook_build,
    handbook_markdown,
    policy_handbook_render,
)
from debitum.dunning.policy_yaml import default_policy_specs, policies_parse


def _markdown(language: str, specs=None) -> str:
    return handbook_markdown(
        handbook_build(
            default_policy_specs() if specs is None else specs,
            administration_name="Acme B.V.",
            administration_code="ACME",
            currency="EUR",
            language=language,
        )
    )


def test_the_markdown_has_a_table_per_policy_with_every_step():
    text = _markdown("en")

    assert text.startswith("# Collection handbook: Acme B.V.\n")
    assert text.index("## Netherlands") < text.index("## Belgium")
    assert text.count("| # | Day | Step | Channel | Days after previous | Costs / interest |") == 12
    assert "| 1 | -3 | Pre-due reminder | e-mail | 0 | none | no |" in text
    assert (
        "| 4 | +21 | Demand with costs and interest | e-mail and letter | 5 | costs + interest | no |"
        in text
    )
    assert (
        "| 4 | +28 | Demand with costs and interest | e-mail and letter | 10 | costs + interest | yes |"
        in text
    )
    assert "Messages under €10.00 are not sent; pay within 14 days; promise grace 3 days." in text


def test_the_law_is_in_the_handbook_with_its_sources():
    text = _markdown("en")

    assert "art. 6:96 lid 6 BW" in text and "ECLI:NL:HR:2016:2704" in text  # fourteen-day letter
    assert "the first reminder is free" in text and "fourteen calendar days" in text  # Book XIX
    assert "a flat 40.00 per unpaid invoice" in text and "at least 40.00" in text
    assert "art. 6:119a BW" in text and "art. 5 (the ECB rate plus" in text
    assert "docs/law/collection-costs.md" in text and "docs/law/calendars.md" in text
    assert "inverted L" in text


def test_the_handbook_speaks_dutch_and_french():
    dutch, french = (_markdown(language).replace("\xa0", " ") for language in ("nl", "fr"))

    assert dutch.startswith("# Incassohandboek: Acme B.V.")
    assert "Fourteen-day letter (veertiendagenbrief)" in dutch
    assert "Berichten onder € 10,00 worden niet verstuurd" in dutch
    assert "| # | Dag | Stap | Kanaal |" in dutch and "omgekeerde L" in dutch
    assert french.startswith("# Manuel de recouvrement: Acme B.V.")
    assert "Notice of default (mise en demeure)" in french
    assert "le premier rappel est gratuit" in french


def test_a_switched_off_policy_says_so_and_no_policies_is_said_too():
    (spec,) = policies_parse(
        "policies:\n- {segment: high, country: BE, name: Tight, is_active: false, steps: []}\n"
    )

    text = _markdown("en", [spec])

    assert "### High risk: Tight (switched off)" in text and "## Netherlands" not in text
    assert "This administration has no dunning policies." in _markdown("en", [])


def test_an_unknown_language_is_refused():
    with pytest.raises(HandbookError, match="language must be one of en, nl, fr"):
        _markdown("de")


@pytest.mark.django_db
def test_the_pdf_contains_the_steps_of_a_policy():
    administration = administration_create(code="ACME", name="Acme B.V.", country="NL")

    pdf = policy_handbook_render(administration=administration, output_format="pdf", language="en")

    assert pdf.startswith(b"%PDF-")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "Collection handbook: Acme B.V." in text
    for step in ("Pre-due reminder", "First reminder", "Fourteen-day letter", "Second reminder"):
        assert step in text
    assert "Demand with costs and interest" in text and "costs + interest" in text
    assert "First reminder (free of charge)" in text  # Belgian consumers
