"""Fast inserts of many rows, for imports and demo data.

The ORM's bulk_create builds a model instance per row, which caps an import at a few thousand
rows a second. Here rows are plain tuples: PostgreSQL takes them through COPY, SQLite through
one prepared statement (executemany). Both run inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection


def bulk_insert(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert `rows` (tuples in the order of `columns`) into `table`; returns the count.

    Values must already be what the column stores (money in cents, dates as date).
    """
    count = 0
    column_list = ", ".join(columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})"
    batch: list[Sequence] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) == 10_000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count
