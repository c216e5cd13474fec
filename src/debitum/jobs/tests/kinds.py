"""Job kinds of the tests only: work that doubles a number, work that fails as a user's
mistake, and work that crashes."""

from debitum.jobs.registry import JobFailed, JobKind, job_kind_register


def _double(*, administration, params, actor, progress):
    for done in range(3):
        progress("counting", done, 3)
    progress("counting", 3, 3)
    return {"administration": administration.code, "doubled": params["n"] * 2}


def _refuse(*, administration, params, actor, progress):
    raise JobFailed("line 2 is wrong", {"line": 2})


def _crash(*, administration, params, actor, progress):
    raise RuntimeError("the disk is full")


DOUBLE = job_kind_register(
    JobKind("tests.double", "Double", _double, lambda r: f"doubled: {r['doubled']}", "imports:page")
)
REFUSE = job_kind_register(JobKind("tests.refuse", "Refuse", _refuse, str, "imports:page"))
CRASH = job_kind_register(JobKind("tests.crash", "Crash", _crash, str, "imports:page"))
