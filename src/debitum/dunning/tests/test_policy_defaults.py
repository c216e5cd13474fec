"""The shipped ladders (data/default_policies.yaml) against the seeds and the law.

No database: the file is read into values and checked with the domain's own rules.
"""

import datetime as dt

import pytest

from debitum.domain.calendars import be_reminder_term, nl_fourteen_day_letter_term
from debitum.domain.dunning import SEGMENTS, ladder_check
from debitum.dunning.policy_yaml import default_policy_specs

SPECS = {spec.key: spec for spec in default_policy_specs()}
BUSINESS_SEGMENTS = ("low", "normal", "high", "strategic", "intercompany")


def _longest_term(term, channels) -> int:
    """The most days from sending to the first day a charge is allowed, over 2024-2028."""
    longest = 0
    day = dt.date(2024, 1, 1)
    while day < dt.date(2028, 12, 1):
        for channel in channels:
            longest = max(longest, (term(day, channel=channel).first_default_date - day).days)
        day += dt.timedelta(days=1)
    return longest


def _first_day(spec, kind: str) -> int:
    return next(step.day_offset for step in spec.steps if step.kind == kind)


def test_every_segment_and_country_has_a_default_policy():
    assert set(SPECS) == {(country, segment) for country in ("NL", "BE") for segment in SEGMENTS}


@pytest.mark.parametrize("key", sorted(SPECS))
def test_every_default_ladder_passes_the_domain_check(key):
    spec = SPECS[key]

    ladder = ladder_check(step.ladder_step() for step in spec.steps)

    assert [step.position for step in ladder] == list(range(1, len(spec.steps) + 1))
    assert all(step.template == step.kind for step in spec.steps)  # the kind is the template code
    assert spec.is_active


def test_the_normal_ladder_is_the_baseline_of_the_seed():
    steps = SPECS[("NL", "normal")].steps

    assert [(step.kind, step.day_offset, step.channel) for step in steps[:4]] == [
        ("pre_due_reminder", -3, "email"),
        ("reminder", 7, "email"),
        ("phone_call", 14, "phone_task"),
        ("demand", 21, "email_and_letter"),
    ]
    assert steps[3].charges_fees and steps[3].charges_interest
    assert [step.kind for step in steps[4:]] == ["notice_of_default", "agency_handover"]


@pytest.mark.parametrize("country", ["NL", "BE"])
def test_high_risk_escalates_much_faster_than_low_risk(country):
    low, normal, high = (SPECS[(country, segment)] for segment in ("low", "normal", "high"))

    for kind in ("demand", "notice_of_default", "agency_handover"):
        assert _first_day(high, kind) < _first_day(normal, kind) < _first_day(low, kind)
    assert _first_day(high, "agency_handover") * 2 < _first_day(low, "agency_handover")
    assert high.pay_within_days < normal.pay_within_days
    assert high.promise_grace_days < normal.promise_grace_days < low.promise_grace_days


@pytest.mark.parametrize("country", ["NL", "BE"])
def test_strategic_escalation_from_the_demand_on_waits_for_the_account_manager(country):
    steps = SPECS[(country, "strategic")].steps
    demand = next(step.position for step in steps if step.kind == "demand")

    assert all(step.needs_approval for step in steps if step.position >= demand)
    assert not any(step.needs_approval for step in steps if step.position < demand)


@pytest.mark.parametrize("country", ["NL", "BE"])
def test_intercompany_is_followed_up_internally_only(country):
    steps = SPECS[(country, "intercompany")].steps

    assert steps
    assert {step.channel for step in steps} == {"phone_task"}
    assert not any(step.charges_fees or step.charges_interest for step in steps)


@pytest.mark.parametrize("key", [(country, s) for country in ("NL", "BE") for s in SEGMENTS])
def test_nothing_is_charged_before_the_due_date(key):
    for step in SPECS[key].steps:
        if step.day_offset <= 0:
            assert not (step.charges_fees or step.charges_interest), step


def test_dutch_consumers_pay_costs_only_after_the_fourteen_day_letter_and_its_term():
    # Art. 6:96 lid 6 BW: the letter names the costs and gives fourteen days from the day after
    # receipt (HR 2016:2704); the longest such term, by post or e-mail, is computed, not assumed.
    steps = SPECS[("NL", "consumer")].steps
    letter = next(step for step in steps if step.kind == "fourteen_day_letter")
    longest = _longest_term(nl_fourteen_day_letter_term, ["post", "email"])
    charging = [step for step in steps if step.charges_fees or step.charges_interest]

    assert charging and all(step.position > letter.position for step in charging)
    first = charging[0]
    between = [step for step in steps if letter.position < step.position <= first.position]
    assert sum(step.min_days_since_previous for step in between) > longest
    assert first.day_offset - letter.day_offset > longest
    assert not letter.charges_fees and not letter.charges_interest


def test_the_first_belgian_consumer_reminder_is_free_and_the_next_step_waits_the_term():
    # Art. XIX.2 WER: the first reminder costs nothing; fourteen calendar days from the day after
    # an e-mail or the third working day after posting, without any charge.
    first, second, *_ = SPECS[("BE", "consumer")].steps
    longest = _longest_term(be_reminder_term, ["post", "email"])

    assert first.kind == "reminder"
    assert not (first.charges_fees or first.charges_interest)
    assert second.min_days_since_previous > longest >= 14
    assert second.day_offset - first.day_offset > longest


def test_consumers_are_handed_over_only_with_approval():
    for country in ("NL", "BE"):
        handover = [s for s in SPECS[(country, "consumer")].steps if s.kind == "agency_handover"]
        assert handover and all(step.needs_approval for step in handover)


def test_business_ladders_are_the_same_in_both_countries():
    # The 40.00 and the commercial interest are due without notice in both (Directive
    # 2011/7/EU); no waiting period shapes a business ladder.
    for segment in BUSINESS_SEGMENTS:
        assert SPECS[("NL", segment)].steps == SPECS[("BE", segment)].steps
