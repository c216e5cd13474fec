"""The web benchmark (issue 5, item 9): response times of the pages and the API under load,
with 100k customers and 1M invoices in a PostgreSQL database of its own.

Three kinds of process, as in production on one machine:
- a builder (once; reused while its parameters and BUILD_VERSION stay the same): the matching
  benchmark's ledger (`matching_workload.build`: 100,000 customers, 1,000,000 invoices), then
  a key account (every thousandth invoice moves to customer C000001, so the largest dossier
  holds about a thousand open invoices), payments (a tenth of the invoices paid in full,
  a tenth half paid: 200,000 payments and allocations), open and broken promises, open tasks,
  the default dunning policies and one dunning run that decides and writes its actions
  (about 100,000 actions over 900,000 invoices), then VACUUM ANALYZE;
- the server: `debitum serve` (waitress) in one or more processes, DEBITUM_ENV=production,
  persistent database connections (DEBITUM_CONN_MAX_AGE);
- the load generator, this process: a constant-rate (open-loop) generator in asyncio over
  HTTP/1.1 keep-alive connections. Each request has a scheduled send time (start + i / rate)
  and its latency is measured from that time, not from when a connection was free, so a
  server that falls behind shows in the figures instead of slowing the load down
  (coordinated omission). wrk, which Debian has, is closed-loop and cannot hold a rate; wrk2
  is not packaged.

Endpoints: the work list, the dossier of the largest customer by open balance (the key
account) and of a typical one (ten invoices), the invoice list API (first page and a keyset page
at 90% of the table, 100 invoices each) and the dashboard.

Per endpoint: the service time alone (sequential requests), the most the servers answer in a
second (a closed loop, one client per server thread, with the CPU time per request of the
server processes and of their PostgreSQL backends, and the CPU the rest of the machine used
meanwhile), then the constant rate (a warm-up, then the measured seconds): median, p99, max and
the rate achieved. A phase stops early when a response takes longer than `timeout` (the server
is saturated: the p99 shown is then a lower bound); the servers are then restarted and the
database's backends ended, so the next endpoint does not inherit the backlog.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "debitum_bench_web"
BUILD_VERSION = 1  # raise when the builder changes: the next run builds again
ADMINISTRATION = "BENCH"
USERNAME = "bench"
PASSWORD = "bench-web-load"
KEY_ACCOUNT = "C000001"
KEY_ACCOUNT_EVERY = 1000  # every thousandth invoice belongs to the key account
TYPICAL_CUSTOMER = "C000002"  # ten invoices, as most customers have
AS_OF = dt.date(2026, 6, 30)  # the ledger's date (matching_workload.BOOKING_DATE)
TARGET_PAGE_P99_MS = 100.0
TARGET_API_P99_MS = 50.0
TARGET_RATE = 200.0
SEQUENTIAL_SECONDS = 30.0
CLOSED_LOOP_TIMEOUT_S = 300.0  # the work list and the dashboard take seconds each


# The builder and the preparation run in a Django process of their own (run.py --worker).


def build(*, customers: int, open_invoices: int, progress) -> dict:
    """The web benchmark's ledger in the database the environment names (see the docstring)."""
    from matching_workload import _setup
    from matching_workload import build as build_open_ledger

    _setup()
    from django.db import connection, transaction

    from debitum.customers.models import Customer
    from debitum.dunning.policy_services import policies_install_defaults
    from debitum.dunning.services import dunning_run
    from debitum.promises.models import Promise
    from debitum.tasks.models import Task

    seconds: dict[str, float] = {}
    started = time.perf_counter()
    administration, _ = build_open_ledger(
        customers=customers, open_invoices=open_invoices, progress=progress
    )
    seconds["invoices"] = time.perf_counter() - started
    key = Customer.objects.get(administration=administration, number=KEY_ACCOUNT)
    params = {"administration": administration.pk, "as_of": AS_OF, "key": key.pk}
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE ledger_invoice SET customer_id = %(key)s
                 WHERE administration_id = %(administration)s AND id %% {KEY_ACCOUNT_EVERY} = 0""",
            params,
        )
        # A tenth of the invoices paid in full, a tenth half paid, between 15 days before and
        # 15 days after their due date, never after the ledger's date.
        cursor.execute(
            """INSERT INTO ledger_payment (administration_id, customer_id, payment_date, currency,
                       amount_cents, reference, invoice_number, fingerprint, created_at)
               SELECT administration_id, customer_id,
                      LEAST(due_date + CAST(id %% 31 - 15 AS integer), CAST(%(as_of)s AS date)),
                      currency,
                      CASE WHEN id %% 10 = 1 THEN amount_cents ELSE amount_cents / 2 END,
                      reference, number, 'bench-web-' || id, now()
                 FROM ledger_invoice
                WHERE administration_id = %(administration)s AND id %% 10 IN (1, 2)""",
            params,
        )
        cursor.execute(
            """INSERT INTO ledger_allocation (administration_id, invoice_id, payment_id,
                       amount_cents, allocation_date, created_at)
               SELECT p.administration_id, i.id, p.id, p.amount_cents, p.payment_date, now()
                 FROM ledger_payment p
                 JOIN ledger_invoice i ON i.administration_id = p.administration_id
                                      AND i.number = p.invoice_number
                WHERE p.administration_id = %(administration)s""",
            params,
        )
        customer_ids = list(
            Customer.objects.filter(administration=administration)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        tasks, promises = [], []
        for n, customer_id in enumerate(customer_ids):
            if n % 20 == 3:  # 5,000 open tasks due
                tasks.append(
                    Task(
                        administration=administration,
                        customer_id=customer_id,
                        kind="follow_up",
                        title="Call about the open invoices",
                        due_date=AS_OF - dt.timedelta(days=n % 10),
                    )
                )
            if n % 50 == 7:  # 2,000 promises broken in the last month
                promises.append(
                    Promise(
                        administration=administration,
                        customer_id=customer_id,
                        promise_date=AS_OF - dt.timedelta(days=40),
                        promised_date=AS_OF - dt.timedelta(days=20),
                        amount=100,
                        currency="EUR",
                        status="broken",
                        closed_date=AS_OF - dt.timedelta(days=n % 25),
                    )
                )
        Task.objects.bulk_create(tasks, batch_size=5000)
        Promise.objects.bulk_create(promises, batch_size=5000)
    seconds["payments, tasks, promises"] = time.perf_counter() - started
    started = time.perf_counter()
    policies_install_defaults(administration=administration)
    run = dunning_run(administration=administration, as_of=AS_OF, execute=False)
    seconds["dunning run"] = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    seconds["vacuum analyze"] = time.perf_counter() - started
    return {"seconds": seconds, "dunning_actions": len(run.actions)}


def prepare(*, result: Path) -> None:
    """Migrate (a reused database gets the new migrations), make sure the benchmark's user
    exists with its role, create an API token, and find what the load asks for: the largest
    customer by open balance and the cursor of a deep page of the invoice list."""
    from matching_workload import _setup

    _setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from debitum.administrations.models import Administration
    from debitum.administrations.services import membership_grant, user_create
    from debitum.api.tokens import token_create
    from debitum.ledger.selectors import OPEN_ITEMS_SQL

    administration = Administration.objects.get(code=ADMINISTRATION)
    user = get_user_model().objects.filter(username=USERNAME).first()
    if user is None:
        user = user_create(username=USERNAME, password=PASSWORD, email="")
        membership_grant(user=user, administration=administration, role="controller")
    _row, token = token_create(user=user, name="bench-web")
    params = {"administration": administration.pk, "as_of": AS_OF}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT c.number, SUM(o.open_cents) FROM ({OPEN_ITEMS_SQL}) o
                  JOIN customers_customer c ON c.id = o.customer_id
                 GROUP BY c.number ORDER BY SUM(o.open_cents) DESC LIMIT 1""",
            params,
        )
        largest, balance_cents = cursor.fetchone()
        cursor.execute(
            "SELECT COUNT(*) FROM ledger_invoice i WHERE i.administration_id = %(administration)s "
            "AND i.customer_id = (SELECT id FROM customers_customer WHERE administration_id = "
            "%(administration)s AND number = %(number)s)",
            {**params, "number": largest},
        )
        (largest_invoices,) = cursor.fetchone()
        cursor.execute(
            "SELECT COUNT(*) FROM ledger_invoice WHERE administration_id = %(administration)s",
            params,
        )
        (invoices,) = cursor.fetchone()
        cursor.execute(
            "SELECT id FROM ledger_invoice WHERE administration_id = %(administration)s "
            "ORDER BY id OFFSET %(offset)s LIMIT 1",
            {**params, "offset": invoices * 9 // 10},
        )
        (deep_cursor,) = cursor.fetchone()
    result.write_text(
        json.dumps(
            {
                "token": token,
                "largest_customer": largest,
                "largest_balance": int(balance_cents) / 100,
                "largest_invoices": largest_invoices,
                "invoices": invoices,
                "deep_cursor": str(deep_cursor),
            }
        )
    )


# The load generator: plain asyncio, HTTP/1.1 keep-alive.


class HttpError(Exception):
    pass


class Connection:
    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return cls(reader, writer)

    async def exchange(self, request: bytes) -> tuple[int, dict[str, str], bytes]:
        """Send one request, read one response: status, headers (lower-case), body."""
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers: dict[str, str] = {}
        cookies = []
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                name = name.strip().lower()
                if name == "set-cookie":
                    cookies.append(value.strip())
                headers[name] = value.strip()
        headers["set-cookie"] = "\n".join(cookies)
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readline()
                    break
                parts.append(await self.reader.readexactly(size + 2))
            body = b"".join(part[:-2] for part in parts)
        else:
            body = await self.reader.read()
        if headers.get("connection", "").lower() == "close":
            self.close()
            self.writer = None
        return status, headers, body

    def close(self):
        if self.writer is not None:
            self.writer.close()


def _request(method: str, path: str, port: int, headers: dict[str, str], body: bytes = b""):
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Accept-Encoding: identity"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _cookie(set_cookie: str, name: str) -> str:
    match = re.search(rf"(?:^|\n){name}=([^;]*)", set_cookie)
    if not match:
        raise HttpError(f"no {name} cookie in {set_cookie!r}")
    return match.group(1)


async def login(port: int) -> str:
    """A session cookie, by the login form as a browser sends it."""
    connection = await Connection.open(port)
    try:
        status, headers, body = await connection.exchange(_request("GET", "/login/", port, {}))
        if status != 200:
            raise HttpError(f"GET /login/: {status}")
        csrf = _cookie(headers["set-cookie"], "csrftoken")
        middleware_token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        form = urlencode(
            {
                "username": USERNAME,
                "password": PASSWORD,
                "csrfmiddlewaretoken": middleware_token.group(1).decode(),
            }
        ).encode()
        status, headers, _ = await connection.exchange(
            _request(
                "POST",
                "/login/",
                port,
                {
                    "Cookie": f"csrftoken={csrf}",
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://127.0.0.1:{port}/login/",
                },
                form,
            )
        )
        if status != 302:
            raise HttpError(f"POST /login/: {status}, not the redirect of a login")
        return f"sessionid={_cookie(headers['set-cookie'], 'sessionid')}; csrftoken={csrf}"
    finally:
        connection.close()


@dataclass
class Endpoint:
    name: str
    path: str
    headers: dict[str, str]
    rate: float  # requests a second
    target_ms: float | None  # the p99 target, if any
    expect: bytes  # something the answer must contain


@dataclass
class Phase:
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    sent: int = 0
    seconds: float = 0.0
    saturated: bool = False
    server_cpu_s: float = 0.0
    database_cpu_s: float = 0.0
    generator_cpu_s: float = 0.0
    other_cpu_s: float = 0.0  # what the rest of the machine used meanwhile
    load_before: tuple = ()
    load_after: tuple = ()

    def percentile(self, share: float) -> float | None:
        if not self.latencies_ms:
            return None
        ordered = sorted(self.latencies_ms)
        # Nearest rank: the smallest latency that at least `share` of the requests beat.
        rank = max(1, -(-len(ordered) * share // 1))
        return ordered[int(rank) - 1]


class Servers:
    """`debitum serve` in `processes` processes on consecutive ports; requests go to them in
    turn, as a proxy in front would spread them."""

    def __init__(self, *, processes: int, threads: int, conn_max_age: int, port: int, env):
        self.ports = [port + n for n in range(processes)]
        self.threads, self.conn_max_age, self.env = threads, conn_max_age, env
        self.processes: list[subprocess.Popen] = []

    def start(self) -> None:
        debitum = str(Path(sys.executable).parent / "debitum")
        log = Path(self.env["DEBITUM_HOME"]) / "serve.log"
        for port in self.ports:
            command = [debitum, "serve", "--port", str(port), "--threads", str(self.threads)]
            with log.open("a") as output:  # waitress's "Task queue depth" warnings go here
                self.processes.append(
                    subprocess.Popen(
                        command,
                        env={**self.env, "DEBITUM_CONN_MAX_AGE": str(self.conn_max_age)},
                        stdout=output,
                        stderr=subprocess.STDOUT,
                    )
                )
        deadline = time.monotonic() + 60
        for port in self.ports:
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"debitum serve did not listen on {port}") from None
                    time.sleep(0.2)

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = []
        # A query runs on after its server is gone (PostgreSQL notices the closed connection
        # when it sends the result): a saturated phase would leave its backlog running.
        with _postgres() as connection:
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (DATABASE,),
            )

    def restart(self) -> None:
        self.stop()
        self.start()

    def cpu_seconds(self) -> float:
        return sum(_process_cpu(process.pid) for process in self.processes)


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all cores, Linux /proc/stat)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _meter(servers) -> tuple[float, float, float, float]:
    own = os.times()
    return (
        _machine_busy(),
        servers.cpu_seconds(),
        _database_cpu(),
        own.user + own.system,  # the load generator
    )


def _measured(phase: Phase, before: tuple, after: tuple) -> None:
    """The CPU of a phase: the servers', their database backends', and what the rest of the
    machine used meanwhile (other work on it: the figures' noise)."""
    busy, server, database, generator = (b - a for a, b in zip(before, after, strict=True))
    phase.server_cpu_s, phase.database_cpu_s, phase.generator_cpu_s = server, database, generator
    phase.other_cpu_s = max(0.0, busy - server - database - generator)


def _database_backends() -> list[int]:
    """The PostgreSQL backends connected to the benchmark's database: with persistent
    connections, one per server thread that has served a request."""
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        return [
            row[0]
            for row in connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (DATABASE,),
            )
        ]


def _database_cpu() -> float:
    """CPU seconds of the PostgreSQL backends connected to the benchmark's database."""
    return sum(_process_cpu(pid) for pid in _database_backends())


class Load:
    def __init__(self, ports: list[int], *, max_connections: int, timeout_s: float):
        self.ports = ports
        self.max_connections = max_connections
        self.timeout_s = timeout_s
        self.idle: dict[int, deque] = {port: deque() for port in ports}

    def close(self) -> None:
        for pool in self.idle.values():
            while pool:
                pool.pop().close()

    async def one(
        self, endpoint: Endpoint, port: int, timeout_s: float | None = None
    ) -> tuple[int, bytes]:
        pool = self.idle[port]
        connection = pool.pop() if pool else await Connection.open(port)
        try:
            status, _headers, body = await asyncio.wait_for(
                connection.exchange(_request("GET", endpoint.path, port, endpoint.headers)),
                timeout_s or self.timeout_s,
            )
        except BaseException:
            connection.close()
            raise
        if connection.writer is not None:
            pool.append(connection)
        return status, body

    async def sequential(self, endpoint: Endpoint, count: int) -> Phase:
        """`count` requests one after the other: the service time with nothing else running."""
        phase = Phase(load_before=os.getloadavg())
        began = time.perf_counter()
        for n in range(count):
            started = time.perf_counter()
            status, body = await self.one(endpoint, self.ports[n % len(self.ports)])
            phase.latencies_ms.append((time.perf_counter() - started) * 1000)
            if status != 200 or endpoint.expect not in body:
                phase.errors[status] += 1
            phase.sent += 1
            if n >= 2 and time.perf_counter() - began > SEQUENTIAL_SECONDS:
                break  # a slow page: three or more answers within half a minute will do
        phase.seconds = time.perf_counter() - began
        phase.load_after = os.getloadavg()
        return phase

    async def closed_loop(self, endpoint: Endpoint, seconds: float, connections: int) -> Phase:
        """`connections` clients that each send the next request when the last is answered
        (what wrk does): the most the servers answer in a second, not a latency. A request
        still running at the end is waited for, and the phase lasts until then."""
        loop = asyncio.get_running_loop()
        phase = Phase(load_before=os.getloadavg())
        started = loop.time()
        deadline = started + seconds

        async def client(n: int) -> None:
            while loop.time() < deadline:
                sent = loop.time()
                try:
                    status, body = await self.one(
                        endpoint, self.ports[n % len(self.ports)], CLOSED_LOOP_TIMEOUT_S
                    )
                except (TimeoutError, OSError, asyncio.IncompleteReadError, HttpError) as error:
                    phase.errors[type(error).__name__] += 1
                    return
                phase.latencies_ms.append((loop.time() - sent) * 1000)
                if status != 200 or endpoint.expect not in body:
                    phase.errors[status] += 1

        await asyncio.gather(*(client(n) for n in range(connections)))
        phase.sent = len(phase.latencies_ms)
        phase.seconds = loop.time() - started
        phase.load_after = os.getloadavg()
        return phase

    async def constant_rate(self, endpoint: Endpoint, seconds: float) -> Phase:
        """Requests sent at `endpoint.rate` a second for `seconds`, each timed from its
        scheduled send time."""
        loop = asyncio.get_running_loop()
        phase = Phase(load_before=os.getloadavg())
        slots = asyncio.Semaphore(self.max_connections)
        interval = 1.0 / endpoint.rate
        count = max(1, int(endpoint.rate * seconds))
        stop = asyncio.Event()

        async def send(n: int, scheduled: float) -> None:
            try:
                async with slots:
                    if stop.is_set():
                        return
                    status, body = await self.one(endpoint, self.ports[n % len(self.ports)])
                latency = loop.time() - scheduled
                if latency > self.timeout_s:
                    stop.set()
                phase.latencies_ms.append(latency * 1000)
                if status != 200 or endpoint.expect not in body:
                    phase.errors[status] += 1
            except TimeoutError:
                # Counted at what it had waited when given up: a lower bound of its latency.
                phase.latencies_ms.append((loop.time() - scheduled) * 1000)
                phase.errors["timeout"] += 1
                stop.set()
            except (OSError, asyncio.IncompleteReadError, HttpError) as error:
                phase.errors[type(error).__name__] += 1

        started = loop.time() + 0.01
        tasks = []
        for n in range(count):
            scheduled = started + n * interval
            delay = scheduled - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            if stop.is_set():
                break
            tasks.append(asyncio.create_task(send(n, scheduled)))
        phase.sent = len(tasks)
        if stop.is_set():
            phase.saturated = True
        await asyncio.gather(*tasks, return_exceptions=True)
        if stop.is_set():
            phase.saturated = True
            self.close()
        phase.seconds = loop.time() - started
        phase.load_after = os.getloadavg()
        return phase


# The orchestration, in run.py's process.


def _postgres(dbname: str = "postgres"):
    import psycopg

    return psycopg.connect(f"{POSTGRES_SERVER}/{dbname}", autocommit=True)


def _built_with(parameters: dict) -> bool:
    """Whether the benchmark's database holds a finished build with these parameters."""
    import psycopg

    try:
        with _postgres(DATABASE) as connection:
            row = connection.execute("SELECT parameters FROM bench_web_build").fetchone()
    except psycopg.Error:
        return False
    return row is not None and json.loads(row[0]) == parameters


def _worker_command(step: str, result: Path, args) -> list[str]:
    return [
        sys.executable,
        str(HERE / "run.py"),
        "--worker",
        "--suite",
        "web",
        "--web-step",
        step,
        "--result",
        str(result),
        "--customers",
        str(args.customers),
        "--invoices-per-customer",
        str(args.invoices_per_customer),
    ]


def _environment(home: Path) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"{POSTGRES_SERVER}/{DATABASE}",
        "DEBITUM_HOME": str(home),
        "DEBITUM_ENV": "production",
        "DEBITUM_SECRET_KEY": secrets.token_urlsafe(50),
        "DEBITUM_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    env.pop("DEBITUM_DEBUG", None)  # DEBUG keeps every query in memory
    return env


def _summary(phase: Phase) -> dict:
    completed = len(phase.latencies_ms)
    return {
        "requests": completed,
        "sent": phase.sent,
        "errors": dict(phase.errors),
        "p50_ms": phase.percentile(0.5),
        "p99_ms": phase.percentile(0.99),
        "max_ms": max(phase.latencies_ms) if phase.latencies_ms else None,
        "mean_ms": statistics.fmean(phase.latencies_ms) if phase.latencies_ms else None,
        "achieved_rate": completed / phase.seconds if phase.seconds else None,
        "saturated": phase.saturated,
        "server_cpu_ms_per_request": phase.server_cpu_s * 1000 / completed if completed else None,
        "database_cpu_ms_per_request": phase.database_cpu_s * 1000 / completed
        if completed
        else None,
        "generator_cpu_ms_per_request": phase.generator_cpu_s * 1000 / completed
        if completed
        else None,
        # Cores busy with other work on the machine during the phase, on average.
        "other_cores": phase.other_cpu_s / phase.seconds if phase.seconds else None,
        "load_before": phase.load_before,
        "load_after": phase.load_after,
    }


def run(args) -> dict:
    """Build or reuse the ledger, start the servers, log in, and load each endpoint."""
    parameters = {
        "version": BUILD_VERSION,
        "customers": args.customers,
        "invoices": int(args.customers * args.invoices_per_customer),
    }
    home = Path(tempfile.mkdtemp(prefix="debitum-bench-web-"))
    env = _environment(home)
    figures: dict = {"database": "postgresql", "parameters": parameters, "built": False}
    if args.rebuild or not _built_with(parameters):
        with _postgres() as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {DATABASE}")
        result = home / "build.json"
        started = time.perf_counter()
        subprocess.run(_worker_command("build", result, args), env=env, check=True)
        figures["build_s"] = time.perf_counter() - started
        figures["build"] = json.loads(result.read_text())
        figures["built"] = True
        with _postgres(DATABASE) as connection:
            connection.execute("CREATE TABLE bench_web_build (parameters text)")
            connection.execute("INSERT INTO bench_web_build VALUES (%s)", (json.dumps(parameters),))
    result = home / "prepare.json"
    subprocess.run(_worker_command("prepare", result, args), env=env, check=True)
    prepared = json.loads(result.read_text())
    figures["prepared"] = {key: value for key, value in prepared.items() if key != "token"}

    servers = Servers(
        processes=args.server_processes,
        threads=args.threads,
        conn_max_age=args.conn_max_age,
        port=args.port,
        env=env,
    )
    figures["server"] = {
        "processes": args.server_processes,
        "threads": args.threads,
        "conn_max_age": args.conn_max_age,
        "cores": os.cpu_count(),
    }
    figures["endpoints"] = asyncio.run(_drive(servers, prepared, args))
    return figures


def _endpoints(prepared: dict, session: str, args) -> list[Endpoint]:
    code, as_of = ADMINISTRATION, AS_OF.isoformat()
    page = {"Cookie": session}
    api = {"Authorization": f"Bearer {prepared['token']}"}
    largest = prepared["largest_customer"]
    return [
        Endpoint(
            "work list",
            f"/collect/{code}/worklist/?as_of={as_of}",
            page,
            args.rate,
            TARGET_PAGE_P99_MS,
            b"worklist",
        ),
        Endpoint(
            f"dossier of {largest} (largest)",
            f"/collect/{code}/customers/{largest}/",
            page,
            args.rate,
            TARGET_PAGE_P99_MS,
            largest.encode(),
        ),
        Endpoint(
            f"dossier of {TYPICAL_CUSTOMER} (typical)",
            f"/collect/{code}/customers/{TYPICAL_CUSTOMER}/",
            page,
            args.rate,
            None,
            TYPICAL_CUSTOMER.encode(),
        ),
        Endpoint(
            "invoice list API, first page",
            f"/api/administrations/{code}/invoices?as_of={as_of}",
            api,
            args.rate,
            TARGET_API_P99_MS,
            b'"next"',
        ),
        Endpoint(
            "invoice list API, deep page",
            f"/api/administrations/{code}/invoices?as_of={as_of}&after={prepared['deep_cursor']}",
            api,
            args.rate,
            TARGET_API_P99_MS,
            b'"next"',
        ),
        Endpoint(
            "dashboard",
            f"/reports/{code}/dashboard/?as_of={as_of}",
            page,
            args.dashboard_rate,
            None,
            b"dashboard",
        ),
    ]


def _rates(text: str | None) -> dict[str, float]:
    """`work list=0.2,API=25`: the rate of the endpoints whose name holds the words."""
    rates = {}
    for part in (text or "").split(","):
        if part.strip():
            word, rate = part.rsplit("=", 1)
            rates[word.strip()] = float(rate)
    return rates


async def _drive(servers: Servers, prepared: dict, args) -> list[dict]:
    servers.start()
    results = []
    try:
        session = await login(servers.ports[0])
        wanted = set(args.endpoints.split(",")) if args.endpoints else None
        for endpoint in _endpoints(prepared, session, args):
            if wanted and not any(word in endpoint.name for word in wanted):
                continue
            for word, rate in _rates(args.rates).items():
                if word in endpoint.name:
                    endpoint.rate = rate
            load = Load(servers.ports, max_connections=args.max_connections,
                        timeout_s=args.timeout)  # fmt: skip
            # The service time alone, which also opens a database connection in each server
            # thread that the load will use.
            alone = await load.sequential(endpoint, args.sequential)
            before = _meter(servers)
            capacity = await load.closed_loop(
                endpoint, args.capacity_seconds, args.server_processes * args.threads
            )
            # Every request of the closed loop is answered: its CPU per request is the cost of
            # one request (a saturated constant-rate phase also works on what it gave up on).
            _measured(capacity, before, _meter(servers))
            backends = _database_backends()
            if (await load.constant_rate(endpoint, args.warmup)).saturated:
                servers.restart()
                load = Load(servers.ports, max_connections=args.max_connections,
                            timeout_s=args.timeout)  # fmt: skip
            before = _meter(servers)
            phase = await load.constant_rate(endpoint, args.seconds)
            _measured(phase, before, _meter(servers))
            load.close()
            result = {
                "endpoint": endpoint.name,
                "path": endpoint.path.replace(prepared["token"], "…"),
                "rate": endpoint.rate,
                "seconds": args.seconds,
                "target_p99_ms": endpoint.target_ms,
                # The pages' target holds at 200 a second or more; the API's names no rate.
                "target_rate": TARGET_RATE if endpoint.target_ms == TARGET_PAGE_P99_MS else None,
                "alone": _summary(alone),
                "capacity": {
                    **_summary(capacity),
                    "connections": args.server_processes * args.threads,
                    "database_backends": len(backends),
                },
                **_summary(phase),
            }
            results.append(result)
            _report_line(result)
            if phase.saturated:
                servers.restart()  # its backlog would still run when the next one starts
    finally:
        servers.stop()
    return results


def _report_line(result: dict) -> None:
    def ms(value):
        return "-" if value is None else f"{value:,.1f}"

    print(
        f"{result['endpoint']}: alone p50 {ms(result['alone']['p50_ms'])} ms; at most "
        f"{ms(result['capacity']['achieved_rate'])}/s; at "
        f"{result['rate']:g}/s: p50 {ms(result['p50_ms'])} ms, p99 {ms(result['p99_ms'])} ms, "
        f"{result['requests']} of {result['sent']} sent"
        + (" (saturated)" if result["saturated"] else "")
        + (f", errors {result['errors']}" if result["errors"] else ""),
        flush=True,
    )
