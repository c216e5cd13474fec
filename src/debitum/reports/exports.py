"""The aging report as JSON, CSV, XLSX and a terminal table. Shared by the CLI and the web."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from debitum.domain.aging import BUCKETS

from .selectors import AgingReport

COLUMNS = (*BUCKETS, "total")
EXTRA_COLUMNS = ("unapplied", "balance")


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def aging_as_dict(report: AgingReport) -> dict:
    """The JSON shape of issue #2; `unapplied` and `balance` are additions."""
    return {
        "as_of": report.as_of.isoformat(),
        "administration": report.administration_code,
        "currencies": {
            currency: {key: _money(totals[key]) for key in (*COLUMNS, *EXTRA_COLUMNS)}
            for currency, totals in report.currencies.items()
        },
        "customers": [
            {
                "customer_number": row.customer_number,
                "name": row.name,
                "currency": row.currency,
                **{bucket: _money(row.buckets[bucket]) for bucket in BUCKETS},
                "total": _money(row.total),
                "unapplied": _money(row.unapplied),
                "balance": _money(row.balance),
            }
            for row in report.customers
        ],
    }


HEADER = ("customer_number", "name", "currency", *COLUMNS, *EXTRA_COLUMNS)


def _row_values(row) -> tuple:
    return (
        row.customer_number,
        row.name,
        row.currency,
        *(row.buckets[bucket] for bucket in BUCKETS),
        row.total,
        row.unapplied,
        row.balance,
    )


def aging_as_csv(report: AgingReport) -> str:
    """One line per customer and currency, then one `TOTAL` line per currency."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for row in report.customers:
        writer.writerow([_money(v) if isinstance(v, Decimal) else v for v in _row_values(row)])
    for currency, totals in report.currencies.items():
        writer.writerow(
            ["TOTAL", "", currency, *(_money(totals[key]) for key in (*COLUMNS, *EXTRA_COLUMNS))]
        )
    return out.getvalue()


def aging_as_xlsx(report: AgingReport) -> bytes:
    """A workbook with the customers sheet and a totals sheet; amounts are numbers with two
    decimals (Excel stores them as doubles, exact enough for display to the cent)."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = "Aging"
    sheet.append(
        [
            f"Aging {report.administration_code} {report.administration_name} as of {report.as_of.isoformat()}"
        ]
    )
    sheet["A1"].font = Font(bold=True)
    sheet.append(list(HEADER))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in report.customers:
        sheet.append(list(_row_values(row)))
    money_format = "#,##0.00"
    for column in sheet.iter_cols(min_col=4, max_col=len(HEADER), min_row=3):
        for cell in column:
            cell.number_format = money_format
    sheet.freeze_panes = "A3"
    sheet.column_dimensions["B"].width = 36

    totals = workbook.create_sheet("Totals")
    totals.append(["currency", *COLUMNS, *EXTRA_COLUMNS])
    for cell in totals[1]:
        cell.font = Font(bold=True)
    for currency, values in report.currencies.items():
        totals.append([currency, *(values[key] for key in (*COLUMNS, *EXTRA_COLUMNS))])
    for column in totals.iter_cols(min_col=2, min_row=2):
        for cell in column:
            cell.number_format = money_format
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def aging_as_table(report: AgingReport, *, limit: int | None = 50):
    """A rich Table: the totals per currency and the largest customers."""
    from rich.table import Table

    table = Table(title=f"Aging {report.administration_code} as of {report.as_of.isoformat()}")
    table.add_column("customer")
    table.add_column("name")
    table.add_column("cur")
    for key in COLUMNS:
        table.add_column(key, justify="right")
    shown = report.customers if limit is None else report.customers[:limit]
    for row in shown:
        table.add_row(
            row.customer_number,
            row.name,
            row.currency,
            *(_money(row.buckets[b]) for b in BUCKETS),
            _money(row.total),
        )
    if limit is not None and len(report.customers) > limit:
        table.add_row(
            "…", f"{len(report.customers) - limit} more customers", "", *[""] * len(COLUMNS)
        )
    for currency, totals in report.currencies.items():
        table.add_row(
            "TOTAL", "", currency, *(_money(totals[key]) for key in COLUMNS), style="bold"
        )
    return table
