"""Errors of an import: each names the file, the line (the header is line 1), the column and
the value, so that a user can find and fix it in their spreadsheet."""

from __future__ import annotations

from dataclasses import dataclass

MAX_ERRORS = 50


@dataclass(frozen=True, slots=True)
class RowError:
    file_name: str
    line: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file_name]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column}")
        text = ", ".join(where) + ": "
        if self.value is not None and self.value != "" and repr(self.value) not in self.message:
            text += f"{self.value!r}: "
        return text + self.message


class ImportFailed(Exception):
    """The file was not imported; nothing was written."""

    def __init__(self, errors: list[RowError], more: int = 0):
        self.errors = errors
        self.more = more
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [str(error) for error in self.errors]
        if self.more:
            lines.append(f"... and {self.more} more errors")
        lines.append("Nothing was imported.")
        return "\n".join(lines)


class ErrorList:
    """Collects row errors up to MAX_ERRORS, counting the rest."""

    def __init__(self, file_name: str):
        self.file_name = file_name
        self.errors: list[RowError] = []
        self.more = 0

    def add(self, line: int | None, column: str | None, value, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(
                RowError(
                    self.file_name, line, column, None if value is None else str(value), message
                )
            )
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ImportFailed(self.errors, self.more)
