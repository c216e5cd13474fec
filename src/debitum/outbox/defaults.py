"""The message templates that ship with Debitum, one file per template code and language.

`templates/outbox/messages/<code>.<language>.html`: the first line is the subject, then an
empty line, then the body. Both are Django templates (see docs/collections/letters-and-email.md
for the context). `message_templates_install` copies them into an administration's
MessageTemplate rows, where they can be edited.
"""

from __future__ import annotations

from pathlib import Path

DEFAULTS_DIR = Path(__file__).resolve().parent / "templates" / "outbox" / "messages"

# The step kinds of the dunning ladder, and the confirmation letter of a payment plan.
TEMPLATE_CODES = (
    "pre_due_reminder",
    "reminder",
    "phone_call",
    "demand",
    "fourteen_day_letter",
    "notice_of_default",
    "agency_handover",
    "legal",
    "plan_confirmation",
)
TEMPLATE_LANGUAGES = ("nl", "fr", "en")


def default_template(code: str, language: str) -> tuple[str, str]:
    """The shipped (subject, body) of `code` in `language`; LookupError when there is none."""
    if code not in TEMPLATE_CODES or language not in TEMPLATE_LANGUAGES:
        raise LookupError(f"no default message template {code!r} in {language!r}")
    text = (DEFAULTS_DIR / f"{code}.{language}.html").read_text(encoding="utf-8")
    subject, _, body = text.partition("\n\n")
    return subject.strip(), body.strip() + "\n"


def default_templates() -> list[tuple[str, str, str, str]]:
    """Every shipped template as (code, language, subject, body)."""
    return [
        (code, language, *default_template(code, language))
        for code in TEMPLATE_CODES
        for language in TEMPLATE_LANGUAGES
    ]
