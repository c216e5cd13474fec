"""Bulk loads (common/bulk.py): every row lands, and a large load into PostgreSQL keeps its
foreign keys whole although it checks them once per distinct value instead of per row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction

from debitum.common.bulk import POSTGRES_LARGE_LOAD_ROWS, _postgres_binary_types, bulk_insert
from debitum.customers.tests.factories import customer_factory
from debitum.imports.invoice_import import INVOICE_COLUMNS
from debitum.ledger.models import Invoice

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's foreign-key triggers"
)


def _rows(administration, customer_ids: list[int], count: int):
    """`count` invoice rows, spread over the customers, in the columns of the import."""
    now = dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC)
    for n in range(count):
        yield (
            administration.pk,
            customer_ids[n % len(customer_ids)],
            f"F-{n:06d}",
            "invoice",
            dt.date(2026, 6, 1),
            dt.date(2026, 7, 1),
            "EUR",
            10_000 + n,
            0,
            "",
            "",
            f"F{n}",
            "",
            None,
            now,
        )


def _setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('session_replication_role')")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_large_load_inserts_every_row_with_its_customer(administration):
    customers = [customer_factory(administration, number=f"C{n}") for n in range(3)]
    ids = [customer.pk for customer in customers]
    count = bulk_insert(
        "ledger_invoice",
        INVOICE_COLUMNS,
        list(_rows(administration, ids, POSTGRES_LARGE_LOAD_ROWS)),
    )
    assert count == POSTGRES_LARGE_LOAD_ROWS
    invoices = Invoice.objects.filter(administration=administration)
    assert invoices.count() == POSTGRES_LARGE_LOAD_ROWS
    assert invoices.filter(customer=customers[1]).count() == POSTGRES_LARGE_LOAD_ROWS // 3
    assert invoices.get(number="F-000004").amount == Decimal("100.04")
    if connection.vendor == "postgresql":
        assert _setting() == "origin"  # the triggers are back for what follows


@postgres_only
@pytest.mark.django_db
def test_a_large_load_naming_a_customer_that_does_not_exist_fails_and_names_it(
    administration, customer
):
    missing = customer.pk + 1000
    rows = list(_rows(administration, [customer.pk], POSTGRES_LARGE_LOAD_ROWS))
    rows[500] = (administration.pk, missing, *rows[500][2:])
    with pytest.raises(IntegrityError) as raised:
        with transaction.atomic():
            bulk_insert("ledger_invoice", INVOICE_COLUMNS, rows)
    assert str(raised.value) == (
        f'insert into "ledger_invoice" violates its foreign key on customer_id: key '
        f'(customer_id)=({missing}) is not present in table "customers_customer"'
    )
    assert not Invoice.objects.filter(administration=administration).exists()
    assert _setting() == "origin"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_customers_a_large_load_refers_to_cannot_be_deleted_before_it_commits(
    administration,
):
    used, unused = (
        customer_factory(administration, number="C1"),
        customer_factory(administration, number="C2"),
    )
    settings = connection.settings_dict
    other = psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    )
    try:
        with transaction.atomic():
            bulk_insert(
                "ledger_invoice",
                INVOICE_COLUMNS,
                list(_rows(administration, [used.pk], POSTGRES_LARGE_LOAD_ROWS)),
            )
            # What deleting the customer would need: FOR UPDATE conflicts with FOR KEY SHARE.
            with pytest.raises(psycopg.errors.LockNotAvailable):
                other.execute(
                    "SELECT 1 FROM customers_customer WHERE id = %s FOR UPDATE NOWAIT", [used.pk]
                )
            assert other.execute(
                "SELECT 1 FROM customers_customer WHERE id = %s FOR UPDATE NOWAIT", [unused.pk]
            ).fetchone() == (1,)
    finally:
        other.close()
    assert Invoice.objects.filter(customer=used).count() == POSTGRES_LARGE_LOAD_ROWS


@postgres_only
@pytest.mark.django_db
def test_a_role_that_may_not_switch_the_triggers_off_gets_the_checks_per_row(
    administration, customer
):
    with connection.cursor() as cursor:
        cursor.execute(
            "DO $$ BEGIN CREATE ROLE debitum_test_loader NOLOGIN NOSUPERUSER;"
            " EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        cursor.execute("GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO debitum_test_loader")
        cursor.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO debitum_test_loader")
        cursor.execute("SET LOCAL ROLE debitum_test_loader")
        size = POSTGRES_LARGE_LOAD_ROWS
        rows = list(_rows(administration, [customer.pk], 2 * size))
        count = bulk_insert("ledger_invoice", INVOICE_COLUMNS, rows[:size])
        assert count == size
        assert _setting() == "origin"  # the switch was refused, in a savepoint of its own
        # The per-row trigger still guards the key: checked at once instead of at commit.
        bad = rows[size:]
        bad[7] = (administration.pk, customer.pk + 1000, *bad[7][2:])
        with pytest.raises(IntegrityError, match="violates foreign key constraint .*customer_id"):
            with transaction.atomic():
                bulk_insert("ledger_invoice", INVOICE_COLUMNS, bad)
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("RESET ROLE")
    assert Invoice.objects.filter(administration=administration).count() == count


@postgres_only
@pytest.mark.django_db
def test_a_large_load_goes_in_binary_when_its_values_are_of_the_column_types_else_as_text(
    administration, customer
):
    typed = list(_rows(administration, [customer.pk], 2 * POSTGRES_LARGE_LOAD_ROWS))
    # The same rows with the dates as text, as SQLite takes them: PostgreSQL reads the text.
    as_text = [(*row[:4], row[4].isoformat(), row[5].isoformat(), *row[6:]) for row in typed]
    with connection.cursor() as cursor:
        assert _postgres_binary_types(cursor, "ledger_invoice", INVOICE_COLUMNS, typed[0])
        assert _postgres_binary_types(cursor, "ledger_invoice", INVOICE_COLUMNS, as_text[0]) is None
    size = POSTGRES_LARGE_LOAD_ROWS
    assert (
        bulk_insert("ledger_invoice", INVOICE_COLUMNS, iter(typed[:size]), row_count=size) == size
    )
    assert bulk_insert("ledger_invoice", INVOICE_COLUMNS, as_text[size:]) == size
    assert (
        list(
            Invoice.objects.filter(number__in=["F-000001", f"F-{size + 1:06d}"])
            .order_by("number")
            .values_list("invoice_date", "due_date", "created_at", "import_batch_id")
        )
        == [
            (
                dt.date(2026, 6, 1),
                dt.date(2026, 7, 1),
                dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC),
                None,
            )
        ]
        * 2
    )


@postgres_only
@pytest.mark.django_db
def test_a_table_with_a_trigger_of_its_own_keeps_every_trigger_for_a_large_load(
    administration, customer
):
    # Someone's trigger (an audit, a replication tool) must fire: the load then leaves the
    # triggers on, foreign keys included, rather than switch them all off.
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_mark() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN NEW.description := 'seen by the trigger'; RETURN NEW; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER test_mark BEFORE INSERT ON ledger_invoice"
            " FOR EACH ROW EXECUTE FUNCTION test_mark()"
        )
    rows = list(_rows(administration, [customer.pk], POSTGRES_LARGE_LOAD_ROWS))
    assert bulk_insert("ledger_invoice", INVOICE_COLUMNS, rows) == POSTGRES_LARGE_LOAD_ROWS
    assert set(Invoice.objects.values_list("description", flat=True)) == {"seen by the trigger"}
