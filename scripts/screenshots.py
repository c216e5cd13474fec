"""The screenshots in docs/screenshots/, made from the demo administration.

    scripts/screenshots [--output DIR] [--keep]

Builds the demo (`debitum demo`) in a temporary DEBITUM_HOME, gives it three weeks of
collections through the command line as a controller would (two dunning runs, promises, one of
them broken, a dispute, the day's bank statement), starts `debitum serve` and drives Debian's
Chromium with Playwright (headless; Playwright never downloads a browser here) through the
pages: login, dashboard, aging, work list, a dossier worked in place (a call logged), the
preview of today's dunning run, an import with an error, the outbox, a statement's upload
preview and the reconciliation queue, at laptop size (1440x900), in English, with a few pages
in Dutch and one at tablet size (768x1024).

The data follow from the demo's seed and today's date; the pages are what `debitum serve`
shows of them, nothing is staged in the database behind the application's back.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEBITUM = ROOT / ".venv" / "bin" / "debitum"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CODE = "DEMO"
USER, PASSWORD = "demo", "demo-debitum"  # debitum.demo.services: the demo's own login
LAPTOP = {"width": 1440, "height": 900}
TABLET = {"width": 768, "height": 1024}


def debitum(home: Path, *args: str) -> str:
    """Run the `debitum` command in the screenshots' home; its output, or stop with its error."""
    env = {**os.environ, "DEBITUM_HOME": str(home)}
    env.pop("DATABASE_URL", None)  # always the temporary SQLite file, never a real database
    done = subprocess.run([str(DEBITUM), *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"debitum {' '.join(args)} failed:\n{done.stderr or done.stdout}")
    return done.stdout


def build(home: Path, today: dt.date) -> dict:
    """The demo, then three weeks of a controller's work on it. Returns what the pages need."""
    print("building the demo ...", flush=True)
    debitum(home, "init")
    summary = debitum(home, "demo", "--administration", CODE)
    statement = next(
        line.split("statement ", 1)[1].split(" --administration")[0]
        for line in summary.splitlines()
        if "debitum import statement" in line
    )

    def day(days_ago: int) -> str:
        return (today - dt.timedelta(days=days_ago)).isoformat()

    print("three weeks of collections ...", flush=True)
    debitum(home, "dunning", "run", "--administration", CODE, "--as-of", day(21))
    # Twelve days ago the two customers with the most 90+ promised to pay it within the week,
    # and a third for next week; the run of a week ago left them alone for it.
    aging = json.loads(
        debitum(home, "report", "aging", "--administration", CODE, "--format", "json",
                "--as-of", day(12))
    )  # fmt: skip
    oldest = sorted(aging["customers"], key=lambda row: -float(row["90+"]))[:3]
    for row, promised_date in zip(oldest, (day(6), day(5), day(-7)), strict=True):
        debitum(
            home, "promise", "add", "--administration", CODE, "--customer",
            row["customer_number"], "--amount", row["90+"], "--date", promised_date,
            "--as-of", day(12),
        )  # fmt: skip
    debitum(home, "dunning", "run", "--administration", CODE, "--as-of", day(7))
    debitum(home, "promise", "review", "--administration", CODE)  # today: two are broken

    # This morning the largest customer of today's run disputed the quality of an invoice.
    preview = json.loads(
        debitum(home, "dunning", "run", "--administration", CODE, "--dry-run", "--format", "json")
    )
    actions = sorted(preview["actions"], key=lambda action: -float(action["principal"]))
    disputed = next(action for action in actions if action["kind"] in ("demand", "reminder"))
    debitum(
        home, "dispute", "open", "--administration", CODE,
        "--invoice", disputed["invoices"][0], "--reason", "quality",
        "--note", "Pallets arrived damaged; photos asked for",
    )  # fmt: skip
    return {"statement": Path(statement), "dossier": disputed["customer_number"]}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(home: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "DEBITUM_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [str(DEBITUM), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=1)
            return server
        except OSError:
            if server.poll() is not None:
                sys.exit(f"debitum serve stopped: {server.stderr.read()}")
            time.sleep(0.2)
    server.terminate()
    sys.exit("debitum serve did not answer within 20 seconds")


def invoice_file_with_an_error(folder: Path, customer_number: str, today: dt.date) -> Path:
    """An ERP's export with two mistakes a person makes: an amount with three decimals and a
    due date before the invoice date."""
    due = (today + dt.timedelta(days=30)).isoformat()
    path = folder / "invoices-erp-export.csv"
    path.write_text(
        "customer_number,invoice_number,invoice_date,due_date,amount\n"
        f"{customer_number},F-ERP-1001,{today},{due},1249.50\n"
        f"{customer_number},F-ERP-1002,{today},{due},12.345\n"
        f"{customer_number},F-ERP-1003,{today},{(today - dt.timedelta(days=5))},310.00\n"
        f"{customer_number},F-ERP-1004,{today},{due},86.20\n"
    )
    return path


def shoot(home: Path, base: str, output: Path, data: dict, today: dt.date) -> None:
    from playwright.sync_api import expect, sync_playwright

    def snap(page, name: str, height: int | None = None) -> None:
        """The window, or the page from its top down to `height` pixels (or its end)."""
        page.wait_for_load_state("networkidle")
        options = {}
        if height:
            width = page.viewport_size["width"]
            bottom = page.evaluate("document.documentElement.scrollHeight")
            options = {"full_page": True, "clip": {"x": 0, "y": 0, "width": width,
                                                    "height": min(height, bottom)}}  # fmt: skip
        page.screenshot(path=str(output / name), **options)
        print(f"  {output / name}", flush=True)

    def log_in(page) -> None:
        page.goto(f"{base}/login/")
        page.locator("#id_username").fill(USER)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("form.form button[type=submit]").click()
        expect(page).to_have_url(f"{base}/reports/{CODE}/dashboard/")

    def language(page, code: str) -> None:
        page.locator(f"form.language button[value={code}]").click()
        page.wait_for_load_state("networkidle")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=LAPTOP, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(30_000)

        page.goto(f"{base}/login/")
        page.locator("#id_username").fill(USER)
        page.locator("#id_password").fill(PASSWORD)
        snap(page, "login.png")
        page.locator("form.form button[type=submit]").click()
        expect(page).to_have_url(f"{base}/reports/{CODE}/dashboard/")
        language(page, "en")
        snap(page, "dashboard.png", height=2400)

        page.goto(f"{base}/reports/{CODE}/aging/")
        snap(page, "aging.png")

        page.goto(f"{base}/collect/{CODE}/worklist/")
        expect(page.get_by_test_id("worklist")).to_be_visible()
        snap(page, "worklist.png")

        # The dossier of the disputed customer, with a call logged in place.
        dossier = f"{base}/collect/{CODE}/customers/{data['dossier']}/"
        page.goto(dossier)
        page.locator("[data-testid=actions] button").first.click()  # Log a call
        form = page.get_by_test_id("form-call")
        form.locator("select[name=outcome]").select_option("reached")
        form.locator("textarea[name=text]").fill(
            "Spoke to accounts payable: the damaged pallets are the only issue, "
            "the other invoices will be paid this week."
        )
        form.locator("button[type=submit]").click()
        expect(page.get_by_test_id("form-call").locator(".message--success")).to_be_visible()
        page.goto(dossier)
        snap(page, "dossier.png", height=1900)

        page.goto(f"{base}/collect/{CODE}/dunning/")
        expect(page.get_by_test_id("preview-table")).to_be_visible()
        snap(page, "dunning-run.png")

        page.goto(f"{base}/collect/{CODE}/imports/")
        page.locator("select[name=kind]").select_option("invoices")
        page.locator("input[type=file]").set_input_files(
            str(invoice_file_with_an_error(home, data["dossier"], today))
        )
        page.locator("form[enctype] button[type=submit]").click()
        expect(page.locator("#import-preview")).to_be_visible()
        snap(page, "import-preview.png")

        page.goto(f"{base}/collect/{CODE}/outbox/")
        expect(page.get_by_test_id("outbox-table")).to_be_visible()
        snap(page, "outbox.png")

        # The demo's statement: what would become of each entry, then imported on the command
        # line and what waits for a person in the queue.
        page.goto(f"{base}/bank/{CODE}/statements/")
        page.get_by_test_id("statement-upload").locator("input[type=file]").set_input_files(
            str(data["statement"])
        )
        page.get_by_test_id("statement-upload").locator("button[type=submit]").click()
        expect(page.get_by_test_id("statement-preview")).to_be_visible()
        snap(page, "statement-upload.png")
        # A threshold above the default (85) leaves the matches on a typo for a person to confirm.
        debitum(
            home, "import", "statement", str(data["statement"]),
            "--administration", CODE, "--threshold", "90",
        )  # fmt: skip
        page.goto(f"{base}/bank/{CODE}/")
        expect(page.get_by_test_id("queue")).to_be_visible()
        snap(page, "bank-queue.png")

        context.close()

        # In Dutch (a Dutch browser, so the date fields follow too): the aging, the dossier,
        # and the dossier on a tablet (one column).
        context = browser.new_context(viewport=LAPTOP, locale="nl-NL")
        page = context.new_page()
        page.set_default_timeout(30_000)
        log_in(page)
        language(page, "nl")
        page.goto(f"{base}/reports/{CODE}/aging/")
        snap(page, "aging-demo-nl.png")
        page.goto(dossier)
        snap(page, "dossier-nl.png", height=1900)
        page.set_viewport_size(TABLET)
        page.goto(dossier)
        snap(page, "dossier-tablet-nl.png", height=2000)
        language(page, "en")  # the demo user's preference back as it was
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--keep", action="store_true", help="keep the temporary DEBITUM_HOME")
    args = parser.parse_args()
    if not DEBITUM.exists():
        sys.exit(f"no {DEBITUM}: run scripts/test once to install the virtualenv")
    if not Path(CHROMIUM).exists():
        sys.exit(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    args.output.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="debitum-screenshots-"))
    today = dt.date.today()
    server = None
    try:
        data = build(home, today)
        port = free_port()
        server = serve(home, port)
        print(f"screenshots of http://127.0.0.1:{port}/ ...", flush=True)
        shoot(home, f"http://127.0.0.1:{port}", args.output, data, today)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        if args.keep:
            print(f"DEBITUM_HOME kept: {home} (DEBITUM_HOME={home} debitum serve)")
        else:
            shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
