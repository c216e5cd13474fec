"""Debitum's benchmark: import speed and the aging report at a million invoices.

    .venv/bin/python benchmarks/run.py [--customers 100000] [--invoices-per-customer 10]
                                       [--database sqlite|postgres|both]
    .venv/bin/python benchmarks/run.py --suite matching [--entries 100000] [...]
    .venv/bin/python benchmarks/run.py --suite dunning [...]
    .venv/bin/python benchmarks/run.py --suite web [--rate 200] [--seconds 30] [...]

For each database, in a fresh database and a process of its own (Django reads DATABASE_URL
once per process): generate the demo data (customers, invoices, payments), import the
customers, write the invoices to a CSV file and import it as `debitum import invoices` does
(read + import timed together, and the read alone), import the payments, then time the aging
report (median of 3) beside the floor, one hand-written SQL statement for the same bucket
totals (see floor.py), and check that both give the same totals.

Targets (issue 2): >= 50,000 invoice rows a second; the aging report within 2x of the floor.
`--suite matching` (issue 6, see matching_workload.py): a camt.053 of 100k entries with the
noise of real life against 1M open invoices; targets: under 5 s, 95% or more matched
automatically, fewer than 1 in 1,000 of those wrong.
`--suite dunning` (issue 4, see dunning_workload.py): the dry run and a real run (decide and
write; the letters' execution sampled) over 1M open invoices of 100k customers, beside the
floor; targets: the dry run under 10 s and within 3x of the floor.
`--suite web` (issue 5, see web_load.py): PostgreSQL only, 100k customers and 1M invoices in a
database of its own (built once, reused); `debitum serve` in its own process(es), a
constant-rate load from this one; median and p99 of the work list, the largest dossier, the
invoice list API (first and deep page) and the dashboard. Targets: work list and dossier p99
under 100 ms at 200 requests a second; the invoice list API p99 under 50 ms.
Not part of the test suite, not run in CI. The figures go into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "debitum_bench"
IMPORT_TARGET_ROWS_PER_S = 50_000
AGING_TARGET_RATIO = 2.0
DUNNING_TARGET_S = 10.0
DUNNING_TARGET_RATIO = 3.0
MATCHING_TARGET_S = 5.0
MATCHING_TARGET_SHARE = 0.95
MATCHING_TARGET_WRONG = 0.001


def _fresh_postgres() -> str:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")
    return f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"


def _run_database(database: str, args) -> dict:
    work_dir = Path(tempfile.mkdtemp(prefix=f"debitum-bench-{database}-"))
    try:
        url = (
            f"sqlite:///{work_dir / 'bench.sqlite3'}" if database == "sqlite" else _fresh_postgres()
        )
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBITUM_HOME": str(work_dir),
            "DEBITUM_ENV": "development",
        }
        env.pop("DEBITUM_DEBUG", None)  # DEBUG keeps every query in memory
        result_file = work_dir / "result.json"
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            "--result",
            str(result_file),
            "--suite",
            args.suite,
            "--customers",
            str(args.customers),
            "--invoices-per-customer",
            str(args.invoices_per_customer),
            "--entries",
            str(args.entries),
        ]
        subprocess.run(command, env=env, check=True)
        return json.loads(result_file.read_text())
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


def _worker(args) -> None:
    import workload
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    work_dir = Path(args.result).parent
    if args.suite == "web" and args.web_step == "prepare":
        import web_load

        web_load.prepare(result=Path(args.result))
        return
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    ) as bar:
        if args.suite == "web":
            import web_load

            figures = web_load.build(
                customers=args.customers,
                open_invoices=int(args.customers * args.invoices_per_customer),
                progress=bar,
            )
        elif args.suite == "dunning":
            import dunning_workload

            figures = dunning_workload.run_on_open_ledger(
                customers=args.customers,
                open_invoices=int(args.customers * args.invoices_per_customer),
                progress=bar,
            )
        elif args.suite == "matching":
            import matching_workload

            figures = matching_workload.run(
                customers=args.customers,
                open_invoices=int(args.customers * args.invoices_per_customer),
                entries=args.entries,
                work_dir=work_dir,
                progress=bar,
            )
        else:
            figures = workload.run(
                customers=args.customers,
                invoices_per_customer=args.invoices_per_customer,
                work_dir=work_dir,
                progress=bar,
            )
    Path(args.result).write_text(json.dumps(figures, indent=2))


def _figures_table(title: str, results: list[dict]):
    """A table with a column per database, and `row(label, key, format)` to fill it."""
    from rich.table import Table

    table = Table(title=title)
    table.add_column("")
    for result in results:
        table.add_column(result["database"], justify="right")

    def row(label, key, fmt):
        table.add_row(label, *(fmt(result.get(key)) for result in results))

    return table, row


def _print_matching(results: list[dict], args) -> None:
    from rich.console import Console

    table, row = _figures_table(
        f"Statement matching: {args.entries:,} entries against "
        f"{int(args.customers * args.invoices_per_customer):,} open invoices of "
        f"{args.customers:,} customers ({os.cpu_count()} cores)",
        results,
    )

    row("entries", "entries", "{:,}".format)
    row("build the ledger (s)", "build_s", "{:.1f}".format)
    row("parse the camt.053 alone (s)", "parse_s", "{:.2f}".format)
    row(
        "statement import (s): parse, match, write",
        "import_s",
        lambda v: f"{v:.2f}" + (" ✓" if v <= MATCHING_TARGET_S else " ✗"),
    )
    row("entries per second", "entries_per_s", "{:,.0f}".format)
    row(
        "matched automatically",
        "automatic_share",
        lambda v: f"{v:.1%}" + (" ✓" if v >= MATCHING_TARGET_SHARE else " ✗"),
    )
    row(
        "wrong of the automatic matches",
        "wrong_share_of_automatic",
        lambda v: f"{v:.3%}" + (" ✓" if v < MATCHING_TARGET_WRONG else " ✗"),
    )
    Console().print(table)
    for result in results:
        phases = ", ".join(f"{k} {v:.2f}" for k, v in result["phases_s"].items())
        print(f"{result['database']}: outcomes {result['outcomes']}; phases (s): {phases}")
        for example in result["wrong_examples"]:
            print(f"  wrong: {example}")


def _print_dunning(results: list[dict], args) -> None:
    from rich.console import Console

    table, row = _figures_table(
        f"Dunning run: {int(args.customers * args.invoices_per_customer):,} open invoices "
        f"of {args.customers:,} customers ({os.cpu_count()} cores)",
        results,
    )

    row("build the ledger (s)", "build_s", "{:.1f}".format)
    row("due steps", "dunning_due_steps", "{:,}".format)
    row("floor: one SQL statement (s, median of 3)", "dunning_floor_seconds", "{:.2f}".format)
    row(
        "dry run (s, median of 3)",
        "dunning_dry_run_seconds",
        lambda v: f"{v:.2f}" + (" ✓" if v <= DUNNING_TARGET_S else " ✗"),
    )
    row("dry run: invoices per second", "dunning_dry_run_invoices_per_s", "{:,.0f}".format)
    row(
        "dry run / floor",
        "dunning_dry_run_ratio",
        lambda v: f"{v:.2f}x" + (" ✓" if v <= DUNNING_TARGET_RATIO else " ✗"),
    )
    row("communications", "dunning_dry_run_actions", "{:,}".format)
    row("real run: decide and write (s)", "dunning_decide_seconds", "{:.2f}".format)
    row(
        "execute one action: PDF + outbox (s)",
        "dunning_execute_seconds_per_action",
        "{:.3f}".format,
    )
    row(
        "execute all, one process (s, estimate)",
        "dunning_execute_all_seconds_estimate",
        "{:,.0f}".format,
    )
    Console().print(table)


def _print_web(figures: dict, args) -> None:
    from rich.console import Console
    from rich.table import Table

    server = figures["server"]
    prepared = figures["prepared"]
    table = Table(
        title=f"Web under load: {figures['parameters']['customers']:,} customers, "
        f"{prepared['invoices']:,} invoices, PostgreSQL; {server['processes']} waitress "
        f"process(es) x {server['threads']} threads, CONN_MAX_AGE {server['conn_max_age']}; "
        f"{server['cores']} cores, load generator on the same machine"
    )
    for column in ("", "alone p50 (ms)", "most (/s)", "rate (/s)", "achieved (/s)", "p50 (ms)",
                   "p99 (ms)", "max (ms)", "server CPU (ms/req, closed loop)", "PG CPU (ms/req)", "errors",
                   "other work (cores)", "load avg"):  # fmt: skip
        table.add_column(column, justify="left" if not column else "right")

    def ms(value):
        return "-" if value is None else f"{value:,.1f}"

    for result in figures["endpoints"]:
        target = result["target_p99_ms"]
        p99 = result["p99_ms"]
        mark = ""
        if target is not None:
            met = p99 is not None and p99 <= target and not result["saturated"]
            met = met and result["achieved_rate"] >= 0.98 * result["rate"]
            met = met and result["rate"] >= (result["target_rate"] or 0)
            mark = " ✓" if met else " ✗"
        table.add_row(
            result["endpoint"],
            ms(result["alone"]["p50_ms"]),
            ms(result["capacity"]["achieved_rate"]),
            f"{result['rate']:g}",
            ms(result["achieved_rate"]),
            ms(result["p50_ms"]),
            (f"> {ms(p99)}" if result["saturated"] else ms(p99)) + mark,
            ms(result["max_ms"]),
            ms(result["capacity"]["server_cpu_ms_per_request"]),
            ms(result["capacity"]["database_cpu_ms_per_request"]),
            str(sum(result["errors"].values())) if result["errors"] else "0",
            "-" if result["other_cores"] is None else f"{result['other_cores']:.2f}",
            " / ".join(f"{value:.2f}" for value in result["load_after"]),
        )
    Console(width=200).print(table)
    print(
        f"largest customer {prepared['largest_customer']}: {prepared['largest_invoices']:,} "
        f"invoices, open {prepared['largest_balance']:,.2f}; "
        + (
            f"built in {figures['build_s']:.0f} s {figures['build']}"
            if figures["built"]
            else "ledger reused"
        )  # fmt: skip
    )


def _print(results: list[dict], args) -> None:
    if args.suite == "matching":
        _print_matching(results, args)
        return
    if args.suite == "dunning":
        _print_dunning(results, args)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=f"Debitum benchmark: {args.customers:,} customers, ~{args.invoices_per_customer} invoices each "
        f"({os.cpu_count()} cores, Python {platform.python_version()})"
    )
    table.add_column("")
    for result in results:
        table.add_column(result["database"], justify="right")

    def row(label, key, fmt):
        table.add_row(label, *(fmt(result.get(key)) for result in results))

    row("invoice rows", "invoice_rows", "{:,}".format)
    row("payment rows", "payment_rows", "{:,}".format)
    row("generate (s)", "generate_s", "{:.1f}".format)
    row("customer import (s)", "customer_import_s", "{:.1f}".format)
    row("invoice CSV read (s)", "invoice_read_s", "{:.1f}".format)
    row("invoice read + import (s)", "invoice_read_and_import_s", "{:.1f}".format)
    row(
        "invoice import (rows/s)",
        "invoice_rows_per_s",
        lambda v: f"{v:,.0f}" + (" ✓" if v >= IMPORT_TARGET_ROWS_PER_S else " ✗"),
    )
    row("payment read + import (s)", "payment_read_and_import_s", "{:.1f}".format)
    row("aging report (s, median of 3)", "aging_s", "{:.2f}".format)
    row(
        "  its two reads one by one (s)",
        "aging_one_by_one_s",
        lambda v: f"{v:.2f}" if v is not None else "-",
    )
    row("  of which unapplied payments (s)", "unapplied_s", "{:.2f}".format)
    row("floor query (s, median of 3)", "floor_s", "{:.2f}".format)
    row("floor shape", "floor_shape", str)
    row(
        "aging / floor",
        "aging_to_floor",
        lambda v: f"{v:.2f}x" + (" ✓" if v <= AGING_TARGET_RATIO else " ✗"),
    )
    row("unapplied floor (s, median of 3)", "unapplied_floor_s", "{:.2f}".format)
    row("aging / (floor + unapplied floor)", "aging_to_both_floors", "{:.2f}x".format)
    Console().print(table)
    for result in results:
        print(f"{result['database']}: floors {result['floors_s']}, totals {result['totals']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--invoices-per-customer", type=float, default=10)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--suite",
        choices=["ledger", "matching", "dunning", "web"],
        default="ledger",
        help="ledger: import and aging (issue 2); matching: a statement against open invoices "
        "(issue 6); dunning: a dunning run over open invoices (issue 4); web: pages and API "
        "under load (issue 5, PostgreSQL only)",
    )
    parser.add_argument(
        "--entries", type=int, default=100_000, help="statement entries (--suite matching)"
    )
    web = parser.add_argument_group("--suite web")
    web.add_argument("--rate", type=float, default=200, help="requests a second per endpoint")
    web.add_argument("--dashboard-rate", type=float, default=0.2)
    web.add_argument("--seconds", type=float, default=30, help="measured, per endpoint")
    web.add_argument("--warmup", type=float, default=5, help="seconds at the rate, not measured")
    web.add_argument("--sequential", type=int, default=20, help="requests alone, per endpoint")
    web.add_argument(
        "--capacity-seconds", type=float, default=10, help="closed loop, one client per thread"
    )
    web.add_argument("--server-processes", type=int, default=1)
    web.add_argument("--threads", type=int, default=8, help="waitress threads per process")
    web.add_argument("--conn-max-age", type=int, default=600)
    web.add_argument("--max-connections", type=int, default=100)
    web.add_argument("--timeout", type=float, default=10, help="a slower answer stops the phase")
    web.add_argument("--port", type=int, default=8400)
    web.add_argument("--endpoints", help="comma-separated words of the endpoints to run")
    web.add_argument(
        "--rates", help="a rate per endpoint, by a word of its name: 'work list=0.2,API=25'"
    )
    web.add_argument("--rebuild", action="store_true", help="build the ledger even if it exists")
    web.add_argument("--web-step", default="build", help=argparse.SUPPRESS)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args)
        return 0
    if args.suite == "web":
        import web_load

        figures = web_load.run(args)
        _print_web(figures, args)
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2))
        return 0
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = [_run_database(database, args) for database in databases]
    _print(results, args)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
