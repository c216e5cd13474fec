"""The dunning part of the benchmark, on the database the main workload built.

Times, at the benchmark's date: the dry run (median of 3), the floor (one hand-written SQL
statement for the same due steps, median of 3), a real run that decides and writes its actions,
and the execution (letters as PDF and e-mails into the outbox) of a sample of its actions,
from which the time to carry out all of them is extrapolated.
"""

from __future__ import annotations

import statistics
import time

EXECUTION_SAMPLE = 100


def _median(function, runs: int = 3):
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), result


def run_on_open_ledger(*, customers: int, open_invoices: int, progress) -> dict:
    """Issue 4's benchmark: `open_invoices` open invoices of `customers` customers (the
    matching benchmark's ledger: every invoice open, due over the last eleven months), the
    default dunning policies, and `run` at the ledger's date."""
    from matching_workload import BOOKING_DATE, _setup, build

    _setup()
    from django.db import connection

    from debitum.dunning.policy_services import policies_install_defaults

    started = time.perf_counter()
    administration, _ = build(customers=customers, open_invoices=open_invoices, progress=progress)
    policies_install_defaults(administration=administration)
    build_seconds = time.perf_counter() - started
    figures = run(administration=administration, as_of=BOOKING_DATE, open_invoices=open_invoices)
    return {"database": connection.vendor, "build_s": build_seconds, **figures}


def run(*, administration, as_of, open_invoices: int) -> dict:
    from dunning_floor import floor_due_steps

    from debitum.dunning.models import DunningAction
    from debitum.dunning.selectors import due_steps
    from debitum.dunning.services import action_execute, dunning_run

    due = len(due_steps(administration=administration, as_of=as_of))
    floor_seconds, floor_count = _median(
        lambda: floor_due_steps(
            administration_id=administration.pk, country=administration.country, as_of=as_of
        )
    )
    dry_seconds, dry = _median(
        lambda: dunning_run(administration=administration, as_of=as_of, dry_run=True)
    )
    started = time.perf_counter()
    real = dunning_run(administration=administration, as_of=as_of, execute=False)
    decide_seconds = time.perf_counter() - started
    pending = list(
        DunningAction.objects.filter(administration=administration, status="pending")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sample = pending[:EXECUTION_SAMPLE]
    started = time.perf_counter()
    for action_id in sample:
        action_execute(action_id=action_id)
    sample_seconds = time.perf_counter() - started
    per_action = sample_seconds / len(sample) if sample else 0.0
    return {
        "dunning_open_invoices": open_invoices,
        "dunning_due_steps": due,
        "dunning_floor_due_steps": floor_count,
        "dunning_floor_seconds": floor_seconds,
        "dunning_dry_run_seconds": dry_seconds,
        "dunning_dry_run_actions": len(dry.actions),
        "dunning_dry_run_ratio": dry_seconds / floor_seconds if floor_seconds else None,
        "dunning_dry_run_invoices_per_s": open_invoices / dry_seconds if dry_seconds else None,
        "dunning_decide_seconds": decide_seconds,
        "dunning_actions": len(real.actions),
        "dunning_action_invoices": sum(len(a["invoices"]) for a in real.actions),
        "dunning_execute_sample": len(sample),
        "dunning_execute_seconds_per_action": per_action,
        "dunning_execute_all_seconds_estimate": per_action * len(pending),
    }
