"""Exclusions: the controller's "not today" on the preview holds in the real run of that day."""

import pytest

from debitum.customers.tests.factories import customer_factory
from debitum.dunning.models import DunningRun, Exclusion
from debitum.dunning.run_services import exclusion_add, exclusion_remove, run_preview
from debitum.dunning.services import dunning_run

from .test_run import acme, customer, day, invoice  # noqa: F401 - fixtures and helpers

pytestmark = pytest.mark.django_db


def test_an_excluded_customer_is_skipped_that_day_only(acme, customer):  # noqa: F811
    # Given two customers whose first reminder is due on day 7,
    invoice(customer, "F-1")
    other = customer_factory(acme, "C2")
    invoice(other, "G-1")
    # when C1 is excluded from the run of day 7,
    exclusion_add(administration=acme, as_of=day(7), customer=customer, reason="in talks")
    # then the preview and the real run leave it out, counted as "excluded",
    preview = run_preview(administration=acme, as_of=day(7))
    assert [a["customer_number"] for a in preview.result.actions] == ["C2"]
    assert preview.result.skipped == {"excluded": 1}
    result = dunning_run(administration=acme, as_of=day(7))
    assert [a["customer_number"] for a in result.actions] == ["C2"]
    assert result.skipped == {"excluded": 1}
    # and the next day it is dunned again.
    later = dunning_run(administration=acme, as_of=day(8))
    assert [a["customer_number"] for a in later.actions] == ["C1"]


def test_an_excluded_invoice_leaves_the_rest_of_the_customer_in(acme, customer):  # noqa: F811
    invoice(customer, "F-1")
    second = invoice(customer, "F-2", "250.00")
    exclusion_add(administration=acme, as_of=day(7), customer=customer, invoice=second)
    # Excluding twice is one exclusion.
    exclusion_add(administration=acme, as_of=day(7), customer=customer, invoice=second)
    assert Exclusion.objects.count() == 1
    result = dunning_run(administration=acme, as_of=day(7))
    assert [(a["customer_number"], a["invoices"]) for a in result.actions] == [("C1", ["F-1"])]


def test_an_exclusion_is_undone_until_the_run_happens(acme, customer):  # noqa: F811
    invoice(customer)
    exclusion = exclusion_add(administration=acme, as_of=day(7), customer=customer)
    assert exclusion_remove(administration=acme, exclusion_id=exclusion.pk) is True
    assert [
        a["customer_number"] for a in dunning_run(administration=acme, as_of=day(7)).actions
    ] == ["C1"]
    # Excluded from day 14, which then runs: the exclusion stays, and nothing is added after.
    kept = exclusion_add(administration=acme, as_of=day(14), customer=customer)
    assert dunning_run(administration=acme, as_of=day(14)).skipped == {"excluded": 1}
    with pytest.raises(ValueError, match="has happened"):
        exclusion_remove(administration=acme, exclusion_id=kept.pk)
    with pytest.raises(ValueError, match="has happened"):
        exclusion_add(administration=acme, as_of=day(14), customer=customer)


def test_the_preview_of_a_day_that_ran_shows_that_run(acme, customer):  # noqa: F811
    invoice(customer)
    dunning_run(administration=acme, as_of=day(7))
    preview = run_preview(administration=acme, as_of=day(7))
    assert preview.has_run
    assert [(a["kind"], a["status"]) for a in preview.result.actions] == [("reminder", "executed")]
    assert DunningRun.objects.count() == 1


def test_the_run_reports_its_progress_deciding_then_each_action(acme, customer):  # noqa: F811
    # A background job's progress bar hears of the deciding and of every action carried out.
    invoice(customer, "F-1")
    invoice(customer_factory(acme, "C2"), "G-1")
    heard = []
    result = dunning_run(
        administration=acme, as_of=day(7), actor=None, progress=lambda *call: heard.append(call)
    )
    assert [a["status"] for a in result.actions] == ["executed", "executed"]
    assert heard == [
        ("deciding", 0, 1),
        ("deciding", 1, 1),
        ("carrying out", 0, 2),
        ("carrying out", 1, 2),
        ("carrying out", 2, 2),
    ]
