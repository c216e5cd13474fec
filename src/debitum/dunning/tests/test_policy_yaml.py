"""Reading and writing the policy file: strict, and every error names where it is."""

from decimal import Decimal

import pytest

from debitum.dunning.policy_yaml import (
    PolicyFileError,
    default_policy_specs,
    policies_dump,
    policies_parse,
)

MINIMAL = """
policies:
- segment: normal
  country: NL
  name: Normal
  steps:
  - {kind: reminder, name: Reminder, day_offset: 7, channel: email}
  - {kind: demand, name: Demand, day_offset: 21, min_days_since_previous: 7, channel: letter,
     charges_fees: true}
"""


def _error(text: str) -> str:
    with pytest.raises(PolicyFileError) as raised:
        policies_parse(text, source="policies.yaml")
    return str(raised.value)


def test_a_minimal_file_takes_the_documented_defaults():
    (spec,) = policies_parse(MINIMAL)

    assert spec.minimum_amount == Decimal("0.00")
    assert (spec.pay_within_days, spec.promise_grace_days, spec.is_active) == (14, 3, True)
    reminder, demand = spec.steps
    assert (reminder.position, reminder.template, reminder.min_days_since_previous) == (
        1,
        "reminder",
        0,
    )
    assert (demand.position, demand.charges_fees, demand.charges_interest) == (2, True, False)


def test_dump_then_parse_gives_the_same_policies_and_the_same_text():
    specs = default_policy_specs()

    text = policies_dump(specs, header="a header")

    assert text.startswith("# a header\nversion: 1\npolicies:\n")
    assert policies_parse(text) == specs
    assert policies_dump(policies_parse(text), header="a header") == text
    assert "minimum_amount: '10.00'" in text  # a string, never a float


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("channel: email}", "channel: fax}"),
            "policies.yaml: policy NL/normal, step 1, field channel: 'fax' is not one of",
        ),
        (
            ("day_offset: 7,", "day_offset: 7, colour: red,"),
            "policies.yaml: policy NL/normal, step 1: unknown key 'colour'",
        ),
        (
            ("name: Normal\n", "name: Normal\n  minimum_amount: 10.00\n"),
            'policy NL/normal, field minimum_amount: write the amount as text, "10.00"',
        ),
        (
            ("name: Normal\n", "name: Normal\n  is_active: yes please\n"),
            "policy NL/normal, field is_active: expected true or false, found str 'yes please'",
        ),
        (
            ("day_offset: 21", "day_offset: 3"),
            "policy NL/normal, steps: step 2 (Demand) comes before step 1 (Reminder)",
        ),
        (
            ("segment: normal", "segment: vip"),
            "policy NL/vip, field segment: 'vip' is not one of low, normal, high",
        ),
        (
            ("country: NL", "country: DE"),
            "policy DE/normal, field country: 'DE' is not one of NL, BE",
        ),
        (
            ("{kind: reminder, name: Reminder,", "{kind: reminder,"),
            "policy NL/normal, step 1: missing name",
        ),
        (
            ("day_offset: 7,", "day_offset: seven,"),
            "step 1, field day_offset: expected a whole number, found str 'seven'",
        ),
    ],
)
def test_an_error_names_the_file_the_policy_the_step_and_the_field(change, message):
    old, new = change
    assert old in MINIMAL

    assert message in _error(MINIMAL.replace(old, new, 1))


def test_a_policy_twice_is_refused():
    twice = MINIMAL + MINIMAL.split("policies:\n", 1)[1]

    assert _error(twice) == "policies.yaml: policy NL/normal: appears twice"


def test_broken_yaml_names_the_line():
    assert _error("policies:\n  - segment: [normal\n").startswith("policies.yaml: line 3")


def test_unknown_top_level_keys_and_versions_are_refused():
    assert "unknown key 'rules'" in _error("rules: []\npolicies: []\n")
    assert "reads version 1, not 2" in _error("version: 2\npolicies: []\n")
    assert "missing policies" in _error("version: 1\n")


def test_yaml_tags_that_build_objects_are_not_read():
    # safe_load: a file is data, never code.
    assert "could not determine a constructor" in _error("policies: !!python/object:os.system {}\n")
