"""One benchmark run against the database the environment names (run in its own process:
Django reads DATABASE_URL once). Builds the data, times the steps, returns the figures."""

from __future__ import annotations

import csv
import datetime as dt
import os
import statistics
import time
from pathlib import Path

AS_OF = dt.date(2026, 6, 30)  # fixed, so that every run measures the same data
SEED = 1
RUNS = 3


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "debitum.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


class Clock:
    """Times named steps and draws a rich progress bar for the long ones."""

    def __init__(self, progress):
        self.progress = progress
        self.seconds: dict[str, float] = {}
        self.tasks: dict[str, int] = {}

    def step(self, name: str):
        clock = self

        class Step:
            def __enter__(self):
                self.started = time.perf_counter()
                return self

            def __exit__(self, *exc):
                clock.seconds[name] = time.perf_counter() - self.started

        return Step()

    def callback(self, title: str):
        def report(phase: str, done: int, total: int) -> None:
            key = f"{title}: {phase}"
            if key not in self.tasks:
                self.tasks[key] = self.progress.add_task(key, total=total or None)
            self.progress.update(self.tasks[key], completed=done, total=total or None)

        return report


def _settle() -> None:
    """Let the disk catch up before a timed step: the kernel writes what the previous step
    wrote (the database, 180 MB of CSV files) in the background, and on two cores that
    writeback took CPU from the step measured next (the same PostgreSQL import: 23.8 s right
    after creating its database, 17.7-19.1 s after a sync)."""
    os.sync()
    time.sleep(3)


def _median_seconds(function) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), result


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _built_in_a_child(customers: int, invoices_per_customer: float, work_dir: Path) -> dict:
    """Generate the data, import the customers and write the invoice and payment files in a
    forked child process; return its timings and row counts.

    The timed import then runs in a process that, like `debitum import invoices FILE`, never
    held the generated rows: built in the same process and dropped, their two million lists
    left the heap fragmented, and the import alone took 1.9 s longer after them (PostgreSQL,
    18.6 s against 20.5 s)."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # the child opens its own connection
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(
        target=_build, args=(sending, customers, invoices_per_customer, work_dir)
    )
    child.start()
    sending.close()
    try:
        built = receiving.recv()
    except EOFError:
        built = None
    child.join()
    if child.exitcode != 0 or built is None:
        raise RuntimeError(f"building the benchmark's data failed (exit code {child.exitcode})")
    return built


def _build(sending, customers: int, invoices_per_customer: float, work_dir: Path) -> None:
    """In the child: what `_built_in_a_child` returns, sent through `sending`. No progress
    bars here: the parent's live display is not the child's to draw."""
    from debitum.administrations.services import administration_create
    from debitum.demo.generator import CUSTOMER_HEADER, INVOICE_HEADER, PAYMENT_HEADER, generate
    from debitum.imports.services import customer_import, table_from_rows

    seconds = {}
    started = time.perf_counter()
    data = generate(
        customers=customers, seed=SEED, as_of=AS_OF, invoices_per_customer=invoices_per_customer
    )
    seconds["generate"] = time.perf_counter() - started
    administration = administration_create(code="BENCH", name="Benchmark B.V.", country="NL")
    started = time.perf_counter()
    customer_import(
        administration=administration,
        table=table_from_rows("customers.csv", CUSTOMER_HEADER, data.customers),
    )
    seconds["customer_import"] = time.perf_counter() - started
    started = time.perf_counter()
    _write_csv(work_dir / "invoices.csv", INVOICE_HEADER, data.invoices)
    _write_csv(work_dir / "payments.csv", PAYMENT_HEADER, data.payments)
    seconds["write_csv"] = time.perf_counter() - started
    sending.send(
        {
            "seconds": seconds,
            "invoice_rows": len(data.invoices),
            "payment_rows": len(data.payments),
        }
    )
    sending.close()


def run(*, customers: int, invoices_per_customer: float, work_dir: Path, progress) -> dict:
    """Build, import and report; returns the figures as a dict (seconds, counts, rates)."""
    _setup()
    import gc

    from django.db import connection
    from floor import SHAPES, floor_bucket_totals, floor_unapplied_totals

    from debitum.administrations.models import Administration
    from debitum.domain.aging import BUCKETS
    from debitum.imports.services import invoice_import, payment_import, read_table
    from debitum.ledger.selectors import unapplied_payments
    from debitum.reports.selectors import aging_report

    clock = Clock(progress)
    task = progress.add_task("generate, customer import, CSV files (a child process)", total=None)
    built = _built_in_a_child(customers, invoices_per_customer, work_dir)
    progress.update(task, total=1, completed=1)
    clock.seconds.update(built["seconds"])
    invoice_rows, payment_rows = built["invoice_rows"], built["payment_rows"]
    invoices_csv, payments_csv = work_dir / "invoices.csv", work_dir / "payments.csv"
    administration = Administration.objects.get(code="BENCH")
    _settle()

    # What `debitum import invoices FILE` does: read the file, then import it.
    with clock.step("invoice_read_and_import"):
        with clock.step("invoice_read"):
            table = read_table(invoices_csv)
        result = invoice_import(
            administration=administration, table=table, progress=clock.callback("invoices")
        )
    del table
    _settle()
    with clock.step("payment_read_and_import"):
        payment_import(
            administration=administration,
            table=read_table(payments_csv),
            progress=clock.callback("payments"),
        )
    gc.collect()
    _settle()

    task = progress.add_task("aging report and floor", total=RUNS * (4 + len(SHAPES)))
    aging_seconds, report = _median_seconds(
        lambda: (aging_report(administration=administration, as_of=AS_OF), progress.advance(task))[
            0
        ]
    )
    # The same report with its two reads one after the other on one connection.
    from django.test import override_settings

    with override_settings(DEBITUM_PARALLEL_READS=False):
        one_by_one_seconds, one_by_one = _median_seconds(
            lambda: (
                aging_report(administration=administration, as_of=AS_OF),
                progress.advance(task),
            )[0]
        )
    assert one_by_one == report, "the aging report differs when read one by one"
    unapplied_seconds, _ = _median_seconds(
        lambda: (
            unapplied_payments(administration=administration, as_of=AS_OF),
            progress.advance(task),
        )[0]
    )
    floors = {}
    for shape in SHAPES:
        seconds, totals = _median_seconds(
            lambda shape=shape: (
                floor_bucket_totals(administration_id=administration.pk, as_of=AS_OF, shape=shape),
                progress.advance(task),
            )[0]
        )
        floors[shape] = (seconds, totals)

    unapplied_floor_seconds, unapplied_totals = _median_seconds(
        lambda: (
            floor_unapplied_totals(administration_id=administration.pk, as_of=AS_OF),
            progress.advance(task),
        )[0]
    )

    report_totals = {
        currency: {bucket: amount for bucket, amount in totals.items() if bucket in BUCKETS}
        for currency, totals in report.currencies.items()
    }
    for shape, (_, totals) in floors.items():
        assert totals == report_totals, (
            f"the {shape} floor and the aging report disagree: {totals} != {report_totals}"
        )
    for currency, totals in report.currencies.items():
        assert -totals["unapplied"] == unapplied_totals.get(currency, 0), (
            "the unapplied floor and the report disagree"
        )
    floor_shape = min(floors, key=lambda shape: floors[shape][0])
    seconds = clock.seconds
    return {
        "database": connection.vendor,
        "customers": customers,
        "invoice_rows": invoice_rows,
        "invoices_created": result.created.get("invoices", 0)
        + result.created.get("credit notes", 0),
        "payment_rows": payment_rows,
        "generate_s": seconds["generate"],
        "customer_import_s": seconds["customer_import"],
        "write_csv_s": seconds["write_csv"],
        "invoice_read_s": seconds["invoice_read"],
        "invoice_read_and_import_s": seconds["invoice_read_and_import"],
        "invoice_rows_per_s": invoice_rows / seconds["invoice_read_and_import"],
        "payment_read_and_import_s": seconds["payment_read_and_import"],
        "aging_s": aging_seconds,
        "aging_one_by_one_s": one_by_one_seconds,
        "unapplied_s": unapplied_seconds,
        "floor_s": floors[floor_shape][0],
        "floor_shape": floor_shape,
        "floors_s": {shape: value[0] for shape, value in floors.items()},
        "aging_to_floor": aging_seconds / floors[floor_shape][0],
        "unapplied_floor_s": unapplied_floor_seconds,
        "aging_to_both_floors": aging_seconds / (floors[floor_shape][0] + unapplied_floor_seconds),
        "totals": {
            currency: {bucket: str(amount) for bucket, amount in totals.items()}
            for currency, totals in report_totals.items()
        },
    }
