"""Writing small import files for the tests."""

import datetime as dt

import pytest
from openpyxl import Workbook

from debitum.customers.models import Customer
from debitum.imports import invoice_stream
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


@pytest.fixture(params=["in one go", "streamed"])
def both_invoice_paths(request, monkeypatch):
    """Run a test of the invoice import twice: as a small file is imported (checked, then
    written), and as a large one is into PostgreSQL (checked in a thread while written, a part
    at a time: here parts of two rows, so that every rule meets a part's edge; on SQLite too,
    for the rules)."""
    if request.param == "streamed":
        monkeypatch.setattr(invoice_stream, "STREAM_VENDORS", {"postgresql", "sqlite"})
        monkeypatch.setattr(invoice_stream, "STREAM_MIN_ROWS", 0)
        monkeypatch.setattr(invoice_stream, "PART_ROWS", 2)
    return request.param
