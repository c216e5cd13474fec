"""`debitum dunning …` as a user types it: the JSON contract of a run and a simulation."""

import datetime as dt
import json

import pytest

from debitum.administrations.tests.factories import administration_factory
from debitum.cli import main
from debitum.customers.tests.factories import customer_factory
from debitum.dunning.models import DunningRun
from debitum.dunning.tests.factories import policy_factory
from debitum.ledger.tests.factories import invoice_factory

pytestmark = pytest.mark.django_db
LADDER = [
    ("reminder", 7, 0, "phone_task", False, False, False),
    ("demand", 21, 5, "phone_task", True, True, True),
]


@pytest.fixture
def acme():
    administration = administration_factory("ACME", country="NL")
    policy_factory(administration, ladder=LADDER)
    customer = customer_factory(administration, "C1", name="Bakkerij Jansen B.V.")
    invoice_factory(
        customer, "F-1", "1000.00", invoice_date=dt.date(2025, 12, 1), due_date=dt.date(2026, 1, 1)
    )
    return administration


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_dunning_run_json(acme, capsys):
    code, out, _ = run(
        capsys, "dunning", "run", "--administration", "ACME", "--as-of", "2026-01-08",
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert (data["as_of"], data["administration"]) == ("2026-01-08", "ACME")
    (action,) = data["actions"]
    assert {key: action[key] for key in ("customer_number", "kind", "step", "channel",
            "invoices", "principal", "fee", "interest", "pay_before", "documents")} == {
        "customer_number": "C1", "kind": "reminder", "step": "Reminder",
        "channel": "phone_task", "invoices": ["F-1"], "principal": "1000.00", "fee": "0.00",
        "interest": "0.00", "pay_before": None, "documents": [],
    }  # fmt: skip
    # The second run of the day does nothing.
    code, out, _ = run(
        capsys, "dunning", "run", "--administration", "ACME", "--as-of", "2026-01-08",
        "--format", "json",
    )  # fmt: skip
    assert json.loads(out)["actions"] == []


def test_dry_run_then_approval(acme, capsys):
    run(capsys, "dunning", "run", "--administration", "ACME", "--as-of", "2026-01-08")
    code, out, _ = run(
        capsys, "dunning", "run", "--administration", "ACME", "--as-of", "2026-01-22",
        "--dry-run", "--format", "json",
    )  # fmt: skip
    (demand,) = json.loads(out)["actions"]
    assert (demand["kind"], demand["fee"], demand["status"]) == (
        "demand", "150.00", "awaiting_approval",
    )  # fmt: skip
    assert not DunningRun.objects.filter(as_of="2026-01-22").exists()
    run(capsys, "dunning", "run", "--administration", "ACME", "--as-of", "2026-01-22")
    code, out, _ = run(capsys, "dunning", "waiting", "--administration", "ACME", "--format", "json")
    (waiting,) = json.loads(out)["actions"]
    code, out, _ = run(capsys, "dunning", "approve", str(waiting["id"]), "--administration", "ACME")
    assert code == 0 and "executed" in out


def test_simulate_json(acme, capsys):
    code, out, _ = run(
        capsys, "dunning", "simulate", "--administration", "ACME", "--from", "2026-01-01",
        "--to", "2026-01-31", "--format", "json",
    )  # fmt: skip
    assert code == 0
    assert [(a["as_of"], a["kind"]) for a in json.loads(out)["actions"]] == [
        ("2026-01-08", "reminder"),
        ("2026-01-22", "demand"),
    ]
    assert not DunningRun.objects.exists()


def test_pause_needs_a_known_customer(acme, capsys):
    code, _, err = run(
        capsys, "dunning", "pause", "--administration", "ACME", "--customer", "NOPE",
        "--until", "2026-02-01", "--reason", "holiday",
    )  # fmt: skip
    assert code == 1 and "no customer" in err
