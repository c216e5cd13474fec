"""The collection handbook: every policy of an administration as a ladder table, with the law.

`handbook_build` turns policies (values) into the handbook's rows, in one language; the
Markdown is written here, the HTML by the template `dunning/policy_handbook.html`, and the PDF
from that HTML by WeasyPrint. Nothing is stored: the handbook is printed again after a change.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_currency

from .policy_handbook_texts import LANGUAGES, TEXTS
from .policy_yaml import COUNTRIES, PolicySpec, StepSpec, spec_sort_key

BABEL_LOCALES = {"en": "en_GB", "nl": "nl_NL", "fr": "fr_BE"}


class HandbookError(ValueError):
    pass


@dataclass(frozen=True)
class HandbookStep:
    position: int
    day: str
    step: str
    channel: str
    after: int
    charges: str
    approval: str


@dataclass(frozen=True)
class HandbookPolicy:
    title: str
    description: str
    terms: str  # threshold, pay-before, promise grace
    steps: tuple[HandbookStep, ...]


@dataclass(frozen=True)
class HandbookCountry:
    code: str
    title: str
    law: tuple[str, ...]  # paragraphs
    policies: tuple[HandbookPolicy, ...]


@dataclass(frozen=True)
class Handbook:
    language: str
    title: str
    intro: str
    working_title: str
    working: tuple[str, ...]
    law_title: str
    law_sources: str
    countries: tuple[HandbookCountry, ...]
    empty: str  # shown when there are no policies
    columns: tuple[str, ...]


def _money(amount: Decimal, currency: str, language: str) -> str:
    return format_currency(amount, currency, locale=BABEL_LOCALES[language])


def _step_row(step: StepSpec, text: dict[str, str]) -> HandbookStep:
    kind = text[f"kind_{step.kind}"]
    # The name is the administration's own; the kind in the reader's language when it adds to it.
    label = step.name if kind.lower() in step.name.lower() else f"{step.name} ({kind})"
    charges = [
        word
        for word, charged in (
            (text["costs"], step.charges_fees),
            (text["interest"], step.charges_interest),
        )
        if charged
    ]
    return HandbookStep(
        position=step.position,
        day=f"{step.day_offset:+d}" if step.day_offset else "0",
        step=label,
        channel=text[f"channel_{step.channel}"],
        after=step.min_days_since_previous,
        charges=" + ".join(charges) or text["none"],
        approval=text["yes"] if step.needs_approval else text["no"],
    )


def _policy(spec: PolicySpec, text: dict[str, str], currency: str, language: str) -> HandbookPolicy:
    segment = text[f"segment_{spec.segment}"]
    title = spec.name if spec.name.lower() == segment.lower() else f"{segment}: {spec.name}"
    if not spec.is_active:
        title += f" ({text['inactive']})"
    terms = "; ".join(
        [
            text["threshold"].format(amount=_money(spec.minimum_amount, currency, language)),
            text["pay_within"].format(days=spec.pay_within_days),
            text["grace"].format(days=spec.promise_grace_days),
        ]
    )
    return HandbookPolicy(
        title=title,
        description=spec.description,
        terms=terms + ".",
        steps=tuple(_step_row(step, text) for step in spec.steps),
    )


def handbook_build(
    specs, *, administration_name: str, administration_code: str, currency: str, language: str
) -> Handbook:
    """The handbook of `specs` in `language` (en, nl or fr): pure, for any renderer."""
    if language not in LANGUAGES:
        raise HandbookError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    text = TEXTS[language]
    ordered = sorted(specs, key=spec_sort_key)
    countries = []
    for country in COUNTRIES:
        policies = [spec for spec in ordered if spec.country == country]
        if not policies:
            continue
        countries.append(
            HandbookCountry(
                code=country,
                title=text[f"country_{country}"],
                law=tuple(text[f"law_{country}"].split("\n")),
                policies=tuple(_policy(spec, text, currency, language) for spec in policies),
            )
        )
    return Handbook(
        language=language,
        title=f"{text['title']}: {administration_name}",
        intro=text["intro"].format(name=administration_name, code=administration_code),
        working_title=text["working_title"],
        working=tuple(text["working"].split("\n")),
        law_title=text["law_title"],
        law_sources=text["law_sources"],
        countries=tuple(countries),
        empty=text["no_policies"] if not countries else "",
        columns=tuple(
            text[f"col_{name}"]
            for name in ("position", "day", "step", "channel", "after", "charges", "approval")
        ),
    )


def _cell(value) -> str:
    return str(value).replace("|", "\\|")


def handbook_markdown(handbook: Handbook) -> str:
    lines = [f"# {handbook.title}", "", handbook.intro, ""]
    lines += [f"## {handbook.working_title}", ""]
    for paragraph in handbook.working:
        lines += [paragraph, ""]
    if handbook.empty:
        lines += [handbook.empty, ""]
    for country in handbook.countries:
        lines += [f"## {country.title}", "", f"### {handbook.law_title}", ""]
        for paragraph in country.law:
            lines += [paragraph, ""]
        lines += [handbook.law_sources, ""]
        for policy in country.policies:
            lines += [f"### {policy.title}", ""]
            if policy.description:
                lines += [policy.description, ""]
            lines += [policy.terms, ""]
            lines.append("| " + " | ".join(handbook.columns) + " |")
            lines.append("|" + "|".join("---" for _ in handbook.columns) + "|")
            for step in policy.steps:
                cells = (
                    step.position,
                    step.day,
                    step.step,
                    step.channel,
                    step.after,
                    step.charges,
                    step.approval,
                )
                lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
            if not policy.steps:
                lines.append(f"| | | {TEXTS[handbook.language]['no_steps']} | | | | |")
            lines.append("")
    return "\n".join(lines)


def handbook_html(handbook: Handbook) -> str:
    from django.template.loader import render_to_string

    return render_to_string("dunning/policy_handbook.html", {"handbook": handbook})


def handbook_pdf(handbook: Handbook) -> bytes:
    from weasyprint import HTML

    return HTML(string=handbook_html(handbook)).write_pdf()


def policy_handbook_render(*, administration, output_format: str, language: str | None = None):
    """The handbook of `administration`'s policies: Markdown text ("md") or PDF bytes ("pdf").

    The language defaults to the administration's own.
    """
    from .policy_selectors import policy_specs

    language = language or administration.language
    if language not in LANGUAGES:
        language = "en"
    handbook = handbook_build(
        policy_specs(administration=administration),
        administration_name=administration.name,
        administration_code=administration.code,
        currency=administration.currency,
        language=language,
    )
    if output_format == "md":
        return handbook_markdown(handbook)
    if output_format == "pdf":
        return handbook_pdf(handbook)
    raise HandbookError(f"format must be md or pdf, not {output_format!r}")
