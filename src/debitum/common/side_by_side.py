"""Two heavy reads at once, on two connections that see the same committed data.

The aging report needs two statements over a whole administration: the open items in buckets
and the unapplied payments. One after the other they take the time of both on one core; side
by side each has a core of its own (the database works while Python waits on it, without the
GIL). Both must read one state of the database, or a payment committed between them would be
counted in one and missed by the other:

- PostgreSQL: the caller's connection opens a REPEATABLE READ, READ ONLY transaction and
  exports its snapshot (`pg_export_snapshot`); the second connection imports it
  (`SET TRANSACTION SNAPSHOT`) before either reads.
- SQLite (WAL): a read transaction takes its snapshot at its first read. A third connection
  holds the write lock (`BEGIN IMMEDIATE`) while both take theirs, so that nobody commits in
  between, and lets go at once: a writer waits for milliseconds. When a writer holds the lock
  already (a long import), both reads run on the caller's connection in one read transaction,
  one after the other.

Inside a transaction of the caller, the other connection could not see its uncommitted rows:
both reads then run in it, one after the other. So does everything when the setting
`DEBITUM_PARALLEL_READS` is off. The reads must not open transactions of their own.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

First = TypeVar("First")
Second = TypeVar("Second")

# How long the SQLite gate waits for a writer to finish before the reads go one after the
# other instead: waiting longer would hold up the report for an import.
SQLITE_GATE_TIMEOUT_S = 0.2
# The two reads take a core each. PostgreSQL's parallel workers for either would only compete
# with the other read: at a million invoices on 2 cores, the unapplied payments with two
# workers beside the buckets made both 40% slower, and the pair took 2.3-2.5 s; with none,
# 1.9-2.0 s.
SERIAL_PLANS = "SET LOCAL max_parallel_workers_per_gather = 0"
_SNAPSHOT_ID = re.compile(r"[0-9A-F]+-[0-9A-F]+(-[0-9A-F]+)?")


def read_side_by_side(
    first: Callable[[], First], second: Callable[[], Second]
) -> tuple[First, Second]:
    """Run `first` on this thread's connection and `second` on another, at the same time and
    on the same snapshot; returns both results. See the module's docstring."""
    connection = connections[DEFAULT_DB_ALIAS]
    if not settings.DEBITUM_PARALLEL_READS or connection.in_atomic_block:
        return first(), second()
    if connection.vendor == "postgresql":
        return _postgresql(connection, first, second)
    if connection.vendor == "sqlite":
        return _sqlite(connection, first, second)
    return first(), second()


class _Beside(threading.Thread):
    """Runs `read` on a connection of its own, after `begin(cursor)` has opened its
    transaction; `ready` is set once that transaction holds its snapshot (or failed)."""

    def __init__(self, read: Callable, begin: Callable, end: str):
        super().__init__(name="debitum-read-beside", daemon=True)
        self.read, self.begin, self.end = read, begin, end
        self.ready = threading.Event()
        self.result = None
        self.error: BaseException | None = None

    def run(self) -> None:
        connection = connections[DEFAULT_DB_ALIAS]  # a new thread: a new connection
        try:
            with connection.cursor() as cursor:
                self.begin(cursor)
            self.ready.set()
            try:
                self.result = self.read()
            finally:
                with connection.cursor() as cursor:
                    cursor.execute(self.end)
        except BaseException as error:  # handed to the caller's thread
            self.error = error
        finally:
            self.ready.set()
            connection.close()

    def outcome(self):
        self.join()
        if self.error is not None:
            raise self.error
        return self.result


def _alongside(first: Callable, second: Callable, begin: Callable, end: str, on_ready=None):
    """`first` here while `second` runs on its own connection, once that one holds its
    snapshot (and `on_ready()` has run); returns both results."""
    beside = _Beside(second, begin, end)
    beside.start()
    beside.ready.wait()
    try:
        if on_ready is not None:
            on_ready()
        result = first()
    finally:
        second_result = beside.outcome()
    return result, second_result


def _postgresql(connection, first: Callable, second: Callable) -> tuple:
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute(SERIAL_PLANS)
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
        if not _SNAPSHOT_ID.fullmatch(snapshot):  # it is written into the statement below
            raise ValueError(f"unexpected snapshot id {snapshot!r}")

        def begin(cursor):
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            cursor.execute(SERIAL_PLANS)

        # The snapshot can be imported only while this transaction is open.
        return _alongside(first, second, begin, end="ROLLBACK")


def _take_snapshot(cursor) -> None:
    cursor.execute("BEGIN DEFERRED")
    cursor.execute("SELECT count(*) FROM sqlite_master")  # the first read takes the snapshot


def _sqlite(connection, first: Callable, second: Callable) -> tuple:
    params = connection.get_connection_params()
    params["timeout"] = SQLITE_GATE_TIMEOUT_S
    gate = sqlite3.connect(**params)
    gate.isolation_level = None
    try:
        try:
            gate.execute("BEGIN IMMEDIATE")
            gated = True
        except sqlite3.OperationalError:
            gated = False  # a writer is at work: both reads here, in one read transaction
        with connection.cursor() as cursor:
            _take_snapshot(cursor)
        try:
            if not gated:
                return first(), second()
            return _alongside(
                first,
                second,
                _take_snapshot,
                end="COMMIT",
                on_ready=lambda: gate.execute("ROLLBACK"),
            )
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
    finally:
        gate.close()
