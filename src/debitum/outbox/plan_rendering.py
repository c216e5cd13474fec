"""A payment plan's confirmation as a letter and an e-mail.

The same layout as a dunning letter (letterhead, address window, payment block with the EPC QR
code, footer), with the text of the `plan_confirmation` template: the invoices in the plan,
the schedule and the grace rule. The payment block and its QR code pay the first instalment.
"""

from __future__ import annotations

from django.utils.safestring import mark_safe

from debitum.plans.models import PaymentPlan, PlanInvoice
from debitum.plans.selectors import plan_schedule

from .formatting import day, letter_language, letter_locale, money, short_day
from .rendering import (
    LABELS,
    Rendered,
    _invoice_table,
    letterhead_context,
    payment_qr,
    payment_reference,
    render_letter,
)

TEMPLATE_CODE = "plan_confirmation"

PLAN_LABELS = {
    "nl": {"payment_title": "Zo betaalt u de eerste termijn", "plan_total": "Totaal"},
    "fr": {"payment_title": "Comment payer le premier versement", "plan_total": "Total"},
    "en": {"payment_title": "How to pay the first instalment", "plan_total": "Total"},
}


def plan_confirmation_letter_context(*, plan: PaymentPlan, language: str | None = None) -> dict:
    """Everything the `plan_confirmation` template may use, formatted for the letter's
    language: what a dunning letter has (the plan's total as `total`, the first instalment's
    due date as `pay_before`) and `plan`, with its instalments."""
    administration, customer = plan.administration, plan.customer
    language = language or letter_language(customer.language, administration.language)
    locale = letter_locale(language, administration.country)
    labels = LABELS[language]
    currency = plan.currency

    def fmt(amount) -> str:
        return money(amount, currency, locale)

    lines = list(
        PlanInvoice.objects.filter(administration_id=plan.administration_id, plan=plan)
        .select_related("invoice")
        .order_by("invoice__due_date", "invoice__number")
    )
    invoices = [
        {
            "number": line.invoice.number,
            "invoice_date": short_day(line.invoice.invoice_date, locale),
            "due_date": short_day(line.invoice.due_date, locale),
            "amount": fmt(line.invoice.amount),
            "open_amount": fmt(line.amount),
            "reference": line.invoice.reference,
            "description": line.invoice.description,
        }
        for line in lines
    ]
    schedule = plan_schedule(plan)
    first = schedule[0]
    structured, reference_text, reference_display, reference_note = payment_reference(
        [(line.invoice.number, line.invoice.reference) for line in lines], language=language
    )
    qr_payload, qr_svg = payment_qr(
        administration=administration,
        currency=currency,
        amount=first.amount,
        structured=structured,
        text=reference_text or " ".join(invoice["number"] for invoice in invoices),
    )
    context = {
        "language": language,
        "labels": labels,
        **letterhead_context(administration=administration, customer=customer, language=language),
        "kind": TEMPLATE_CODE,
        "step": "",
        "letter_date": day(plan.start_date, locale),
        "invoices": invoices,
        "invoice_count": len(invoices),
        "currency": currency,
        "principal": fmt(plan.total),
        "fee": fmt(0),
        "interest": fmt(0),
        "total": fmt(plan.total),
        "has_fee": False,
        "has_interest": False,
        # The payment block asks for the first instalment, by its due date.
        "pay_before": day(first.due_date, locale),
        "payment_amount": fmt(first.amount),
        "payment_title": PLAN_LABELS[language]["payment_title"],
        "named_costs": "",
        "reference": reference_display,
        "reference_note": reference_note,
        "calculation_lines": [],
        "qr_svg": mark_safe(qr_svg),  # noqa: S308 - segno's own SVG, no user text in it
        "epc_qr_payload": qr_payload,
        "plan": {
            "id": plan.pk,
            "total": fmt(plan.total),
            "start_date": day(plan.start_date, locale),
            "every": plan.every,
            "grace_days": plan.grace_days,
            "instalment_count": len(schedule),
            "instalments": [
                {
                    "number": item.number,
                    "due_date": short_day(item.due_date, locale),
                    "amount": fmt(item.amount),
                }
                for item in schedule
            ],
        },
    }
    context["invoice_table"] = _invoice_table(
        context, totals=[(PLAN_LABELS[language]["plan_total"], context["total"])]
    )
    return context


def plan_confirmation_render(*, plan: PaymentPlan, language: str | None = None) -> Rendered:
    """The confirmation letter (PDF) and e-mail of `plan`, in the customer's language (else the
    administration's), from the administration's `plan_confirmation` template (else the
    shipped one)."""
    context = plan_confirmation_letter_context(plan=plan, language=language)
    return render_letter(administration=plan.administration, context=context, codes=[TEMPLATE_CODE])
