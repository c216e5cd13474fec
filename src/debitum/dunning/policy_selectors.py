"""Reading dunning policies: as values (`PolicySpec`) and as the YAML of `debitum policy export`."""

from __future__ import annotations

from django.db.models import Prefetch

from .models import Policy, Step
from .policy_services import POLICY_FIELDS, STEP_FIELDS
from .policy_yaml import PolicySpec, StepSpec, policies_dump, spec_sort_key


def policy_list(*, administration):
    """The policies of `administration` with their steps in order (one query for the steps)."""
    return Policy.objects.filter(administration=administration).prefetch_related(
        Prefetch("steps", queryset=Step.objects.order_by("position"))
    )


def policy_spec(policy: Policy) -> PolicySpec:
    return PolicySpec(
        segment=policy.segment,
        country=policy.country,
        steps=tuple(
            StepSpec(position=step.position, **{name: getattr(step, name) for name in STEP_FIELDS})
            for step in policy.steps.all()
        ),
        **{name: getattr(policy, name) for name in POLICY_FIELDS},
    )


def policy_specs(*, administration) -> tuple[PolicySpec, ...]:
    """The policies of `administration` as values, NL before BE, segments in vocabulary order."""
    specs = [policy_spec(policy) for policy in policy_list(administration=administration)]
    return tuple(sorted(specs, key=spec_sort_key))


def policies_export(*, administration) -> str:
    """The YAML that `policies_import` reads back to the same policies (and the same text)."""
    header = (
        f"Dunning policies of administration {administration.code} ({administration.name}).\n"
        "Shape and meaning: docs/collections/policies.md. Import with:\n"
        f"  debitum policy import FILE --administration {administration.code}"
    )
    return policies_dump(policy_specs(administration=administration), header=header)
