"""What every import shares: the header check, the once-only rule, the batch record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection

from debitum.administrations.models import Administration
from debitum.audit.services import audit_record
from debitum.common.load_transaction import load_transaction

from .errors import ErrorList
from .models import ImportBatch
from .readers import Table

# progress(phase, done, total): the CLI draws a bar with it, the web a percentage.
Progress = Callable[[str, int, int], None]


def no_progress(phase: str, done: int, total: int) -> None:
    return None


@dataclass
class ImportResult:
    kind: str
    file_name: str
    rows: int
    created: dict[str, int] = field(default_factory=dict)
    updated: int = 0
    unchanged: int = 0
    already_imported: bool = False
    batch_id: int | None = None

    def summary(self) -> str:
        if self.already_imported:
            return f"{self.file_name}: this file was imported before; nothing changed."
        parts = [f"{count} {what} created" for what, count in self.created.items() if count]
        if self.updated:
            parts.append(f"{self.updated} updated")
        if self.unchanged:
            parts.append(f"{self.unchanged} already present and unchanged")
        return (
            f"{self.file_name}: {self.rows} rows; "
            + (", ".join(parts) or "nothing to change")
            + "."
        )


def check_header(table: Table, *, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
    errors = ErrorList(table.file_name)
    missing = [name for name in required if name not in table.header]
    if missing:
        errors.add(1, None, None, f"required column(s) missing: {', '.join(missing)}")
    known = set(required) | set(optional)
    for name in table.header:
        if name not in known:
            errors.add(
                1,
                name,
                None,
                f"unknown column; the columns are {', '.join(required)} (required) and {', '.join(optional)}",
            )
    errors.raise_if_any()


def previous_import(
    *, administration: Administration, kind: str, sha256: str
) -> ImportBatch | None:
    return ImportBatch.objects.filter(
        administration=administration, kind=kind, sha256=sha256
    ).first()


def lock_administration(administration: Administration) -> None:
    """Serialise imports into one administration (PostgreSQL row lock; SQLite's IMMEDIATE
    transactions already admit one writer at a time)."""
    if connection.vendor == "postgresql":
        Administration.objects.select_for_update().filter(pk=administration.pk).exists()


def batch_record(
    *, administration, kind: str, table: Table, actor, result: ImportResult
) -> ImportBatch:
    batch = ImportBatch.objects.create(
        administration=administration,
        kind=kind,
        file_name=table.file_name,
        sha256=table.sha256,
        row_count=table.row_count,
        counts={},
        imported_by=actor if actor is not None and actor.pk else None,
    )
    result.batch_id = batch.pk
    return batch


def batch_finish(*, batch: ImportBatch, administration, actor, result: ImportResult) -> None:
    batch.counts = {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }
    batch.save(update_fields=["counts"])
    audit_record(
        administration=administration,
        actor=actor,
        action=f"import.{batch.kind}",
        obj=batch,
        summary=result.summary(),
        changes={"sha256": batch.sha256, **batch.counts},
    )


class _Rollback(Exception):
    """Leaves a dry run's transaction without keeping anything."""


def run_import(
    *,
    administration,
    table: Table,
    kind: str,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    parse,
    write,
    dry_run: bool = False,
) -> ImportResult:
    """The shape of every import: check the header, skip a file imported before, parse and
    check every row (raising ImportFailed with all errors before anything is written), then
    write in one transaction under the administration's lock, checking the once-only rule again
    inside it. `parse(errors)` returns the rows; `write(rows, result, errors)` writes them and
    fills `result` (errors it adds abort the transaction).

    With `dry_run` everything happens as in a real import, every check included (those that
    need the ledger, such as an invoice number already used with other values), and the
    transaction is rolled back at the end: the result tells what the import would do, and
    nothing is written (the web page's preview)."""
    result = ImportResult(kind=kind, file_name=table.file_name, rows=table.row_count)
    check_header(table, required=required, optional=optional)
    if previous_import(administration=administration, kind=kind, sha256=table.sha256):
        result.already_imported = True
        return result
    errors = ErrorList(table.file_name)
    rows = parse(errors)
    errors.raise_if_any()
    try:
        with load_transaction(rows=table.row_count):
            lock_administration(administration)
            if previous_import(administration=administration, kind=kind, sha256=table.sha256):
                result.already_imported = True
                return result
            write(rows, result, errors)
            errors.raise_if_any()  # leaving atomic() by an exception rolls everything back
            if dry_run:
                raise _Rollback
    except _Rollback:
        result.batch_id = None  # the batch was rolled back with the rest
    return result
