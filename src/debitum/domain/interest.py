"""Interest on a late payment: statutory (NL, BE) or contractual, period by period.

The rules, each from the law or the issue that asked for them:
- Interest runs over the days from `start` (inclusive) to `end` (exclusive). For a late invoice
  `start` is the day after the due date: the caller decides, this module only counts days.
- Day count: actual days / 365, also in a leap year (the Dutch and Belgian practice; the law
  gives a rate "per jaar" and the courts apply it per day of 365).
- A period is split at every change of the rate, at every payment and, where interest compounds,
  at every anniversary of `start`.
- Dutch statutory interest compounds: after each full year the interest of that year is added to
  the principal (art. 6:119 lid 2 BW; art. 6:119a lid 3 and 6:119b lid 3 BW for the commercial
  rate), rounded to cents when it is added. Belgian commercial interest (law of 2 August 2002) is
  simple, as is a contractual rate unless the contract compounds it.
- A payment lowers the interest-bearing amount from its date on. It is imputed first on the costs,
  then on the interest, then on the principal (art. 6:44 lid 1 BW); what is left over stays with
  the creditor as an overpayment (`unapplied`).
- The total interest is the sum of the unrounded period amounts, rounded once to cents.
- A day for which no rate is known raises `RateUnknown`: a claim rests on a published rate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from .interest_rates import TABLE_OF_REGIME, RateTable, RateUnknown
from .money import quantize

__all__ = [
    "REGIMES",
    "InterestError",
    "InterestPeriod",
    "InterestResult",
    "Imputation",
    "Payment",
    "RateUnknown",
    "interest_calculate",
    "anniversary",
]

# Every period's interest is base x rate% x days / 365: all of them share the denominator 36,500,
# so the numerators add up exactly and the only division happens where a sum is rounded.
DENOMINATOR = Decimal(36500)
CONTRACTUAL = "contractual"

# regime -> (compounds yearly, the article that gives the interest)
REGIMES: dict[str, tuple[bool, str]] = {
    "nl-consumer": (True, "art. 6:119 BW (wettelijke rente)"),
    "nl-commercial": (True, "art. 6:119a BW (wettelijke handelsrente)"),
    "nl-public": (True, "art. 6:119b BW (wettelijke handelsrente, public body as debtor)"),
    "be-commercial": (False, "art. 5 of the law of 2 August 2002 (late payment, commercial)"),
    CONTRACTUAL: (False, "the contract"),
}
assert set(REGIMES) - {CONTRACTUAL} == set(TABLE_OF_REGIME)


class InterestError(ValueError):
    """Input that interest cannot be computed on."""


@dataclass(frozen=True)
class Payment:
    payment_date: dt.date
    amount: Decimal


@dataclass(frozen=True)
class InterestPeriod:
    """Interest over the days from `start` (inclusive) to `end` (exclusive) at one rate."""

    start: dt.date
    end: dt.date
    days: int
    rate: Decimal
    principal: Decimal
    interest: Decimal  # unrounded
    source: str
    capitalised: Decimal | None = None  # added to the principal at `end` (an anniversary)


@dataclass(frozen=True)
class Imputation:
    """How one payment was imputed (art. 6:44 BW)."""

    payment_date: dt.date
    amount: Decimal
    costs: Decimal
    interest: Decimal
    principal: Decimal
    unapplied: Decimal


@dataclass(frozen=True)
class InterestResult:
    regime: str
    article: str
    compound: bool
    start: dt.date
    end: dt.date
    interest: Decimal  # the total, rounded once
    interest_exact: Fraction  # the sum of the unrounded period amounts
    periods: tuple[InterestPeriod, ...]
    imputations: tuple[Imputation, ...]
    principal_outstanding: Decimal
    interest_outstanding: Decimal
    costs_outstanding: Decimal


def anniversary(start: dt.date, years: int) -> dt.date:
    """`start` plus whole years; a year from 29 February ends on the last day of February,
    so the next year starts on 1 March."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return dt.date(start.year + years, 3, 1)


def _divide(numerator: Decimal) -> Decimal:
    """numerator / 36,500 with precision to spare: exact to far below a cent."""
    with localcontext() as context:
        context.prec = 60
        return numerator / DENOMINATOR


def _money(value: Decimal, name: str) -> Decimal:
    if not isinstance(value, Decimal):
        raise InterestError(f"{name} must be a Decimal, not {type(value).__name__}")
    if value < 0:
        raise InterestError(f"{name} cannot be negative ({value})")
    if quantize(value) != value:
        raise InterestError(f"{name} has more than two decimals ({value})")
    return value


def interest_calculate(
    *,
    principal: Decimal,
    start: dt.date,
    end: dt.date,
    regime: str,
    table: RateTable | None = None,
    rate: Decimal | None = None,
    compound: bool | None = None,
    payments: tuple[Payment, ...] | list[Payment] = (),
    costs: Decimal = Decimal("0.00"),
) -> InterestResult:
    """Interest on `principal` over the days from `start` to `end` under `regime`.

    Statutory regimes take their rates from `table`; `contractual` takes a fixed `rate` (percent
    per year) and compounds yearly only when `compound` is true. `payments` (on or after `start`,
    on or before `end`) are imputed on `costs`, interest, then principal.
    """
    if regime not in REGIMES:
        raise InterestError(f"unknown regime {regime!r}: use one of {', '.join(sorted(REGIMES))}")
    compounds, article = REGIMES[regime]
    if regime == CONTRACTUAL:
        if rate is None:
            raise InterestError("a contractual regime needs its rate (percent per year)")
        if not isinstance(rate, Decimal) or not Decimal(0) <= rate <= Decimal(100):
            raise InterestError(f"a contractual rate of {rate!r}% per year is not plausible")
        compounds = bool(compound)
    else:
        if rate is not None:
            raise InterestError(f"the {regime} rate is set by law; --rate is for contractual")
        if compound is not None and compound != compounds:
            raise InterestError(
                f"{regime} interest {'compounds' if compounds else 'is simple'} by law"
            )
        if table is None:
            raise InterestError("a statutory regime needs its rate table")
    principal = _money(principal, "the principal")
    costs = _money(costs, "the costs")
    if end < start:
        raise InterestError(f"the period ends ({end}) before it starts ({start})")
    payments = sorted(payments, key=lambda payment: payment.payment_date)
    for payment in payments:
        _money(payment.amount, f"the payment of {payment.payment_date}")
        if not start <= payment.payment_date <= end:
            raise InterestError(
                f"the payment of {payment.payment_date} lies outside the period "
                f"from {start} to {end}"
            )

    # The days where a new piece starts.
    cuts = {end}
    if regime != CONTRACTUAL:
        cuts.update(table.changes_between(regime, start, end))
    cuts.update(payment.payment_date for payment in payments if start < payment.payment_date < end)
    anniversaries = set()
    if compounds:
        years = 1
        while (day := anniversary(start, years)) < end:
            anniversaries.add(day)
            years += 1
        cuts.update(anniversaries)

    state = _State(principal=principal, costs=costs)
    periods: list[InterestPeriod] = []
    imputations: list[Imputation] = []
    pending = list(payments)
    day = start
    for cut in sorted(cuts):
        while pending and pending[0].payment_date == day:
            imputations.append(state.impute(pending.pop(0)))
        if cut <= day:
            continue
        if regime == CONTRACTUAL:
            period_rate, source = rate, "the contract"
        else:
            row = table.rate_on(regime, day)
            period_rate, source = row.rate, row.source
        days = (cut - day).days
        base = state.base
        numerator = base * period_rate * days
        state.accrue(numerator)
        capitalised = state.capitalise() if cut in anniversaries else None
        periods.append(
            InterestPeriod(
                start=day,
                end=cut,
                days=days,
                rate=period_rate,
                principal=base,
                interest=_divide(numerator),
                source=source,
                capitalised=capitalised,
            )
        )
        day = cut
    for payment in pending:  # payments on the last day, after the last piece
        imputations.append(state.impute(payment))

    total = quantize(_divide(state.total_numerator))
    return InterestResult(
        regime=regime,
        article=article,
        compound=compounds,
        start=start,
        end=end,
        interest=total,
        interest_exact=Fraction(state.total_numerator) / Fraction(DENOMINATOR),
        periods=tuple(periods),
        imputations=tuple(imputations),
        principal_outstanding=state.principal,
        interest_outstanding=total - state.interest_paid,
        costs_outstanding=state.costs,
    )


class _State:
    """What is owed while the calculation walks through time."""

    def __init__(self, *, principal: Decimal, costs: Decimal):
        self.principal = principal  # cents
        self.capitalised = Decimal("0.00")  # interest added to the principal, cents
        self.accrued = Decimal(0)  # numerator of the interest not yet added or paid
        self.costs = costs
        self.total_numerator = Decimal(0)
        self.interest_paid = Decimal("0.00")

    @property
    def base(self) -> Decimal:
        return self.principal + self.capitalised

    def accrue(self, numerator: Decimal) -> None:
        self.accrued += numerator
        self.total_numerator += numerator

    def accrued_in_cents(self) -> Decimal:
        return max(quantize(_divide(self.accrued)), Decimal("0.00"))

    def capitalise(self) -> Decimal:
        added = self.accrued_in_cents()
        self.capitalised += added
        self.accrued -= added * DENOMINATOR
        return added

    def impute(self, payment: Payment) -> Imputation:
        left = payment.amount
        on_costs = min(left, self.costs)
        self.costs -= on_costs
        left -= on_costs
        # Interest: what accrued (in cents) and then what was added to the principal.
        on_accrued = min(left, self.accrued_in_cents())
        self.accrued -= on_accrued * DENOMINATOR
        left -= on_accrued
        on_capitalised = min(left, self.capitalised)
        self.capitalised -= on_capitalised
        left -= on_capitalised
        on_principal = min(left, self.principal)
        self.principal -= on_principal
        left -= on_principal
        self.interest_paid += on_accrued + on_capitalised
        return Imputation(
            payment_date=payment.payment_date,
            amount=payment.amount,
            costs=on_costs,
            interest=on_accrued + on_capitalised,
            principal=on_principal,
            unapplied=left,
        )
