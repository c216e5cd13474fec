"""Two reads side by side on two connections, on one snapshot (common/side_by_side.py).

The in-process tests run on the test database of either vendor, with committed rows
(`transaction=True`: another connection cannot see a test's open transaction). SQLite's test
database lives in shared memory, where one connection's reads lock tables against another's
writes, so the snapshot tests of SQLite's WAL mode, as Debitum runs it, use a database file in
a process of their own.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
import threading

import pytest
from django.db import connection, transaction

from debitum.common.side_by_side import read_side_by_side

AS_OF = dt.date(2026, 6, 30)


def _thread_and_connection() -> tuple[str, int]:
    return threading.current_thread().name, id(connection.connection)


@pytest.mark.django_db(transaction=True)
def test_the_second_read_runs_at_the_same_time_on_another_connection():
    # Each read waits for the other: one after the other, this would never return.
    both_running = threading.Barrier(2, timeout=10)

    def read():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        both_running.wait()
        return _thread_and_connection()

    (first_thread, first_connection), (second_thread, second_connection) = read_side_by_side(
        read, read
    )

    assert first_thread == threading.current_thread().name
    assert second_thread == "debitum-read-beside"
    assert first_connection != second_connection


@pytest.mark.django_db
def test_inside_the_callers_transaction_both_reads_run_here():
    with transaction.atomic():
        first, second = read_side_by_side(_thread_and_connection, _thread_and_connection)
    assert first == second == _thread_and_connection()


@pytest.mark.django_db(transaction=True)
def test_switched_off_both_reads_run_here(settings):
    settings.DEBITUM_PARALLEL_READS = False
    first, second = read_side_by_side(_thread_and_connection, _thread_and_connection)
    assert first == second == _thread_and_connection()


@pytest.mark.django_db(transaction=True)
def test_an_error_of_the_second_read_reaches_the_caller_and_leaves_no_transaction_open():
    def failing():
        raise LookupError("no such thing")

    with pytest.raises(LookupError, match="no such thing"):
        read_side_by_side(lambda: 1, failing)
    # The caller's connection is back in autocommit with no transaction left open.
    assert connection.get_autocommit()
    assert not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


@pytest.mark.django_db(transaction=True)
def test_the_aging_report_is_the_same_side_by_side_and_one_by_one(settings):
    from debitum.administrations.tests.factories import administration_factory
    from debitum.customers.tests.factories import customer_factory
    from debitum.ledger.tests.factories import allocation_factory, invoice_factory, payment_factory
    from debitum.reports.exports import aging_as_dict
    from debitum.reports.selectors import aging_report

    # Given: open items in several buckets, a partial payment and money on account.
    administration = administration_factory("ACME")
    big = customer_factory(administration, "C1", name="Bouwbedrijf Groot")
    small = customer_factory(administration, "C2", name="Café Klein")
    on_account = customer_factory(administration, "C3", name="Vooruitbetaler")
    jan = dt.date(2026, 1, 2)
    invoice_factory(big, "B1", "100.00", invoice_date=jan, due_date=AS_OF - dt.timedelta(days=45))
    part = invoice_factory(
        small, "S1", "200.00", invoice_date=jan, due_date=AS_OF - dt.timedelta(days=5)
    )
    allocation_factory(part, "150.00", allocation_date=AS_OF)
    payment_factory(on_account, "75.00", payment_date=AS_OF)

    # When: the report is read both ways.
    settings.DEBITUM_PARALLEL_READS = True
    side_by_side = aging_as_dict(aging_report(administration=administration, as_of=AS_OF))
    settings.DEBITUM_PARALLEL_READS = False
    one_by_one = aging_as_dict(aging_report(administration=administration, as_of=AS_OF))

    # Then: the same report, with the unapplied payment beside the buckets.
    assert side_by_side == one_by_one
    assert side_by_side["currencies"]["EUR"]["total"] == "150.00"
    assert [row["customer_number"] for row in side_by_side["customers"]] == ["C1", "C2", "C3"]


@pytest.mark.django_db(transaction=True)
def test_postgresql_both_reads_see_the_snapshot_taken_before_a_commit():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's WAL snapshot is tested on a database file, below")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE side_by_side_probe (n integer)")
        cursor.execute("INSERT INTO side_by_side_probe VALUES (1)")
    try:
        counts = _counts_around_a_commit(_postgres_writer())
        # Then: both reads counted the one row there was when they began.
        assert counts == (1, 1)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE side_by_side_probe")


def _postgres_writer():
    def write():
        # A thread of its own: a connection of its own, in autocommit.
        try:
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO side_by_side_probe VALUES (2)")
        finally:
            connection.close()

    return write


def _counts_around_a_commit(write):
    """first() lets another connection commit a row, then both reads count the rows."""
    written = threading.Event()

    def count():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM side_by_side_probe")
            return cursor.fetchone()[0]

    def first():
        writer = threading.Thread(target=write)
        writer.start()
        writer.join()
        written.set()
        return count()

    def second():
        written.wait(timeout=10)
        return count()

    return read_side_by_side(first, second)


SQLITE_SCENARIO = textwrap.dedent(
    """
    import json, sqlite3, sys, threading
    import django
    django.setup()
    from django.db import connection
    from debitum.common.side_by_side import read_side_by_side

    path = sys.argv[1]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
        cursor.execute("CREATE TABLE probe (n integer)")
        cursor.execute("INSERT INTO probe VALUES (1)")

    def count():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM probe")
            return cursor.fetchone()[0], threading.current_thread().name

    def write(value):
        other = sqlite3.connect(path, isolation_level=None, timeout=10)
        other.execute(f"INSERT INTO probe VALUES ({value})")
        other.close()

    written = threading.Event()

    def first():
        write(2)  # another connection commits after both snapshots were taken
        written.set()
        return count()

    def second():
        written.wait(timeout=10)
        return count()

    snapshot = read_side_by_side(first, second)

    # A writer holds the lock: the reads run here, one after the other, in one snapshot.
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO probe VALUES (3)")
    locked = read_side_by_side(count, count)
    holder.execute("COMMIT")
    after = count()
    print(json.dumps({"journal": journal, "snapshot": snapshot, "locked": locked, "after": after}))
    """
)


def test_sqlite_wal_both_reads_see_the_snapshot_taken_before_a_commit(tmp_path):
    database = tmp_path / "side_by_side.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "debitum.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBITUM_HOME": str(tmp_path),
        "DEBITUM_PARALLEL_READS": "1",
    }
    env.pop("DEBITUM_DEBUG", None)
    finished = subprocess.run(
        [sys.executable, "-c", SQLITE_SCENARIO, str(database)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 0, finished.stderr
    result = json.loads(finished.stdout)

    assert result["journal"] == "wal"
    # Both reads counted the one row there was when they began, each on its own thread.
    assert result["snapshot"] == [[1, "MainThread"], [1, "debitum-read-beside"]]
    # With a writer holding the lock, both ran here and saw what was committed before it.
    assert result["locked"] == [[2, "MainThread"], [2, "MainThread"]]
    assert result["after"] == [3, "MainThread"]
