"""A dunning action as a letter and an e-mail: subject, HTML, plain text and the PDF.

The parts every letter shares (`letterhead_context`, `payment_reference`, `payment_qr`,
`render_letter`) serve the plan confirmation too (plan_rendering.py).

The text is the administration's `MessageTemplate` for the step's template code and the
letter's language (the shipped default when the administration has none). It is a Django
template rendered with the context of `communication_context`; the layout around it (letterhead,
address window, invoice table, payment block with the EPC QR code, footer) is
`outbox/letter.html` for the PDF and `outbox/email.html` for the e-mail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from debitum.common.qr import epc_qr_svg
from debitum.domain.epc_qr import EpcQrError, epc_qr_payload
from debitum.domain.fees import FeeError, nl_collection_costs
from debitum.domain.references import Reference, ReferenceError, validate
from debitum.dunning.models import DunningAction, MessageTemplate

from .defaults import default_template
from .formatting import day, letter_language, letter_locale, money, number, short_day

ZERO = Decimal("0.00")

LABELS = {
    "nl": {
        "invoice": "Factuur",
        "invoice_date": "Factuurdatum",
        "due_date": "Vervaldatum",
        "open": "Openstaand",
        "principal": "Hoofdsom",
        "fee": "Incassokosten",
        "earlier_fee": "Eerder in rekening gebrachte incassokosten",
        "interest": "Rente",
        "total": "Totaal te betalen",
        "pay_before": "Uiterlijk te betalen op",
        "how_to_pay": "Zo betaalt u",
        "iban": "IBAN",
        "bic": "BIC",
        "beneficiary": "Ten name van",
        "reference": "Betalingskenmerk",
        "amount": "Bedrag",
        "qr": "Scan de QR-code met uw bankapp: bedrag, rekening en kenmerk staan dan al goed.",
        "first_reference": (
            "Deze brief betreft {count} facturen; vermeld bij één betaling voor alles het "
            "kenmerk van factuur {number}."
        ),
        "customer_number": "Klantnummer",
        "date": "Datum",
        "vat": "btw",
        "registration": {"NL": "KvK", "BE": "Ondernemingsnr."},
        "calculation": "Zo zijn de kosten en de rente berekend",
        "costs_line": "{rate} over {base} = {amount}",
        "costs_fixed": "{description}: {amount}",
        "minimum": "Het minimum van {amount} is toegepast.",
        "maximum": "Het maximum van {amount} is toegepast.",
        "vat_line": "btw over de kosten: {amount}",
        "interest_line": (
            "Factuur {invoice}: {rate} per jaar over {principal}, van {start} tot {end} "
            "({days} dagen)"
        ),
        "interest_total": "Rente op factuur {invoice}: {amount}",
        "basis": "Grondslag: {article}",
        "page": "Pagina",
    },
    "fr": {
        "invoice": "Facture",
        "invoice_date": "Date de facture",
        "due_date": "Échéance",
        "open": "Solde dû",
        "principal": "Principal",
        "fee": "Frais de recouvrement",
        "earlier_fee": "Frais de recouvrement déjà réclamés",
        "interest": "Intérêts",
        "total": "Total à payer",
        "pay_before": "À payer au plus tard le",
        "how_to_pay": "Comment payer",
        "iban": "IBAN",
        "bic": "BIC",
        "beneficiary": "Bénéficiaire",
        "reference": "Communication structurée",
        "amount": "Montant",
        "qr": (
            "Scannez le code QR avec l'application de votre banque : montant, compte et "
            "communication sont alors déjà remplis."
        ),
        "first_reference": (
            "Ce courrier concerne {count} factures ; pour un paiement unique de l'ensemble, "
            "indiquez la communication de la facture {number}."
        ),
        "customer_number": "Numéro de client",
        "date": "Date",
        "vat": "TVA",
        "registration": {"NL": "KvK", "BE": "N° d'entreprise"},
        "calculation": "Calcul des frais et des intérêts",
        "costs_line": "{rate} sur {base} = {amount}",
        "costs_fixed": "{description} : {amount}",
        "minimum": "Le minimum de {amount} a été appliqué.",
        "maximum": "Le maximum de {amount} a été appliqué.",
        "vat_line": "TVA sur les frais : {amount}",
        "interest_line": (
            "Facture {invoice} : {rate} par an sur {principal}, du {start} au {end} ({days} jours)"
        ),
        "interest_total": "Intérêts sur la facture {invoice} : {amount}",
        "basis": "Base légale : {article}",
        "page": "Page",
    },
    "en": {
        "invoice": "Invoice",
        "invoice_date": "Invoice date",
        "due_date": "Due date",
        "open": "Outstanding",
        "principal": "Principal",
        "fee": "Collection costs",
        "earlier_fee": "Collection costs charged before",
        "interest": "Interest",
        "total": "Total to pay",
        "pay_before": "To be paid by",
        "how_to_pay": "How to pay",
        "iban": "IBAN",
        "bic": "BIC",
        "beneficiary": "Beneficiary",
        "reference": "Payment reference",
        "amount": "Amount",
        "qr": (
            "Scan the QR code with your banking app: the amount, account and reference are "
            "filled in for you."
        ),
        "first_reference": (
            "This letter concerns {count} invoices; to pay them all at once, quote the "
            "reference of invoice {number}."
        ),
        "customer_number": "Customer number",
        "date": "Date",
        "vat": "VAT",
        "registration": {"NL": "Chamber of Commerce", "BE": "Enterprise no."},
        "calculation": "How the costs and the interest were calculated",
        "costs_line": "{rate} of {base} = {amount}",
        "costs_fixed": "{description}: {amount}",
        "minimum": "The minimum of {amount} applies.",
        "maximum": "The maximum of {amount} applies.",
        "vat_line": "VAT on the costs: {amount}",
        "interest_line": (
            "Invoice {invoice}: {rate} a year on {principal}, from {start} to {end} ({days} days)"
        ),
        "interest_total": "Interest on invoice {invoice}: {amount}",
        "basis": "Legal basis: {article}",
        "page": "Page",
    },
}

COUNTRY_NAMES = {
    "nl": {"NL": "Nederland", "BE": "België"},
    "fr": {"NL": "Pays-Bas", "BE": "Belgique"},
    "en": {"NL": "The Netherlands", "BE": "Belgium"},
}


@dataclass(frozen=True)
class Rendered:
    """One action's communication: the e-mail (subject, html, text) and the letter (PDF)."""

    subject: str
    html: str  # the e-mail's HTML part
    text: str  # the e-mail's plain-text part
    pdf_bytes: bytes  # the letter, also attached to the e-mail
    letter_html: str  # what the PDF was made from
    language: str
    epc_qr_payload: str  # empty when the administration has no IBAN or the currency is not EUR


def template_for(*, administration, code: str, language: str) -> tuple[str, str]:
    """The (subject, body) of template `code` in `language`: the administration's own, else
    the shipped default. Raises LookupError when neither exists."""
    own = (
        MessageTemplate.objects.filter(administration=administration, code=code, language=language)
        .values_list("subject", "body")
        .first()
    )
    if own is not None:
        return own
    return default_template(code, language)


def _iban_display(iban: str) -> str:
    compact = "".join(iban.split()).upper()
    return " ".join(compact[index : index + 4] for index in range(0, len(compact), 4))


def _reference(references: list[str]) -> tuple[Reference | None, str]:
    """The structured reference of the first invoice that has a valid one, or the raw text."""
    for text in references:
        if not text:
            continue
        try:
            return validate(text), text
        except ReferenceError:
            return None, text
    return None, ""


def _percent(percent: Decimal, locale: str) -> str:
    """ "15 %" in Dutch and French (with a no-break space), "15%" in English."""
    places = 0 if percent == percent.to_integral_value() else 2
    space = "" if locale.startswith("en") else "\u00a0"
    return f"{number(percent, locale, places=places)}{space}%"


def calculation_lines(calculation: dict, *, language: str, locale: str, currency: str) -> list[str]:
    """How the costs and the interest were computed (DunningAction.calculation), as lines of
    text in the letter's language. Notes for the collector are left out."""
    labels = LABELS[language]
    lines: list[str] = []
    costs = calculation.get("costs")
    if isinstance(costs, dict) and costs.get("lines"):
        for line in costs["lines"]:
            amount = money(Decimal(line["amount"]).quantize(Decimal("0.01")), currency, locale)
            if line.get("rate") not in (None, ""):
                lines.append(
                    labels["costs_line"].format(
                        rate=_percent(Decimal(line["rate"]) * 100, locale),
                        base=money(Decimal(line["base"]), currency, locale),
                        amount=amount,
                    )
                )
            else:
                lines.append(
                    labels["costs_fixed"].format(description=line["description"], amount=amount)
                )
        fee = Decimal(costs.get("fee", "0")) - Decimal(costs.get("vat", "0"))
        if costs.get("minimum_applied"):
            lines.append(labels["minimum"].format(amount=money(fee, currency, locale)))
        if costs.get("maximum_applied"):
            lines.append(labels["maximum"].format(amount=money(fee, currency, locale)))
        if Decimal(costs.get("vat", "0")):
            lines.append(
                labels["vat_line"].format(amount=money(Decimal(costs["vat"]), currency, locale))
            )
        if costs.get("article"):
            lines.append(labels["basis"].format(article=costs["article"]))
    for entry in calculation.get("interest") or []:
        for period in entry.get("periods", []):
            lines.append(
                labels["interest_line"].format(
                    invoice=entry["invoice"],
                    rate=_percent(Decimal(period["rate"]), locale),
                    principal=money(Decimal(period["principal"]), currency, locale),
                    start=short_day(dt.date.fromisoformat(period["from"]), locale),
                    end=short_day(dt.date.fromisoformat(period["to"]), locale),
                    days=period["days"],
                )
            )
        lines.append(
            labels["interest_total"].format(
                invoice=entry["invoice"],
                amount=money(Decimal(entry["interest"]), currency, locale),
            )
        )
        if entry.get("article"):
            lines.append(labels["basis"].format(article=entry["article"]))
    return lines


def _named_costs(action: DunningAction, amounts: list[Decimal]) -> Decimal:
    """The collection costs a fourteen-day letter names (art. 6:96 lid 6 BW): what the run
    computed, or for an action without it the Dutch scale over the dunned amounts."""
    named = action.calculation.get("named_costs")
    if isinstance(named, dict):
        named = named.get("fee")
    if named not in (None, "") and Decimal(str(named)) > 0:
        return Decimal(str(named))
    try:
        return nl_collection_costs(amounts or [ZERO], is_consumer=True).fee
    except FeeError:
        return ZERO


def payment_reference(
    invoices: list[tuple[str, str]], *, language: str
) -> tuple[Reference | None, str, str, str]:
    """The reference to pay a letter about `invoices` ((number, reference) in the letter's
    order) with: (structured reference or None, its text, as printed, the note for a letter
    whose invoices have different references)."""
    structured, text = _reference([reference for _, reference in invoices])
    note = ""
    if len({reference for _, reference in invoices if reference}) > 1:
        note = LABELS[language]["first_reference"].format(
            count=len(invoices), number=invoices[0][0]
        )
    return structured, text, structured.display if structured else text, note


def payment_qr(
    *, administration, currency: str, amount: Decimal, structured: Reference | None, text: str
) -> tuple[str, str]:
    """The EPC QR code (payload, SVG) paying `amount` to the administration's IBAN with the
    structured reference, else `text` as the remittance information. ("", "") without an IBAN,
    in another currency than the euro, or for nothing to pay."""
    if not (administration.iban and currency == "EUR" and amount > 0):
        return "", ""
    try:
        payload = epc_qr_payload(
            name=(administration.legal_name or administration.name)[:70],
            iban=administration.iban,
            bic=administration.bic or None,
            amount=amount,
            reference=structured,
            text=None if structured else text[:140],
        )
        return payload, epc_qr_svg(payload, scale=3).decode("utf-8")
    except EpcQrError:
        # A letter without a QR code is still a letter; the IBAN and reference are printed.
        return "", ""


def letterhead_context(*, administration, customer, language: str) -> dict:
    """The sender (letterhead and footer) and the addressee of a letter in `language`."""
    labels = LABELS[language]
    is_foreign = customer.country and customer.country != administration.country
    return {
        "administration": {
            "code": administration.code,
            "name": administration.legal_name or administration.name,
            "trade_name": administration.name,
            "street": administration.street,
            "postal_code": administration.postal_code,
            "city": administration.city,
            "country": COUNTRY_NAMES[language].get(administration.country, administration.country),
            "iban": _iban_display(administration.iban) if administration.iban else "",
            "bic": administration.bic,
            "email": administration.email,
            "phone": administration.phone,
            "vat_number": administration.vat_number,
            "registration_label": labels["registration"].get(administration.country, ""),
            "registration_number": administration.registration_number,
            "website": administration.website,
        },
        "customer": {
            "name": customer.name,
            "number": customer.number,
            "street": customer.street,
            "postal_code": customer.postal_code,
            "city": customer.city,
            "country": COUNTRY_NAMES[language].get(customer.country, customer.country)
            if is_foreign
            else "",
            "email": customer.email,
            "is_consumer": customer.customer_type == "consumer",
        },
    }


def communication_context(*, action: DunningAction, language: str | None = None) -> dict:
    """Everything a template may use, formatted for the letter's language."""
    administration = action.administration
    customer = action.customer
    language = language or letter_language(customer.language, administration.language)
    locale = letter_locale(language, administration.country)
    labels = LABELS[language]
    currency = action.currency

    def fmt(amount: Decimal) -> str:
        return money(amount, currency, locale)

    lines = list(
        action.lines.select_related("invoice").order_by("invoice__due_date", "invoice__number")
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
    # Costs an earlier letter charged on these invoices and that are still unpaid: every later
    # letter shows them (they are claims, not invoices). Interest needs no such line: each
    # letter shows the interest to its own day.
    earlier_fee = _earlier_costs(action, [line.invoice_id for line in lines])
    total = action.principal + action.fee + earlier_fee + action.interest
    structured, reference_text, reference_display, reference_note = payment_reference(
        [(line.invoice.number, line.invoice.reference) for line in lines], language=language
    )

    qr_payload, qr_svg = payment_qr(
        administration=administration,
        currency=currency,
        amount=total,
        structured=structured,
        text=reference_text or " ".join(invoice["number"] for invoice in invoices),
    )
    context = {
        "language": language,
        "labels": labels,
        **letterhead_context(administration=administration, customer=customer, language=language),
        "kind": action.kind,
        "step": action.step.name,
        "letter_date": day(action.run.as_of, locale),
        "invoices": invoices,
        "invoice_count": len(invoices),
        "currency": currency,
        "principal": fmt(action.principal),
        "fee": fmt(action.fee),
        "earlier_fee": fmt(earlier_fee),
        "has_earlier_fee": earlier_fee > 0,
        "interest": fmt(action.interest),
        "total": fmt(total),
        "has_fee": action.fee > 0,
        "has_interest": action.interest > 0,
        "pay_before": day(action.pay_before, locale),
        "named_costs": fmt(_named_costs(action, [line.amount for line in lines]))
        if action.kind == "fourteen_day_letter"
        else "",
        "reference": reference_display,
        "reference_note": reference_note,
        "calculation_lines": calculation_lines(
            action.calculation or {}, language=language, locale=locale, currency=currency
        ),
        "qr_svg": mark_safe(qr_svg),  # noqa: S308 - segno's own SVG, no user text in it
        "epc_qr_payload": qr_payload,
    }
    context["invoice_table"] = _invoice_table(context)
    return context


def _earlier_costs(action: DunningAction, invoice_ids: list[int]) -> Decimal:
    from debitum.claims.models import Claim
    from debitum.claims.selectors import open_claims

    ids = set(
        Claim.objects.filter(
            administration=action.administration, invoice_id__in=invoice_ids, kind="costs"
        )
        .exclude(dunning_action=action)
        .values_list("pk", flat=True)
    )
    if not ids:
        return ZERO
    return sum(
        (
            claim.open_amount
            for claim in open_claims(
                administration=action.administration,
                as_of=action.run.as_of,
                customer_ids=[action.customer_id],
            )
            if claim.claim_id in ids
        ),
        ZERO,
    )


def _invoice_table(context: dict, totals: list[tuple[str, str]] | None = None) -> SafeString:
    """The invoices with their open amounts, then `totals` (label, amount) rows: by default
    the principal, costs, interest and the total of a dunning letter."""
    labels = context["labels"]
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td class='amount'>{}</td></tr>",
        (
            (
                invoice["number"],
                invoice["invoice_date"],
                invoice["due_date"],
                invoice["open_amount"],
            )
            for invoice in context["invoices"]
        ),
    )
    if totals is None:
        totals = [(labels["principal"], context["principal"])]
        if context.get("has_earlier_fee"):
            totals.append((labels["earlier_fee"], context["earlier_fee"]))
        if context["has_fee"]:
            totals.append((labels["fee"], context["fee"]))
        if context["has_interest"]:
            totals.append((labels["interest"], context["interest"]))
        totals.append((labels["total"], context["total"]))
    total_rows = format_html_join(
        "",
        "<tr class='total'><td colspan='3'>{}</td><td class='amount'>{}</td></tr>",
        totals,
    )
    return format_html(
        "<table class='invoices'><thead><tr><th>{}</th><th>{}</th><th>{}</th>"
        "<th class='amount'>{}</th></tr></thead><tbody>{}</tbody><tfoot>{}</tfoot></table>",
        labels["invoice"],
        labels["invoice_date"],
        labels["due_date"],
        labels["open"],
        rows,
        total_rows,
    )


def _render_body(source: str, context: dict) -> str:
    return Template(source).render(Context(context))


def render_letter(*, administration, context: dict, codes: list[str]) -> Rendered:
    """The letter (PDF) and the e-mail of `context`, from the first of the template `codes`
    the administration or Debitum has in the context's language."""
    from weasyprint import HTML  # imported here: loading Pango takes a moment

    from .formatting import html_to_text

    for code in codes:
        try:
            subject_source, body_source = template_for(
                administration=administration, code=code, language=context["language"]
            )
            break
        except LookupError:
            if code == codes[-1]:
                raise
    subject = " ".join(_render_body(subject_source, context).split())
    body = _render_body(body_source, context)
    has_table = "invoice_table" in body_source
    page = {**context, "subject": subject, "body": mark_safe(body), "has_table": has_table}
    letter_html = render_to_string("outbox/letter.html", page)
    email_html = render_to_string("outbox/email.html", page)
    pdf_bytes = HTML(string=letter_html).write_pdf()
    return Rendered(
        subject=subject,
        html=email_html,
        text=html_to_text(email_html),
        pdf_bytes=pdf_bytes,
        letter_html=letter_html,
        language=context["language"],
        epc_qr_payload=context["epc_qr_payload"],
    )


def communication_render(*, action: DunningAction, language: str | None = None) -> Rendered:
    """The letter (PDF) and the e-mail of `action`, in the customer's language (else the
    administration's), from the template of the action's step (else of its kind)."""
    context = communication_context(action=action, language=language)
    codes = [code for code in (action.step.template, action.kind) if code]
    return render_letter(administration=action.administration, context=context, codes=codes)
