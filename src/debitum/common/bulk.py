"""Fast inserts of many rows, for imports and demo data.

The ORM's bulk_create builds a model instance per row, which caps an import at a few thousand
rows a second. Here rows are plain tuples: PostgreSQL takes them through COPY (a large load in
binary, its foreign keys checked once per distinct value), SQLite through one prepared
statement (executemany, a large load with its plain indexes built after). Both run inside the
caller's transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import itertools
import operator
from collections.abc import Callable, Iterable, Sequence, Sized

from django.db import DatabaseError, IntegrityError, connection, transaction

# From this many rows on, a load into SQLite is worth rebuilding the table's indexes for.
LARGE_LOAD_ROWS = 100_000

# SQLite's page cache is 2 MiB by default. A million rows land at random places in the
# table's indexes (by customer, by reference), so with the default cache every insert evicts
# and re-reads index pages: measured, 1M invoices took 22 s to insert with the default cache
# and 14 s with this one. The cache grows only as far as it is used, and shrinks back after.
SQLITE_BULK_CACHE_KIB = 256 * 1024

# From this many rows on, a load into PostgreSQL checks its foreign keys once per distinct
# value instead of by a trigger per row (where the role may; see _postgres_row_triggers_off),
# and goes in binary when its values are of the columns' types (_postgres_binary_types).
POSTGRES_LARGE_LOAD_ROWS = 10_000

# A load reports its progress every this many rows (a multiple of SQLite's chunk of 10,000).
PROGRESS_ROWS = 50_000


@contextlib.contextmanager
def no_cyclic_gc():
    """Pause the cyclic garbage collector during work that makes millions of objects.

    Each time the heap grows by a quarter, Python rescans every live object for cycles; reading
    and checking a million rows then spends about a fifth of its time there. Rows hold no
    cycles, so nothing is lost by waiting until the work is done.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def bulk_insert(
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    row_count: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert `rows` (tuples in the order of `columns`) into `table`; returns the count.

    Values must already be what the column stores (money in cents, dates as date). Give
    `row_count` when it is known: a large load into an SQLite table that holds fewer rows than
    it brings then rebuilds the plain indexes once instead of updating them row by row. On
    PostgreSQL a large load checks its foreign keys once per distinct value rather than per
    row, and a load that grows the table by a tenth refreshes its statistics. `progress` is
    called with the number of rows written so far, every few thousand rows.
    """
    if row_count is None and isinstance(rows, Sized):
        row_count = len(rows)
    if connection.vendor == "postgresql":
        large = row_count is not None and row_count >= POSTGRES_LARGE_LOAD_ROWS
        count = _postgres_copy(table, columns, rows, large=large, progress=progress)
        _postgres_analyze_after_load(table, count)
        return count
    large = row_count is not None and row_count >= LARGE_LOAD_ROWS
    return _sqlite_insert(
        table, columns, rows, row_count=row_count if large else None, progress=progress
    )


def _postgres_copy(
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    large: bool,
    progress: Callable[[int], None] | None,
) -> int:
    count = 0
    with connection.cursor() as cursor:
        keys = _postgres_foreign_keys(cursor, table, columns) if large else {}
        with _postgres_row_triggers_off(cursor, bool(keys)) as off:
            if off:
                # Each row's foreign keys are checked below, once per distinct value.
                key_of = operator.itemgetter(*(columns.index(column) for column in keys))
                seen: set = set()
                rows = _noting(rows, key_of, seen)
            rows = iter(rows)
            first = next(rows, None)
            types = _postgres_binary_types(cursor, table, columns, first) if large else None
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            binary = " (FORMAT BINARY)" if types else ""
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN{binary}") as copy:
                if types:
                    copy.set_types(types)
                write_row = copy.write_row
                for row in rows if first is None else itertools.chain((first,), rows):
                    write_row(row)
                    count += 1
                    if progress is not None and not count % PROGRESS_ROWS:
                        progress(count)
        if off:
            _postgres_check_foreign_keys(cursor, table, keys, seen)
    return count


# The Python type of the values a binary COPY takes for a column of these PostgreSQL types.
_BINARY_VALUE_TYPES = {
    "bigint": int,
    "integer": int,
    "smallint": int,
    "character varying": str,
    "text": str,
    "date": dt.date,
    "timestamp with time zone": dt.datetime,
    "boolean": bool,
}


def _postgres_binary_types(cursor, table: str, columns: Sequence[str], first) -> list | None:
    """The columns' type OIDs for a binary COPY, or None to send text.

    Binary spares the server the parsing of every value (1M invoices: 18.7 s -> 15.9 s for
    the COPY). It needs each value to be exactly what its column holds (a date, not the text
    of one), so only a load whose first row is all of the columns' types, or None, goes in
    binary; the callers make every row of a load alike. Text takes anything, as before.
    """
    if first is None:
        return None
    cursor.execute(
        """SELECT attname, atttypid::int, atttypid::regtype::text FROM pg_attribute
            WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped""",
        [table],
    )
    of = {name: (oid, kind) for name, oid, kind in cursor.fetchall()}
    types = []
    for column, value in zip(columns, first, strict=True):
        oid, kind = of[column]
        wanted = _BINARY_VALUE_TYPES.get(kind)
        if wanted is None or (value is not None and type(value) is not wanted):
            return None
        if wanted is dt.datetime and value is not None and value.tzinfo is None:
            return None
        types.append(oid)
    return types


def _noting(rows: Iterable[Sequence], key_of, seen: set):
    add = seen.add
    for row in rows:
        add(key_of(row))
        yield row


def _postgres_foreign_keys(cursor, table: str, columns: Sequence[str]) -> dict[str, tuple]:
    """{column: (referenced table, referenced column)} for the loaded columns that are a
    foreign key: what `_postgres_check_foreign_keys` checks instead of the triggers.

    Empty (the triggers stay on) when switching the triggers off would skip more than those
    checks: a foreign key of several columns, a trigger or a rule of anyone's on the table."""
    cursor.execute(
        """SELECT a.attname, c.confrelid::regclass::text, r.attname, cardinality(c.conkey)
             FROM pg_constraint c
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
             JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = c.confkey[1]
            WHERE c.conrelid = %s::regclass AND c.contype = 'f'""",
        [table],
    )
    keys = cursor.fetchall()
    cursor.execute(
        """SELECT (SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass
                      AND NOT tgisinternal)
                + (SELECT count(*) FROM pg_rewrite WHERE ev_class = %s::regclass)""",
        [table, table],
    )
    if cursor.fetchone()[0] or any(width != 1 for *_, width in keys):
        return {}
    return {column: (parent, key) for column, parent, key, _ in keys if column in columns}


@contextlib.contextmanager
def _postgres_row_triggers_off(cursor, wanted: bool):
    """For a large COPY: no foreign-key trigger per row, where the database role may.

    PostgreSQL checks a foreign key with a trigger per inserted row (and, the keys being
    deferred, queues three million events for a million invoices and runs them at commit:
    measured, 16.7 s of a 53 s import). With `session_replication_role = replica`, the way
    pg_restore loads data, those triggers do not fire; `_postgres_check_foreign_keys` then
    checks every distinct value once and locks the referenced rows as the triggers would have.
    Setting it needs a superuser or, from PostgreSQL 15, `GRANT SET ON PARAMETER
    session_replication_role TO <role>`; without that the rows are checked the usual way.
    The setting is local to the transaction and put back right after the COPY.
    """
    if not (wanted and connection.in_atomic_block):
        yield False
        return
    cursor.execute("SELECT current_setting('session_replication_role')")
    previous = cursor.fetchone()[0]
    try:
        with transaction.atomic():  # a savepoint: a refusal must not abort the transaction
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        yield False
        return
    yield True  # on an error the transaction is rolled back, and the setting with it
    cursor.execute("SELECT set_config('session_replication_role', %s, true)", [previous])


def _postgres_check_foreign_keys(cursor, table: str, keys: dict[str, tuple], seen: set) -> None:
    """Every distinct value of each foreign key among the loaded rows must exist; the rows
    they reference are locked FOR KEY SHARE (what the foreign-key trigger does), so that no
    other transaction deletes them before this one commits."""
    for position, (column, (parent, key)) in enumerate(keys.items()):
        if len(keys) == 1:
            wanted = {value for value in seen if value is not None}
        else:
            wanted = {values[position] for values in seen} - {None}
        if not wanted:
            continue
        cursor.execute(
            f"SELECT {key} FROM {parent} WHERE {key} = ANY(%s) FOR KEY SHARE", [list(wanted)]
        )
        missing = wanted - {found for (found,) in cursor.fetchall()}
        if missing:
            raise foreign_key_violation(table, column, min(missing), parent)


def foreign_key_violation(table: str, column: str, value, parent: str) -> IntegrityError:
    """The error of a loaded row whose foreign key names no row of the parent table (worded
    as PostgreSQL's own)."""
    return IntegrityError(
        f'insert into "{table}" violates its foreign key on {column}: key ({column})=({value}) '
        f'is not present in table "{parent}"'
    )


def _postgres_analyze_after_load(table: str, count: int) -> None:
    """Refresh the planner's statistics when the load grew the table by a tenth or more.

    Autovacuum does the same, but up to a minute later; a report run in between is planned
    for the table as it was. Right after the first import the planner took 30,000 invoices for
    ten and joined the aging per customer by nested loop: 2.8 s instead of 0.05 s. ANALYZE
    reads a sample (about 0.4 s at a million rows), and runs in the import's transaction, so
    it sees the new rows and goes back with them if the import fails.
    """
    if count < 1_000:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        known_rows = max(cursor.fetchone()[0], 0)  # -1: never analysed
        if count >= known_rows / 10:
            cursor.execute(f"ANALYZE {table}")


def _sqlite_insert(
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    row_count: int | None,
    progress: Callable[[int], None] | None,
) -> int:
    count = 0
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    rows = iter(rows)
    with (
        connection.cursor() as cursor,
        sqlite_page_cache(cursor),
        _sqlite_indexes_rebuilt(cursor, table, row_count),
    ):
        # A chunk at a time, taken from the iterator in C (islice), not a row at a time.
        while batch := list(itertools.islice(rows, 10_000)):
            cursor.executemany(sql, batch)
            count += len(batch)
            if progress is not None and not count % PROGRESS_ROWS:
                progress(count)
    return count


@contextlib.contextmanager
def sqlite_page_cache(cursor):
    """SQLite's page cache at SQLITE_BULK_CACHE_KIB while the block runs, put back after
    (left as it is when it is already that large: a load_transaction's, kept to its end)."""
    cursor.execute("PRAGMA cache_size")
    previous = cursor.fetchone()[0]
    if -previous >= SQLITE_BULK_CACHE_KIB:
        yield
        return
    cursor.execute(f"PRAGMA cache_size = -{SQLITE_BULK_CACHE_KIB}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size = {int(previous)}")


@contextlib.contextmanager
def _sqlite_indexes_rebuilt(cursor, table: str, row_count: int | None):
    """Drop the table's plain (not unique) indexes for the load and create them again after.

    Building an index from a million rows sorts them once; keeping it up to date inserts a
    million times at random places (measured on ledger_invoice, seven indexes: 14 s to insert
    with the indexes in place, 6.7 s without plus 2.9 s to build them). Only for a load at
    least as large as the table (rebuilding the indexes of a big table for a smaller load costs
    more than it saves); only inside the caller's transaction, and in a savepoint of its own,
    so that a failure anywhere brings the indexes back with everything else. Unique indexes
    stay: they check the rows as they come.
    """
    if row_count is None or not connection.in_atomic_block:
        yield
        return
    cursor.execute(f"SELECT MAX(rowid) FROM {table}")  # about the row count, without counting
    if (cursor.fetchone()[0] or 0) > row_count:
        yield
        return
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL"
        " AND sql NOT LIKE 'CREATE UNIQUE%%'",
        [table],
    )
    indexes = cursor.fetchall()
    with transaction.atomic():
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        yield
        for _name, sql in indexes:
            cursor.execute(sql)
