"""Progress bars for long work on the command line (rich), fed by the services' callbacks."""

from __future__ import annotations

import contextlib
import sys


@contextlib.contextmanager
def rich_progress(title: str, *, enabled: bool = True):
    """Yields progress(phase, done, total); draws nothing when output is not a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield lambda phase, done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    tasks: dict[str, int] = {}
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=False,
        console=Console(stderr=True),
    ) as bar:

        def progress(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(f"{title}: {phase}", total=total or None)
            bar.update(tasks[phase], completed=done, total=total or None)

        yield progress
