"""The kinds of background work, registered by the apps that do it (their `jobs.py`).

A kind's `run(*, administration, params, actor, progress)` does the work and returns its result
as JSON-able data; `summary(result)` says it in the reader's language on the job's page.
Work that cannot be done for a reason the user can act on (a file with errors) raises
`JobFailed` with what the page should show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True, slots=True)
class JobKind:
    name: str
    label: str | Promise
    run: Callable[..., dict]
    summary: Callable[[dict], str]
    # The page the work was asked from (a URL name taking administration_code): the job's page
    # links back to it.
    page: str
    # A template that shows the result (or the failure) in detail; None: the summary says all.
    template: str | None = None
    # Where the browser goes once the job has finished (a preview is shown on the page it was
    # asked from): done_url(job) -> URL; None: the job's page shows the result.
    done_url: Callable[[object], str] | None = None


class JobFailed(Exception):
    """The work was not done, for a reason the user can act on; nothing was written."""

    def __init__(self, message: str, result: dict | None = None):
        self.message = message
        self.result = result or {}
        super().__init__(message)


class UnknownJobKind(LookupError):
    pass


_KINDS: dict[str, JobKind] = {}


def job_kind_register(kind: JobKind) -> JobKind:
    if kind.name in _KINDS and _KINDS[kind.name] != kind:
        raise ValueError(f"job kind {kind.name!r} is registered twice")
    _KINDS[kind.name] = kind
    return kind


def job_kind_find(name: str) -> JobKind | None:
    """The kind `name`, or None (a job of a kind this version no longer has)."""
    return _KINDS.get(name)


def job_kind_get(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise UnknownJobKind(f"no job kind {name!r} (known: {', '.join(sorted(_KINDS))})") from None


def shown_on(page: str, **query: str):
    """A `done_url` that sends the browser to `page` (a URL name taking administration_code)
    with `query`, whose values name a job's attribute or param: "pk" or "params.as_of"."""
    from urllib.parse import urlencode

    from django.urls import reverse

    def done_url(job) -> str:
        values = {}
        for name, source in query.items():
            values[name] = (
                job.params[source.removeprefix("params.")]
                if source.startswith("params.")
                else getattr(job, source)
            )
        url = reverse(page, kwargs={"administration_code": job.administration.code})
        return f"{url}?{urlencode(values)}"

    return done_url
