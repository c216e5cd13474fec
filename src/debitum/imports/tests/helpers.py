"""Writing small import files for the tests."""

import datetime as dt

from openpyxl import Workbook

from debitum.customers.models import Customer
from debitum.imports.models import ImportBatch
from debitum.ledger.models import Allocation, Invoice, Payment


def write_csv(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(tmp_path, name: str, rows: list[list]):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def ledger_counts() -> dict[str, int]:
    """Everything an import may write, to assert that a failed import wrote nothing."""
    return {
        model.__name__: model.objects.count()
        for model in (Customer, Invoice, Payment, Allocation, ImportBatch)
    }


D = dt.date
