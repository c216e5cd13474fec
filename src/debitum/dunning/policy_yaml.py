"""Dunning policies as YAML: the shape `debitum policy export` writes and `import` reads.

    version: 1
    policies:
    - segment: normal            # low, normal, high, strategic, intercompany, consumer
      country: NL                # NL or BE
      name: Normal risk
      description: ...
      minimum_amount: "10.00"    # a string: money is never a float
      pay_within_days: 14
      promise_grace_days: 3
      is_active: true
      steps:
      - {position: 1, kind: reminder, name: First reminder, day_offset: 7,
         min_days_since_previous: 0, channel: email, charges_fees: false,
         charges_interest: false, needs_approval: false, template: reminder}

Reading is strict: `yaml.safe_load`, unknown keys refused, types checked (a boolean is `true` or
`false`, not "yes"), every ladder passed through `domain.dunning.ladder_check`. Each error names
the file, the policy (country/segment), the step and the field, so that a manager can fix a file
of a hundred lines without guessing. The module knows no database: `PolicySpec` is the value the
services write and the selectors read.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from debitum.domain.dunning import CHANNELS, SEGMENTS, STEP_KINDS, DunningError, ladder_check
from debitum.domain.dunning import Step as LadderStep

FORMAT_VERSION = 1
COUNTRIES = ("NL", "BE")
DEFAULTS_PATH = Path(__file__).resolve().parent / "data" / "default_policies.yaml"
NAME_MAX = 200  # Policy.name, Step.name
TEMPLATE_MAX = 60  # Step.template


class PolicyFileError(ValueError):
    """A policy file that cannot be read; the message names the file, policy, step and field."""


@dataclass(frozen=True)
class StepSpec:
    position: int
    kind: str
    name: str
    day_offset: int
    min_days_since_previous: int
    channel: str
    charges_fees: bool
    charges_interest: bool
    needs_approval: bool
    template: str

    def ladder_step(self) -> LadderStep:
        return LadderStep(
            position=self.position,
            kind=self.kind,
            name=self.name,
            day_offset=self.day_offset,
            min_days_since_previous=self.min_days_since_previous,
            channel=self.channel,
            charges_fees=self.charges_fees,
            charges_interest=self.charges_interest,
            needs_approval=self.needs_approval,
        )


@dataclass(frozen=True)
class PolicySpec:
    segment: str
    country: str
    name: str
    description: str
    minimum_amount: Decimal
    pay_within_days: int
    promise_grace_days: int
    is_active: bool
    steps: tuple[StepSpec, ...]

    @property
    def key(self) -> tuple[str, str]:
        return (self.country, self.segment)

    @property
    def label(self) -> str:
        return f"{self.country}/{self.segment}"


POLICY_KEYS = [field.name for field in fields(PolicySpec)]
STEP_KEYS = [field.name for field in fields(StepSpec)]
# What a file may leave out, and what it then means.
POLICY_DEFAULTS = {
    "description": "",
    "minimum_amount": "0.00",
    "pay_within_days": 14,
    "promise_grace_days": 3,
    "is_active": True,
}
STEP_DEFAULTS = {
    "min_days_since_previous": 0,
    "charges_fees": False,
    "charges_interest": False,
    "needs_approval": False,
}  # `position` defaults to the place in the list, `template` to the kind.


def spec_sort_key(spec: PolicySpec) -> tuple[int, int]:
    """NL before BE, segments in the order of the vocabulary: the order of every listing."""
    return (
        COUNTRIES.index(spec.country) if spec.country in COUNTRIES else len(COUNTRIES),
        SEGMENTS.index(spec.segment) if spec.segment in SEGMENTS else len(SEGMENTS),
    )


class _Reader:
    def __init__(self, source: str):
        self.source = source

    def fail(self, where: str, message: str) -> PolicyFileError:
        return PolicyFileError(f"{self.source}: {where}: {message}" if where else message)

    def mapping(self, value, where: str, allowed: list[str], required: list[str]) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected a mapping, found {_kind(value)}")
        unknown = [str(key) for key in value if key not in allowed]
        if unknown:
            raise self.fail(
                where,
                f"unknown key {', '.join(repr(key) for key in unknown)} "
                f"(allowed: {', '.join(allowed)})",
            )
        missing = [key for key in required if key not in value]
        if missing:
            raise self.fail(where, f"missing {', '.join(missing)}")
        return value

    def text(self, value, where: str, *, max_length: int | None = None, blank=False) -> str:
        if not isinstance(value, str):
            raise self.fail(where, f"expected text, found {_kind(value)}")
        value = value.strip()
        if not value and not blank:
            raise self.fail(where, "is empty")
        if max_length is not None and len(value) > max_length:
            raise self.fail(where, f"is longer than {max_length} characters")
        return value

    def choice(self, value, where: str, choices: tuple[str, ...]) -> str:
        if value not in choices:
            raise self.fail(where, f"{value!r} is not one of {', '.join(choices)}")
        return value

    def integer(self, value, where: str, *, minimum: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(where, f"expected a whole number, found {_kind(value)}")
        if minimum is not None and value < minimum:
            raise self.fail(where, f"must be at least {minimum}, not {value}")
        if not -32768 <= value <= 32767:
            raise self.fail(where, f"{value} is out of range")
        return value

    def boolean(self, value, where: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(where, f"expected true or false, found {_kind(value)}")
        return value

    def amount(self, value, where: str) -> Decimal:
        if isinstance(value, float):
            raise self.fail(
                where, f'write the amount as text, "{value:.2f}": money is never a float'
            )
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.fail(where, f'expected an amount such as "10.00", found {_kind(value)}')
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            raise self.fail(where, f"{value!r} is not an amount") from None
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise self.fail(where, f"{value!r} is not an amount of at least 0.00 in cents")
        return amount.quantize(Decimal("0.01"))

    def step(self, raw, index: int, policy_where: str) -> StepSpec:
        where = f"{policy_where}, step {index + 1}"
        raw = self.mapping(raw, where, STEP_KEYS, ["kind", "name", "day_offset", "channel"])
        values = {**STEP_DEFAULTS, "position": index + 1, **raw}
        kind = self.choice(values["kind"], f"{where}, field kind", STEP_KINDS)
        return StepSpec(
            position=self.integer(values["position"], f"{where}, field position", minimum=1),
            kind=kind,
            name=self.text(values["name"], f"{where}, field name", max_length=NAME_MAX),
            day_offset=self.integer(values["day_offset"], f"{where}, field day_offset"),
            min_days_since_previous=self.integer(
                values["min_days_since_previous"],
                f"{where}, field min_days_since_previous",
                minimum=0,
            ),
            channel=self.choice(values["channel"], f"{where}, field channel", CHANNELS),
            charges_fees=self.boolean(values["charges_fees"], f"{where}, field charges_fees"),
            charges_interest=self.boolean(
                values["charges_interest"], f"{where}, field charges_interest"
            ),
            needs_approval=self.boolean(values["needs_approval"], f"{where}, field needs_approval"),
            template=self.text(
                values.get("template", kind), f"{where}, field template", max_length=TEMPLATE_MAX
            ),
        )

    def policy(self, raw, index: int) -> PolicySpec:
        where = f"policy {index + 1}"
        if isinstance(raw, dict) and raw.get("segment") and raw.get("country"):
            where = f"policy {raw['country']}/{raw['segment']}"
        raw = self.mapping(raw, where, POLICY_KEYS, ["segment", "country", "name", "steps"])
        values = {**POLICY_DEFAULTS, **raw}
        steps_raw = values["steps"]
        if not isinstance(steps_raw, list):
            raise self.fail(f"{where}, field steps", f"expected a list, found {_kind(steps_raw)}")
        steps = tuple(self.step(step, number, where) for number, step in enumerate(steps_raw))
        try:
            ladder = ladder_check(step.ladder_step() for step in steps)
        except DunningError as error:
            raise self.fail(f"{where}, steps", str(error)) from None
        by_position = {step.position: step for step in steps}
        return PolicySpec(
            segment=self.choice(values["segment"], f"{where}, field segment", SEGMENTS),
            country=self.choice(values["country"], f"{where}, field country", COUNTRIES),
            name=self.text(values["name"], f"{where}, field name", max_length=NAME_MAX),
            description=self.text(values["description"], f"{where}, field description", blank=True),
            minimum_amount=self.amount(values["minimum_amount"], f"{where}, field minimum_amount"),
            pay_within_days=self.integer(
                values["pay_within_days"], f"{where}, field pay_within_days", minimum=0
            ),
            promise_grace_days=self.integer(
                values["promise_grace_days"], f"{where}, field promise_grace_days", minimum=0
            ),
            is_active=self.boolean(values["is_active"], f"{where}, field is_active"),
            steps=tuple(by_position[step.position] for step in ladder),
        )


def _kind(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"


def policies_parse(text: str, *, source: str = "<policies>") -> tuple[PolicySpec, ...]:
    """The policies of a YAML document, checked; or PolicyFileError naming what is wrong."""
    reader = _Reader(source)
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        position = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "YAML"
        problem = getattr(error, "problem", None) or str(error)
        raise PolicyFileError(f"{source}: {position}: {problem}") from None
    document = reader.mapping(document, "", ["version", "policies"], ["policies"])
    version = document.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise reader.fail(
            "version", f"this Debitum reads version {FORMAT_VERSION}, not {version!r}"
        )
    raw_policies = document["policies"]
    if not isinstance(raw_policies, list):
        raise reader.fail("policies", f"expected a list, found {_kind(raw_policies)}")
    specs: list[PolicySpec] = []
    seen: set[tuple[str, str]] = set()
    for index, raw in enumerate(raw_policies):
        spec = reader.policy(raw, index)
        if spec.key in seen:
            raise reader.fail(f"policy {spec.label}", "appears twice")
        seen.add(spec.key)
        specs.append(spec)
    return tuple(sorted(specs, key=spec_sort_key))


def default_policy_specs() -> tuple[PolicySpec, ...]:
    """The ladders that ship with Debitum (data/default_policies.yaml)."""
    return policies_parse(DEFAULTS_PATH.read_text(encoding="utf-8"), source=DEFAULTS_PATH.name)


def _step_document(step: StepSpec) -> dict:
    return {key: getattr(step, key) for key in STEP_KEYS}


def _policy_document(spec: PolicySpec) -> dict:
    document = {key: getattr(spec, key) for key in POLICY_KEYS if key != "steps"}
    document["minimum_amount"] = f"{spec.minimum_amount:.2f}"
    document["steps"] = [_step_document(step) for step in spec.steps]
    return document


def policies_dump(specs, *, header: str = "") -> str:
    """YAML text of `specs` in the documented shape and a stable order (NL, BE; by segment)."""
    document = {
        "version": FORMAT_VERSION,
        "policies": [_policy_document(spec) for spec in sorted(specs, key=spec_sort_key)],
    }
    text = yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
    comments = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
    return comments + text
