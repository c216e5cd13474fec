"""A running job's progress, in the cache so that the web process sees a worker's progress.

The work of a job runs in a transaction of its own (an import is whole or nothing), so its
progress cannot be rows: nobody would see them before the end. The cache is a file cache in
DEBITUM_HOME by default, which every process of one machine shares, or Redis (CACHE_URL).
Writes are at most one per PROGRESS_INTERVAL seconds, and always at a new phase.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache

PROGRESS_INTERVAL = 0.5
PROGRESS_TTL = 24 * 3600


def _key(job_id: int) -> str:
    return f"debitum:job:{job_id}:progress"


@dataclass(frozen=True, slots=True)
class JobProgress:
    phase: str
    done: int
    total: int

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return max(0, min(100, round(100 * self.done / self.total)))


class ProgressReporter:
    """progress(phase, done, total), the callback the services already take."""

    def __init__(self, job_id: int, *, clock=time.monotonic):
        self.job_id = job_id
        self._clock = clock
        self._last_at = float("-inf")
        self._last_phase: str | None = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = self._clock()
        if phase == self._last_phase and done < total and now - self._last_at < PROGRESS_INTERVAL:
            return
        self._last_at, self._last_phase = now, phase
        cache.set(_key(self.job_id), (phase, int(done), int(total)), PROGRESS_TTL)


def job_progress_get(job_id: int) -> JobProgress | None:
    value = cache.get(_key(job_id))
    return JobProgress(*value) if value else None


def job_progress_clear(job_id: int) -> None:
    cache.delete(_key(job_id))
