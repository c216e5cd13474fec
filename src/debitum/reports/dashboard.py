"""The state of the receivables at a glance: what a finance manager reads every morning.

Set-based: the totals and the aging come from the aging report (one query); the trend of the
overdue amount over twelve month-ends from three scans (invoices, allocations, write-offs), each
summing all twelve months at once with conditional sums; the rest are small counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from debitum.domain.money import from_minor_units

from .selectors import AgingReport, aging_report

ZERO = Decimal("0.00")
DSO_DAYS = 90  # DSO over the sales of the last 90 days


@dataclass
class CurrencyFigures:
    currency: str
    outstanding: Decimal
    overdue: Decimal
    sales: Decimal  # invoiced in the last DSO_DAYS days
    dso: Decimal | None  # days sales outstanding

    @property
    def overdue_share(self) -> Decimal | None:
        return (
            (self.overdue * 100 / self.outstanding).quantize(Decimal("1"))
            if self.outstanding
            else None
        )


@dataclass
class Dashboard:
    as_of: dt.date
    report: AgingReport
    figures: list[CurrencyFigures]
    trend: dict[str, list[tuple[dt.date, Decimal]]]  # currency -> (month-end, overdue)
    largest: list  # AgingRow, largest totals first
    oldest: list  # AgingRow, most 90+ first
    broken_promises: list = field(default_factory=list)
    disputes_open: int = 0
    disputed_amount: dict[str, Decimal] = field(default_factory=dict)
    tasks_due: dict[str, int] = field(default_factory=dict)

    @property
    def tasks_total(self) -> int:
        return sum(self.tasks_due.values())


def month_ends(as_of: dt.date, count: int = 12) -> list[dt.date]:
    """The last `count` month-ends on or before `as_of`, oldest first; the last is `as_of`."""
    ends, day = [as_of], as_of.replace(day=1) - dt.timedelta(days=1)
    while len(ends) < count:
        ends.append(day)
        day = day.replace(day=1) - dt.timedelta(days=1)
    return sorted(ends)


def overdue_trend(
    *, administration, days: list[dt.date]
) -> dict[str, list[tuple[dt.date, Decimal]]]:
    """The overdue amount (open and past its due date) of the administration's invoices at
    each day, per currency, from three scans."""
    params: dict = {"administration": administration.pk}
    invoice_sums, settled_sums = [], []
    for n, day in enumerate(days):
        params[f"d{n}"] = day
        invoice_sums.append(
            f"SUM(CASE WHEN i.invoice_date <= %(d{n})s AND i.due_date < %(d{n})s "
            f"THEN i.amount_cents ELSE 0 END)"
        )
        settled_sums.append(
            f"SUM(CASE WHEN i.invoice_date <= %(d{n})s AND i.due_date < %(d{n})s "
            f"AND s.day <= %(d{n})s THEN s.cents ELSE 0 END)"
        )
    totals: dict[str, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT i.currency, {", ".join(invoice_sums)} FROM ledger_invoice i
                 WHERE i.administration_id = %(administration)s AND i.kind = 'invoice'
                 GROUP BY i.currency""",
            params,
        )
        for currency, *sums in cursor.fetchall():
            totals[currency] = [int(value or 0) for value in sums]
        cursor.execute(
            f"""SELECT i.currency, {", ".join(settled_sums)}
                  FROM (SELECT invoice_id, allocation_date AS day, amount_cents AS cents
                          FROM ledger_allocation WHERE administration_id = %(administration)s
                        UNION ALL
                        SELECT invoice_id, write_off_date, amount_cents
                          FROM ledger_writeoff WHERE administration_id = %(administration)s) s
                  JOIN ledger_invoice i ON i.id = s.invoice_id
                 WHERE i.administration_id = %(administration)s AND i.kind = 'invoice'
                 GROUP BY i.currency""",
            params,
        )
        for currency, *sums in cursor.fetchall():
            row = totals.setdefault(currency, [0] * len(days))
            for n, value in enumerate(sums):
                row[n] -= int(value or 0)
    return {
        currency: [(day, from_minor_units(cents)) for day, cents in zip(days, row, strict=True)]
        for currency, row in sorted(totals.items())
    }


def _sales(*, administration, as_of: dt.date) -> dict[str, Decimal]:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT currency, SUM(amount_cents) FROM ledger_invoice
                WHERE administration_id = %(administration)s AND kind = 'invoice'
                  AND invoice_date > %(start)s AND invoice_date <= %(as_of)s
                GROUP BY currency""",
            {
                "administration": administration.pk,
                "start": as_of - dt.timedelta(days=DSO_DAYS),
                "as_of": as_of,
            },
        )
        return {currency: from_minor_units(int(cents)) for currency, cents in cursor.fetchall()}


def dashboard(*, administration, as_of: dt.date, top: int = 10) -> Dashboard:
    """Outstanding and overdue, DSO, the aging, the overdue trend, the inverted L (largest and
    oldest balances), broken promises, open disputes and the tasks due."""
    from debitum.disputes.models import Dispute
    from debitum.promises.models import Promise
    from debitum.tasks.models import Task

    report = aging_report(administration=administration, as_of=as_of)
    sales = _sales(administration=administration, as_of=as_of)
    figures = []
    for currency, totals in report.currencies.items():
        outstanding = totals["total"]
        overdue = outstanding - totals["current"]
        sold = sales.get(currency, ZERO)
        dso = (outstanding * DSO_DAYS / sold).quantize(Decimal("1")) if sold > 0 else None
        figures.append(CurrencyFigures(currency, outstanding, overdue, sold, dso))
    positive = [row for row in report.customers if row.total > 0]
    oldest = sorted(
        (row for row in positive if row.buckets["90+"] > 0 or row.buckets["61-90"] > 0),
        key=lambda row: (-row.buckets["90+"], -row.buckets["61-90"], row.customer_number),
    )
    disputes = Dispute.objects.filter(administration=administration, status="open")
    disputed: dict[str, Decimal] = {}
    for currency, amount, invoice_amount in disputes.values_list(
        "invoice__currency", "amount", "invoice__amount"
    ):
        disputed[currency] = disputed.get(currency, ZERO) + (amount or invoice_amount)
    tasks: dict[str, int] = {}
    for kind in Task.objects.filter(
        administration=administration, status="open", due_date__lte=as_of
    ).values_list("kind", flat=True):
        tasks[kind] = tasks.get(kind, 0) + 1
    return Dashboard(
        as_of=as_of,
        report=report,
        figures=figures,
        trend=overdue_trend(administration=administration, days=month_ends(as_of)),
        largest=positive[:top],
        oldest=oldest[:top],
        broken_promises=list(
            Promise.objects.filter(
                administration=administration,
                status="broken",
                closed_date__gt=as_of - dt.timedelta(days=30),
                closed_date__lte=as_of,
            )
            .select_related("customer")
            .order_by("-closed_date")[:top]
        ),
        disputes_open=disputes.count(),
        disputed_amount=disputed,
        tasks_due=tasks,
    )
