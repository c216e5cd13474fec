"""The transaction of a large load (common/load_transaction.py): on SQLite its foreign keys are
checked once, before the commit, instead of per row, and every write in it is held to them: a
bulk load, an ORM insert, an update, a delete of a referenced row. Transactional tests: the
settings it changes can only change outside a transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from debitum.common import load_transaction as load_module
from debitum.common.bulk import SQLITE_BULK_CACHE_KIB, bulk_insert
from debitum.common.load_transaction import load_transaction
from debitum.customers.models import Customer
from debitum.imports.invoice_import import INVOICE_COLUMNS, invoice_import
from debitum.imports.readers import read_table
from debitum.ledger.models import Invoice

from .test_bulk import _rows

pytestmark = pytest.mark.django_db(transaction=True)
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's per-row foreign-key checks"
)


@pytest.fixture(autouse=True)
def small_loads_count_as_large(monkeypatch):
    monkeypatch.setattr(load_module, "LARGE_LOAD_ROWS", 1)


def _pragma(name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


def test_a_good_load_commits_every_row(administration, customer):
    with load_transaction(rows=3):
        bulk_insert(
            "ledger_invoice", INVOICE_COLUMNS, list(_rows(administration, [customer.pk], 3))
        )
    assert Invoice.objects.filter(administration=administration).count() == 3


@sqlite_only
def test_sqlite_checks_per_load_inside_and_puts_its_settings_back(administration, customer):
    cache_before = _pragma("cache_size")
    with load_transaction(rows=3):
        assert _pragma("foreign_keys") == 0
        assert _pragma("cache_size") == -SQLITE_BULK_CACHE_KIB
        bulk_insert(
            "ledger_invoice", INVOICE_COLUMNS, list(_rows(administration, [customer.pk], 3))
        )
    assert _pragma("foreign_keys") == 1
    assert _pragma("cache_size") == cache_before


@sqlite_only
def test_inside_another_transaction_it_is_a_plain_atomic(administration):
    with transaction.atomic(), load_transaction(rows=1_000_000):
        assert _pragma("foreign_keys") == 1


def test_a_bulk_row_with_no_such_customer_fails_the_load_and_writes_nothing(
    administration, customer
):
    rows = list(_rows(administration, [customer.pk, 987_654], 4))
    with pytest.raises(IntegrityError) as failure, load_transaction(rows=4):
        bulk_insert("ledger_invoice", INVOICE_COLUMNS, rows)
    if connection.vendor == "sqlite":
        assert "customer_id" in str(failure.value) and "987654" in str(failure.value)
    assert not Invoice.objects.filter(administration=administration).exists()


def test_an_orm_insert_with_no_such_customer_fails_the_load(administration, customer):
    with pytest.raises(IntegrityError) as failure, load_transaction(rows=1):
        Invoice.objects.create(
            administration=administration,
            customer_id=987_655,
            number="F-1",
            invoice_date=dt.date(2026, 6, 1),
            due_date=dt.date(2026, 7, 1),
            currency="EUR",
            amount=100,
        )
    if connection.vendor == "sqlite":
        assert "customer_id" in str(failure.value) and "987655" in str(failure.value)
    assert not Invoice.objects.filter(administration=administration).exists()


def test_an_update_to_no_such_customer_fails_the_load(administration, customer):
    bulk_insert("ledger_invoice", INVOICE_COLUMNS, list(_rows(administration, [customer.pk], 2)))
    with pytest.raises(IntegrityError), load_transaction(rows=1):
        Invoice.objects.filter(administration=administration).update(customer_id=987_656)
    assert set(
        Invoice.objects.filter(administration=administration).values_list("customer_id", flat=True)
    ) == {customer.pk}


def test_an_upsert_to_no_such_customer_fails_the_load(administration, customer):
    bulk_insert("ledger_invoice", INVOICE_COLUMNS, list(_rows(administration, [customer.pk], 1)))
    stored = Invoice.objects.get(administration=administration)
    stored.pk, stored.customer_id = None, 987_657
    with pytest.raises(IntegrityError), load_transaction(rows=1):
        Invoice.objects.bulk_create(
            [stored],
            update_conflicts=True,
            unique_fields=["administration", "number"],
            update_fields=["customer"],
        )
    assert Invoice.objects.get(administration=administration).customer_id == customer.pk


def test_deleting_a_customer_that_has_invoices_fails_the_load(administration, customer):
    bulk_insert("ledger_invoice", INVOICE_COLUMNS, list(_rows(administration, [customer.pk], 2)))
    with pytest.raises(IntegrityError), load_transaction(rows=1):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM customers_customer WHERE id = %s", [customer.pk])
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_an_invoice_import_in_a_load_transaction(administration, customer, tmp_path):
    path = tmp_path / "invoices.csv"
    path.write_text(
        "customer_number,invoice_number,invoice_date,due_date,amount,customer_name\n"
        "C1,F-1,2026-06-01,2026-07-01,100.00,\n"
        "C2,F-2,2026-06-01,2026-07-01,-20.00,Nieuw B.V.\n",
        encoding="utf-8",
    )
    result = invoice_import(administration=administration, table=read_table(path))
    assert result.created["invoices"] == 1 and result.created["credit notes"] == 1
    assert result.created["customers"] == 1
    assert dict(
        Invoice.objects.filter(administration=administration).values_list(
            "number", "customer__number"
        )
    ) == {"F-1": "C1", "F-2": "C2"}
    if connection.vendor == "sqlite":
        assert _pragma("foreign_keys") == 1
