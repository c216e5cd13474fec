"""The transaction of a large load (an import of a big file).

`load_transaction(rows=N)` is `transaction.atomic()`. On SQLite, for a load of LARGE_LOAD_ROWS
rows or more that opens the transaction, it also changes two settings that SQLite takes only
outside a transaction, and puts them back after it:

- **The page cache** stays at SQLITE_BULK_CACHE_KIB for the whole transaction, not only for
  each `bulk_insert`: shrinking it inside the transaction made the next read write the load's
  dirty pages out first (1M invoices: the credit notes' look-up after the insert took 1.3 s
  instead of 0.1 s).
- **Foreign keys are checked once per distinct value, at the end, instead of per row.** SQLite
  looks up the parent of every foreign key of every inserted row (1M invoices, three keys:
  1.8 s of a 7 s insert) and cannot stop doing so inside a transaction. Here
  `PRAGMA foreign_keys = OFF` holds for the transaction, an execute wrapper notes every table
  that a statement writes, and before the commit the written rows are checked with the same
  rule, set-based: for each foreign key of each table that got rows, the distinct values of the
  new rows (rowid above the table's largest before its first insert, read through the key's
  index) must exist in the parent (0.25 s for the million invoices). A table that was updated
  has all its rows checked (`PRAGMA foreign_key_check`; an upsert counts as an update), and
  so does every table that references one a row was deleted from (or replaced in). A violation raises IntegrityError naming the table,
  the column and the value, and the transaction is rolled back with everything in it.

SQLite admits one writer at a time and the transaction begins IMMEDIATE (settings), so no
other connection can delete a referenced row between the load and the check.
"""

from __future__ import annotations

import contextlib
import re

from django.db import connection, transaction

from .bulk import LARGE_LOAD_ROWS, foreign_key_violation, sqlite_page_cache

_WRITE = re.compile(
    r'\s*(INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+"?(\w+)"?',
    re.IGNORECASE,
)

_OR_REPLACE = re.compile(r"\s*INSERT\s+OR\s+REPLACE\b", re.IGNORECASE)
_UPSERT = re.compile(r"\bON\s+CONFLICT\b.*\bDO\s+UPDATE\b", re.IGNORECASE | re.DOTALL)


@contextlib.contextmanager
def load_transaction(*, rows: int):
    """`transaction.atomic()` for a load of about `rows` rows; see the module's docstring."""
    if connection.vendor != "sqlite" or connection.in_atomic_block or rows < LARGE_LOAD_ROWS:
        with transaction.atomic():
            yield
        return
    with connection.cursor() as cursor, sqlite_page_cache(cursor), _keys_off(cursor) as were_on:
        written = _Written()
        with connection.execute_wrapper(written.note), transaction.atomic():
            yield
            if were_on:
                written.check()


@contextlib.contextmanager
def _keys_off(cursor):
    """`PRAGMA foreign_keys` off while the block runs, put back after; yields whether it was on."""
    cursor.execute("PRAGMA foreign_keys")
    were_on = bool(cursor.fetchone()[0])
    cursor.execute("PRAGMA foreign_keys = OFF")
    try:
        yield were_on
    finally:
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if were_on else 'OFF'}")


class _Written:
    """The tables the transaction's statements write, and how to check their foreign keys."""

    def __init__(self):
        self.inserted: dict[str, int] = {}  # table -> its largest rowid before the first insert
        self.updated: set[str] = set()
        self.deleted: set[str] = set()

    def note(self, execute, sql, params, many, context):
        match = _WRITE.match(sql)
        if match:
            verb, table = match.group(1)[:6].upper(), match.group(2)
            if verb in ("INSERT", "REPLAC"):
                if table not in self.inserted:
                    with connection.cursor() as cursor:
                        cursor.execute(f'SELECT COALESCE(MAX(rowid), 0) FROM "{table}"')
                        self.inserted[table] = cursor.fetchone()[0]
                if verb == "REPLAC" or _OR_REPLACE.match(sql):
                    self.deleted.add(table)  # a replaced row is deleted first
                if _UPSERT.search(sql):
                    self.updated.add(table)
            elif verb == "UPDATE":
                self.updated.add(table)
            elif verb == "DELETE":
                self.deleted.add(table)
        return execute(sql, params, many, context)

    def check(self) -> None:
        with connection.cursor() as cursor:
            whole = set(self.updated)
            if self.deleted:
                cursor.execute(
                    "SELECT DISTINCT m.name FROM sqlite_master m, pragma_foreign_key_list(m.name) f"
                    f" WHERE m.type = 'table' AND f.\"table\" IN ({', '.join(['%s'] * len(self.deleted))})",
                    sorted(self.deleted),
                )
                whole.update(name for (name,) in cursor.fetchall())
            for table, after in self.inserted.items():
                if table in whole:
                    continue
                keys = _foreign_keys(cursor, table)
                if keys is None:
                    whole.add(table)  # a key of several columns: the pragma checks it
                    continue
                for column, parent, key in keys:
                    cursor.execute(
                        f'SELECT v FROM (SELECT DISTINCT "{column}" AS v FROM "{table}"'
                        f' WHERE rowid > %s AND "{column}" IS NOT NULL)'
                        f' WHERE NOT EXISTS (SELECT 1 FROM "{parent}" WHERE "{key}" = v) LIMIT 1',
                        [after],
                    )
                    missing = cursor.fetchone()
                    if missing:
                        raise foreign_key_violation(table, column, missing[0], parent)
            for table in sorted(whole):
                cursor.execute(f'PRAGMA foreign_key_check("{table}")')
                violation = cursor.fetchone()
                if violation:
                    _table, rowid, parent, index = violation
                    column = _column_of(cursor, table, index)
                    cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE rowid = %s', [rowid])
                    raise foreign_key_violation(table, column, cursor.fetchone()[0], parent)


def _foreign_keys(cursor, table: str) -> list[tuple[str, str, str]] | None:
    """(column, parent table, parent column) of each foreign key of `table`; None when one of
    them has several columns."""
    cursor.execute(
        'SELECT id, seq, "table", "from", "to" FROM pragma_foreign_key_list(%s)', [table]
    )
    rows = cursor.fetchall()
    if any(seq for _id, seq, *_ in rows):
        return None
    keys = []
    for _id, _seq, parent, column, key in rows:
        if key is None:  # the parent's primary key
            cursor.execute("SELECT name FROM pragma_table_info(%s) WHERE pk = 1", [parent])
            key = cursor.fetchone()[0]
        keys.append((column, parent, key))
    return keys


def _column_of(cursor, table: str, index: int) -> str:
    cursor.execute('SELECT "from" FROM pragma_foreign_key_list(%s) WHERE id = %s', [table, index])
    return cursor.fetchone()[0]
