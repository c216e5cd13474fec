"""Imports: customers, invoices and payments from CSV or XLSX files."""

from .customer_import import customer_import
from .errors import ImportFailed, RowError
from .invoice_import import invoice_import
from .payment_import import payment_import
from .pipeline import ImportResult
from .readers import Table, read_table, table_from_rows

IMPORTERS = {"customers": customer_import, "invoices": invoice_import, "payments": payment_import}

__all__ = [
    "IMPORTERS",
    "ImportFailed",
    "ImportResult",
    "RowError",
    "Table",
    "customer_import",
    "invoice_import",
    "payment_import",
    "read_table",
    "table_from_rows",
]
