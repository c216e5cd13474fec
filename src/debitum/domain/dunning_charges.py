"""What a dunning communication may charge, and the date it gives to pay: the law per debtor.

| debtor          | interest                      | costs                                              |
|-----------------|-------------------------------|----------------------------------------------------|
| NL business     | art. 6:119a BW                | the scale of the Besluit, at least 40.00 (6:96 lid 4) |
| NL consumer     | art. 6:119 BW                 | the scale, only after a fourteen-day letter that named the amount and whose term has passed (6:96 lid 6) |
| BE business     | law of 2 August 2002          | 40.00 per invoice (art. 6)                          |
| BE consumer     | (legal rate: not in the table)| nothing for the first reminder; damages within the Book XIX caps after its 14-day term |

Costs are charged once per invoice: an invoice that already bore costs in an earlier step is not
charged again (its costs are shown as before). Interest is computed to the day before `as_of`
on what is open, with the partial payments since the due date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .calendars import (
    be_reminder_term,
    extend_to_business_day,
    nl_fourteen_day_letter_term,
)
from .fees import be_business_collection_costs, be_consumer_collection_costs, nl_collection_costs
from .interest import Payment, interest_calculate
from .interest_rates import RateTable, RateUnknown

ZERO = Decimal("0.00")
LETTER_CHANNELS = {"email": "email", "letter": "post", "email_and_letter": "post"}


@dataclass(frozen=True)
class TakenStep:
    kind: str
    as_of: dt.date
    channel: str
    fee: Decimal = ZERO  # the costs this step charged on the invoice


@dataclass(frozen=True)
class ChargedInvoice:
    number: str
    due_date: dt.date
    amount: Decimal  # what is dunned now
    paid_since_due: tuple[Payment, ...] = ()  # partial payments after the due date
    history: tuple[TakenStep, ...] = ()  # the steps taken before, oldest first
    # The invoice's own step, when a communication holds invoices at different steps (None:
    # the communication's step).
    step_kind: str | None = None
    charges_fees: bool | None = None
    charges_interest: bool | None = None

    @property
    def has_borne_costs(self) -> bool:
        return any(step.fee > 0 for step in self.history)


@dataclass(frozen=True)
class Charges:
    fee: Decimal
    interest: Decimal
    pay_before: dt.date | None
    named_costs: Decimal = ZERO  # costs a fourteen-day letter names but does not charge yet
    fee_per_invoice: dict[str, Decimal] = field(default_factory=dict)
    interest_per_invoice: dict[str, Decimal] = field(default_factory=dict)
    calculation: dict = field(default_factory=dict)


def _interest_regime(country: str, is_consumer: bool) -> str | None:
    if country == "NL":
        return "nl-consumer" if is_consumer else "nl-commercial"
    return None if is_consumer else "be-commercial"


def _split(total: Decimal, invoices: list[ChargedInvoice]) -> dict[str, Decimal]:
    """`total` spread over the invoices in proportion to their amounts, to the cent."""
    base = sum((invoice.amount for invoice in invoices), ZERO)
    shares, given = {}, ZERO
    for index, invoice in enumerate(invoices):
        if index == len(invoices) - 1:
            shares[invoice.number] = total - given
        else:
            share = (total * invoice.amount / base).quantize(Decimal("0.01")) if base else ZERO
            shares[invoice.number] = share
            given += share
    return shares


def communication_charges(
    *,
    country: str,
    is_consumer: bool,
    step_kind: str,
    channel: str,
    charges_fees: bool,
    charges_interest: bool,
    invoices: list[ChargedInvoice],
    as_of: dt.date,
    pay_within_days: int,
    rates: RateTable,
    vat_on_costs: bool = False,
) -> Charges:
    """The costs, interest and pay-before date of one communication on `as_of`."""
    notes: list[str] = []
    calculation: dict = {"notes": notes}
    delivery = LETTER_CHANNELS.get(channel)

    def kind_of(invoice: ChargedInvoice) -> str:
        return invoice.step_kind or step_kind

    def fees_on(invoice: ChargedInvoice) -> bool:
        return charges_fees if invoice.charges_fees is None else invoice.charges_fees

    def interest_on(invoice: ChargedInvoice) -> bool:
        return charges_interest if invoice.charges_interest is None else invoice.charges_interest

    fourteen_day = [i for i in invoices if kind_of(i) == "fourteen_day_letter"]

    # --- the date to pay: the latest that the law or the policy gives ---
    pay_before = None
    if delivery is not None:
        pay_before = extend_to_business_day(as_of + dt.timedelta(days=pay_within_days), country)
        terms = []
        if country == "NL" and is_consumer and fourteen_day:
            terms.append(nl_fourteen_day_letter_term(as_of, channel=delivery))
        if country == "BE" and is_consumer and any(not i.history for i in invoices):
            terms.append(be_reminder_term(as_of, channel=delivery))
        for term in terms:
            pay_before = max(pay_before, term.last_day_to_pay)
            calculation.setdefault("terms", []).append(
                {"article": term.article, "reasons": list(term.reasons)}
            )

    # --- interest ---
    interest = ZERO
    interest_per_invoice: dict[str, Decimal] = {}
    bearing = [invoice for invoice in invoices if interest_on(invoice)]
    if bearing:
        regime = _interest_regime(country, is_consumer)
        if regime is None:
            notes.append(
                "no interest: the Belgian legal interest rate for consumers is not in Debitum's "
                "rate table"
            )
        else:
            lines = []
            for invoice in bearing:
                start = invoice.due_date + dt.timedelta(days=1)
                if as_of <= start:
                    continue
                principal = invoice.amount + sum(
                    (payment.amount for payment in invoice.paid_since_due), ZERO
                )
                try:
                    result = interest_calculate(
                        principal=principal,
                        start=start,
                        end=as_of,
                        regime=regime,
                        table=rates,
                        payments=[p for p in invoice.paid_since_due if start <= p.payment_date],
                    )
                except RateUnknown as error:
                    notes.append(f"no interest on {invoice.number}: {error}")
                    continue
                interest += result.interest_outstanding
                interest_per_invoice[invoice.number] = result.interest_outstanding
                lines.append(
                    {
                        "invoice": invoice.number,
                        "regime": regime,
                        "article": result.article,
                        "from": start.isoformat(),
                        "to": as_of.isoformat(),
                        "interest": f"{result.interest_outstanding:.2f}",
                        "periods": [
                            {
                                "from": p.start.isoformat(),
                                "to": p.end.isoformat(),
                                "days": p.days,
                                "rate": f"{p.rate:.2f}",
                                "principal": f"{p.principal:.2f}",
                            }
                            for p in result.periods
                        ],
                    }
                )
            calculation["interest"] = lines

    # --- costs ---
    fee, named = ZERO, ZERO
    fee_per_invoice: dict[str, Decimal] = {}
    fresh = [invoice for invoice in invoices if not invoice.has_borne_costs]
    if country == "NL" and is_consumer:
        naming = [i for i in fresh if i in fourteen_day]
        if naming:
            costs = nl_collection_costs(
                [i.amount for i in naming], is_consumer=True, vat=vat_on_costs
            )
            named = costs.fee
            calculation["named_costs"] = _costs_dict(costs)
            notes.append(
                "the fourteen-day letter names the collection costs; they are due only when the "
                "amount is still unpaid after its term (art. 6:96 lid 6 BW)"
            )
        charging = [i for i in fresh if fees_on(i) and i not in fourteen_day]
        ready = [i for i in charging if _fourteen_day_term_passed(i, as_of)]
        if len(ready) < len(charging):
            notes.append(
                "no costs on "
                + ", ".join(i.number for i in charging if i not in ready)
                + ": no fourteen-day letter whose term has passed (art. 6:96 lid 6 BW)"
            )
        if ready:
            costs = nl_collection_costs(
                [i.amount for i in ready], is_consumer=True, vat=vat_on_costs
            )
            fee, fee_per_invoice = costs.fee, _split(costs.fee, ready)
            calculation["costs"] = _costs_dict(costs)
    else:
        charging = [i for i in fresh if fees_on(i)]
        if charging and country == "NL":
            costs = nl_collection_costs(
                [i.amount for i in charging], is_consumer=False, vat=vat_on_costs
            )
            fee, fee_per_invoice = costs.fee, _split(costs.fee, charging)
            calculation["costs"] = _costs_dict(costs)
        elif charging and not is_consumer:
            costs = be_business_collection_costs(
                sum((i.amount for i in charging), ZERO), invoices=len(charging)
            )
            fee = costs.fee
            fee_per_invoice = {i.number: costs.fee / len(charging) for i in charging}
            calculation["costs"] = _costs_dict(costs)
        elif charging:
            ready = [i for i in charging if _be_reminder_term_passed(i, as_of)]
            if len(ready) < len(charging):
                notes.append(
                    "no damages on "
                    + ", ".join(i.number for i in charging if i not in ready)
                    + ": the first reminder is free and its 14-day term has not passed "
                    "(art. XIX.2 WER)"
                )
            if ready:
                costs = be_consumer_collection_costs(sum((i.amount for i in ready), ZERO))
                fee, fee_per_invoice = costs.fee, _split(costs.fee, ready)
                calculation["costs"] = _costs_dict(costs)
    return Charges(
        fee=fee,
        interest=interest,
        pay_before=pay_before,
        named_costs=named,
        fee_per_invoice=fee_per_invoice,
        interest_per_invoice=interest_per_invoice,
        calculation=calculation,
    )


def _fourteen_day_term_passed(invoice: ChargedInvoice, as_of: dt.date) -> bool:
    for step in invoice.history:
        if step.kind == "fourteen_day_letter" and step.channel in LETTER_CHANNELS:
            term = nl_fourteen_day_letter_term(step.as_of, channel=LETTER_CHANNELS[step.channel])
            if term.first_default_date <= as_of:
                return True
    return False


def _be_reminder_term_passed(invoice: ChargedInvoice, as_of: dt.date) -> bool:
    letters = [step for step in invoice.history if step.channel in LETTER_CHANNELS]
    if not letters:
        return False
    first = letters[0]
    term = be_reminder_term(first.as_of, channel=LETTER_CHANNELS[first.channel])
    return term.first_default_date <= as_of


def _costs_dict(costs) -> dict:
    return {
        "regime": costs.regime,
        "article": costs.article,
        "principal": f"{costs.principal:.2f}",
        "lines": [
            {
                "description": line.description,
                "rate": None if line.rate is None else str(line.rate),
                "base": f"{line.base:.2f}",
                "amount": f"{line.amount:.2f}",
            }
            for line in (*costs.slices, *costs.extras)
        ],
        "minimum_applied": costs.is_minimum_applied,
        "maximum_applied": costs.is_maximum_applied,
        "vat": f"{costs.vat:.2f}",
        "fee": f"{costs.fee:.2f}",
    }
