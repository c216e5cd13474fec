"""Collection costs a creditor may claim in the Netherlands and Belgium, with their breakdown.

Three regimes:

- `nl_collection_costs`: the scale of art. 2 of the Besluit vergoeding voor buitengerechtelijke
  incassokosten (Stb. 2012, 141), for consumers and businesses alike; VAT on top only when the
  creditor cannot deduct it (art. 2 lid 3); all claims in one letter added up (art. 6:96 lid 7
  BW).
- `be_business_collection_costs`: the flat 40.00 per invoice of art. 6 of the Belgian law of
  2 August 2002 on late payment in commercial transactions.
- `be_consumer_collection_costs`: the caps of Book XIX "Debts of the consumer" of the Code of
  Economic Law (law of 4 May 2023).

Interest is not computed here (see the interest module). Amounts are `Decimal`; every slice is
kept exact and the sum is rounded once, half up, by `money.quantize`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .money import quantize

REGIMES: tuple[str, ...] = ("nl", "be-business", "be-consumer")

ZERO = Decimal("0.00")

# Art. 2 lid 1 Besluit vergoeding voor buitengerechtelijke incassokosten: the rate over each
# successive slice of the principal; None is "het meerdere" (the rest).
NL_SCALE: tuple[tuple[Decimal | None, Decimal], ...] = (
    (Decimal("2500"), Decimal("0.15")),
    (Decimal("2500"), Decimal("0.10")),
    (Decimal("5000"), Decimal("0.05")),
    (Decimal("190000"), Decimal("0.01")),
    (None, Decimal("0.005")),
)
NL_MINIMUM = Decimal("40.00")  # art. 2 lid 2 Besluit; and art. 6:96 lid 4 BW for businesses
NL_MAXIMUM = Decimal("6775.00")  # art. 2 lid 1 onder e Besluit
NL_VAT_RATE = Decimal("0.21")  # art. 2 lid 3 Besluit: the VAT rate, 21% (Wet OB 1968, art. 9)

# Art. 6 of the law of 2 August 2002 (as amended in 2013, Directive 2011/7/EU art. 6).
BE_BUSINESS_FLAT_FEE = Decimal("40.00")

# Book XIX Code of Economic Law: the damages a consumer may owe after the free first
# reminder, by the amount due (art. XIX.4 WER).
BE_CONSUMER_LOW_LIMIT = Decimal("150.00")
BE_CONSUMER_LOW_CAP = Decimal("20.00")
BE_CONSUMER_MIDDLE_LIMIT = Decimal("500.00")
BE_CONSUMER_MIDDLE_FIXED = Decimal("30.00")
BE_CONSUMER_MIDDLE_RATE = Decimal("0.10")
BE_CONSUMER_HIGH_FIXED = Decimal("65.00")
BE_CONSUMER_HIGH_RATE = Decimal("0.05")
BE_CONSUMER_MAXIMUM = Decimal("2000.00")
# Art. XIX.2 WER: a chargeable further reminder costs at most 7.50 plus the postage in force.
BE_CONSUMER_REMINDER_FEE = Decimal("7.50")

NL_ARTICLE_CONSUMER = (
    "art. 6:96 lid 5-7 BW; art. 2 Besluit vergoeding voor buitengerechtelijke incassokosten"
)
NL_ARTICLE_BUSINESS = (
    "art. 6:96 lid 4, 5 and 7 BW; art. 2 Besluit vergoeding voor buitengerechtelijke incassokosten"
)
BE_ARTICLE_BUSINESS = (
    "art. 6 law of 2 August 2002 on combating late payment in commercial transactions"
)
BE_ARTICLE_CONSUMER = "art. XIX.2 and XIX.4 WER (Book XIX Code of Economic Law, law of 4 May 2023)"


class FeeError(ValueError):
    """An input the fee rules cannot work with: a float, a negative principal, a bad option."""


@dataclass(frozen=True, slots=True)
class FeeLine:
    """One line of a breakdown: `rate` x `base`, or a fixed `amount` when rate is None.

    `amount` is exact (not rounded): the total is rounded once.
    """

    description: str
    rate: Decimal | None
    base: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class CollectionCosts:
    """What may be claimed, and how it was computed.

    `slices` are the lines of the scale, `subtotal` their rounded sum, `costs` the subtotal
    after the minimum and maximum, `extras` what comes on top (Belgian reminders), `vat` the
    VAT on costs and extras, and `fee` the total to claim.
    """

    regime: str
    principal: Decimal
    slices: tuple[FeeLine, ...]
    subtotal: Decimal
    minimum: Decimal | None
    maximum: Decimal | None
    is_minimum_applied: bool
    is_maximum_applied: bool
    costs: Decimal
    extras: tuple[FeeLine, ...]
    vat_rate: Decimal
    vat: Decimal
    fee: Decimal
    article: str
    conditions: tuple[str, ...]


def check_principal(principal: Decimal, name: str = "principal") -> Decimal:
    """The principal as given, or FeeError for a float, a non-number or a negative amount."""
    if isinstance(principal, float):
        raise FeeError(f"{name} must be a Decimal, not a float ({principal!r}): floats lose cents")
    if not isinstance(principal, Decimal):
        raise FeeError(f"{name} must be a Decimal, not {type(principal).__name__}")
    if not principal.is_finite():
        raise FeeError(f"{name} must be a finite amount, not {principal}")
    if principal < 0:
        raise FeeError(f"{name} cannot be negative ({principal})")
    return principal


def _check_count(count: int, name: str) -> int:
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise FeeError(f"{name} must be a whole number >= 0, not {count!r}")
    return count


def _money(amount: Decimal) -> str:
    return f"{quantize(amount):,.2f}"


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def nl_scale(principal: Decimal) -> tuple[FeeLine, ...]:
    """The slices of art. 2 lid 1 Besluit for `principal` (exact amounts, empty for 0)."""
    check_principal(principal)
    lines = []
    lower, remaining = Decimal(0), principal
    for width, rate in NL_SCALE:
        if remaining <= 0:
            break
        base = remaining if width is None else min(remaining, width)
        if width is None:
            label = f"{_percent(rate)} over the part above {_money(lower)}"
        else:
            label = f"{_percent(rate)} over {_money(lower)} to {_money(lower + width)}"
        lines.append(FeeLine(description=label, rate=rate, base=base, amount=base * rate))
        remaining -= base
        if width is not None:
            lower += width
    return tuple(lines)


def nl_collection_costs(
    principals: Decimal | Sequence[Decimal], *, is_consumer: bool, vat: bool = False
) -> CollectionCosts:
    """Dutch extrajudicial collection costs for the claims named in one letter.

    The principals are added up first (art. 6:96 lid 7 BW), the scale of art. 2 lid 1 Besluit
    applied, the result held between 40.00 (lid 2) and 6,775.00 (lid 1 onder e), and 21% VAT
    added only when `vat` is True: the creditor cannot deduct VAT and says so (lid 3). A zero
    principal costs nothing.

    For a consumer the costs become due only after a fourteen-day letter naming this amount
    (art. 6:96 lid 6 BW, see `calendars.nl_fourteen_day_letter_term`); for a business in a
    commercial agreement 40.00 is due without a reminder from the day after the due date
    (lid 4), and the scale applies unless otherwise agreed.
    """
    if isinstance(principals, (Decimal, float, int)):
        principals = [principals]
    if isinstance(principals, (str, bytes)) or not isinstance(principals, Sequence):
        raise FeeError("principals must be a Decimal or a list of Decimals")
    if not principals:
        raise FeeError("no principal given")
    for index, principal in enumerate(principals):
        check_principal(
            principal, "principal" if len(principals) == 1 else f"principal {index + 1}"
        )
    total = sum(principals, Decimal(0))
    slices = nl_scale(total)
    subtotal = quantize(sum((line.amount for line in slices), Decimal(0)))
    if total == 0:
        costs, is_minimum_applied, is_maximum_applied = ZERO, False, False
    else:
        is_minimum_applied = subtotal < NL_MINIMUM
        is_maximum_applied = subtotal > NL_MAXIMUM
        costs = min(max(subtotal, NL_MINIMUM), NL_MAXIMUM)
    vat_amount = quantize(costs * NL_VAT_RATE) if vat else ZERO
    if is_consumer:
        conditions = [
            "due only after a fourteen-day letter, sent after default, naming this amount and "
            "left unpaid for fourteen days from the day after receipt (art. 6:96 lid 6 BW)",
            "the scale and its minimum cannot be exceeded for a consumer (art. 6:96 lid 5 BW)",
        ]
    else:
        conditions = [
            "in a commercial agreement 40.00 is due without a reminder from the day after the "
            "due date (art. 6:96 lid 4 BW)",
            "the scale applies unless the parties agreed otherwise (art. 6:96 lid 5 BW)",
        ]
    if len(principals) > 1:
        conditions.append(
            f"the principals of {len(principals)} claims in one letter are added up "
            "(art. 6:96 lid 7 BW)"
        )
    if vat:
        conditions.append(
            "VAT is added because the creditor cannot deduct it (art. 2 lid 3 Besluit)"
        )
    return CollectionCosts(
        regime="nl",
        principal=total,
        slices=slices,
        subtotal=subtotal,
        minimum=NL_MINIMUM,
        maximum=NL_MAXIMUM,
        is_minimum_applied=is_minimum_applied,
        is_maximum_applied=is_maximum_applied,
        costs=costs,
        extras=(),
        vat_rate=NL_VAT_RATE if vat else ZERO,
        vat=vat_amount,
        fee=costs + vat_amount,
        article=NL_ARTICLE_CONSUMER if is_consumer else NL_ARTICLE_BUSINESS,
        conditions=tuple(conditions),
    )


def be_business_collection_costs(principal: Decimal, *, invoices: int = 1) -> CollectionCosts:
    """The Belgian flat compensation for recovery costs: 40.00 per unpaid invoice.

    Art. 6 of the law of 2 August 2002: due without notice, on top of the late-payment
    interest (computed elsewhere). Further recovery costs are owed only when proven and are
    not computed. No VAT: the compensation is damages, not a supply.
    """
    check_principal(principal)
    _check_count(invoices, "invoices")
    if principal == 0 and invoices:
        raise FeeError("a zero principal has no unpaid invoice to compensate")
    line = FeeLine(
        description=f"{invoices} invoice(s) x {_money(BE_BUSINESS_FLAT_FEE)} flat compensation",
        rate=None,
        base=Decimal(invoices),
        amount=BE_BUSINESS_FLAT_FEE * invoices,
    )
    costs = quantize(line.amount)
    return CollectionCosts(
        regime="be-business",
        principal=principal,
        slices=(line,),
        subtotal=costs,
        minimum=None,
        maximum=None,
        is_minimum_applied=False,
        is_maximum_applied=False,
        costs=costs,
        extras=(),
        vat_rate=ZERO,
        vat=ZERO,
        fee=costs,
        article=BE_ARTICLE_BUSINESS,
        conditions=(
            "due without notice from the day after the due date, per unpaid invoice, on top of "
            "the late-payment interest (law of 2 August 2002)",
            "further recovery costs only when proven and reasonable; not computed here",
        ),
    )


def be_consumer_damages(principal: Decimal) -> tuple[tuple[FeeLine, ...], Decimal | None]:
    """The lines of the Book XIX cap for the amount due, and the maximum that bounds them."""
    check_principal(principal)
    if principal == 0:
        return (), None
    if principal <= BE_CONSUMER_LOW_LIMIT:
        line = FeeLine(
            description=f"debt up to {_money(BE_CONSUMER_LOW_LIMIT)}: at most "
            f"{_money(BE_CONSUMER_LOW_CAP)}",
            rate=None,
            base=ZERO,
            amount=BE_CONSUMER_LOW_CAP,
        )
        return (line,), None
    if principal <= BE_CONSUMER_MIDDLE_LIMIT:
        part = principal - BE_CONSUMER_LOW_LIMIT
        return (
            FeeLine(
                description=f"debt of {_money(BE_CONSUMER_LOW_LIMIT + Decimal('0.01'))} to "
                f"{_money(BE_CONSUMER_MIDDLE_LIMIT)}: fixed part",
                rate=None,
                base=ZERO,
                amount=BE_CONSUMER_MIDDLE_FIXED,
            ),
            FeeLine(
                description=f"{_percent(BE_CONSUMER_MIDDLE_RATE)} of the part above "
                f"{_money(BE_CONSUMER_LOW_LIMIT)}",
                rate=BE_CONSUMER_MIDDLE_RATE,
                base=part,
                amount=part * BE_CONSUMER_MIDDLE_RATE,
            ),
        ), None
    part = principal - BE_CONSUMER_MIDDLE_LIMIT
    return (
        FeeLine(
            description=f"debt above {_money(BE_CONSUMER_MIDDLE_LIMIT)}: fixed part",
            rate=None,
            base=ZERO,
            amount=BE_CONSUMER_HIGH_FIXED,
        ),
        FeeLine(
            description=f"{_percent(BE_CONSUMER_HIGH_RATE)} of the part above "
            f"{_money(BE_CONSUMER_MIDDLE_LIMIT)}",
            rate=BE_CONSUMER_HIGH_RATE,
            base=part,
            amount=part * BE_CONSUMER_HIGH_RATE,
        ),
    ), BE_CONSUMER_MAXIMUM


def be_consumer_collection_costs(
    principal: Decimal, *, paid_reminders: int = 0, postage: Decimal = ZERO
) -> CollectionCosts:
    """The most a Belgian consumer may be charged for late payment, besides interest.

    Book XIX WER: the first reminder is free and is followed by fourteen calendar days in which
    nothing may be charged (see `calendars.be_reminder_term`). After that, damages at most
    20.00 for a debt up to 150.00; 30.00 + 10% of the part above 150.00 up to 500.00; 65.00 +
    5% of the part above 500.00 above that, at most 2,000.00 (art. XIX.4). The damages can only
    be claimed when the contract provides for them and the first reminder announced them.

    `paid_reminders` further reminders cost at most 7.50 plus `postage` (the postage in force
    when each is sent, given per reminder) (art. XIX.2). Moratorium interest at the legal rate
    is computed elsewhere.
    """
    check_principal(principal)
    _check_count(paid_reminders, "paid reminders")
    check_principal(postage, "postage")
    slices, maximum = be_consumer_damages(principal)
    subtotal = quantize(sum((line.amount for line in slices), Decimal(0)))
    is_maximum_applied = maximum is not None and subtotal > maximum
    costs = min(subtotal, maximum) if is_maximum_applied else subtotal
    extras = []
    if paid_reminders:
        extras.append(
            FeeLine(
                description=f"{paid_reminders} further reminder(s) x "
                f"{_money(BE_CONSUMER_REMINDER_FEE)}",
                rate=None,
                base=Decimal(paid_reminders),
                amount=BE_CONSUMER_REMINDER_FEE * paid_reminders,
            )
        )
        if postage:
            extras.append(
                FeeLine(
                    description=f"{paid_reminders} x postage {_money(postage)}",
                    rate=None,
                    base=Decimal(paid_reminders),
                    amount=postage * paid_reminders,
                )
            )
    fee = costs + quantize(sum((line.amount for line in extras), Decimal(0)))
    return CollectionCosts(
        regime="be-consumer",
        principal=principal,
        slices=slices,
        subtotal=subtotal,
        minimum=None,
        maximum=maximum,
        is_minimum_applied=False,
        is_maximum_applied=is_maximum_applied,
        costs=costs,
        extras=tuple(extras),
        vat_rate=ZERO,
        vat=ZERO,
        fee=fee,
        article=BE_ARTICLE_CONSUMER,
        conditions=(
            "nothing is due for the first reminder, which must be free (art. XIX.2 WER)",
            "nothing may be charged before fourteen calendar days after the first reminder "
            "have passed (art. XIX.2 WER)",
            "the damages are a maximum: only what the contract stipulates, and only if the "
            "first reminder announced the amount",
            "paid reminders only where the law allows them (contracts for regular supply, "
            "after the third unpaid instalment in a calendar year): 7.50 plus postage each",
            "moratorium interest at the legal rate comes on top and is computed elsewhere",
        ),
    )


def collection_costs(
    regime: str,
    principals: Decimal | Sequence[Decimal],
    *,
    is_consumer: bool = False,
    vat: bool = False,
    invoices: int = 1,
    paid_reminders: int = 0,
    postage: Decimal = ZERO,
) -> CollectionCosts:
    """The costs under `regime` ("nl", "be-business" or "be-consumer"), refusing options the
    regime does not know (VAT on Belgian damages, reminders in the Netherlands)."""
    if regime not in REGIMES:
        raise FeeError(f"unknown regime {regime!r} (use {', '.join(REGIMES)})")
    if regime == "nl":
        if paid_reminders or postage or invoices != 1:
            raise FeeError(
                "the Dutch scale has no reminder or per-invoice fees: give each claim's principal"
            )
        return nl_collection_costs(principals, is_consumer=is_consumer, vat=vat)
    if vat:
        raise FeeError("Belgian compensation for recovery costs is damages and bears no VAT")
    if isinstance(principals, Sequence) and not isinstance(principals, (str, bytes)):
        if len(principals) != 1:
            raise FeeError(f"{regime} takes one principal (the amount due)")
        (principal,) = principals
    else:
        principal = principals
    if regime == "be-business":
        if paid_reminders or postage:
            raise FeeError("be-business has no reminder fees: use invoices")
        return be_business_collection_costs(principal, invoices=invoices)
    if invoices != 1:
        raise FeeError("be-consumer caps the damages on the amount due, not per invoice")
    return be_consumer_collection_costs(principal, paid_reminders=paid_reminders, postage=postage)
