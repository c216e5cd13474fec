"""Writing dunning policies: the shipped defaults, and replacing them from a YAML file.

Steps are referenced by the actions of past runs (`DunningAction.step`, PROTECT): the history of
what was sent must keep pointing at the step that sent it. So an import updates steps in place
by position, and refuses, with the reason, to remove a step or a policy that actions refer to.
To retire such a policy, keep it in the file with `is_active: false`; to retire such a step,
keep a step at its position (its action rows keep their own copy of kind, channel and position).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from debitum.audit.services import audit_record
from debitum.outbox.services import message_templates_install

from .models import DunningAction, Policy, Step
from .policy_yaml import (
    PolicyFileError,
    PolicySpec,
    StepSpec,
    default_policy_specs,
    policies_parse,
    spec_sort_key,
)

POLICY_FIELDS = (
    "name",
    "description",
    "minimum_amount",
    "pay_within_days",
    "promise_grace_days",
    "is_active",
)
STEP_FIELDS = (
    "kind",
    "name",
    "day_offset",
    "min_days_since_previous",
    "channel",
    "charges_fees",
    "charges_interest",
    "needs_approval",
    "template",
)


def _policy_create(*, administration, spec: PolicySpec) -> Policy:
    policy = Policy.objects.create(
        administration=administration,
        segment=spec.segment,
        country=spec.country,
        **{name: getattr(spec, name) for name in POLICY_FIELDS},
    )
    Step.objects.bulk_create(
        Step(
            administration=administration,
            policy=policy,
            position=step.position,
            **{name: getattr(step, name) for name in STEP_FIELDS},
        )
        for step in spec.steps
    )
    return policy


def policies_install_defaults(*, administration, actor=None) -> list[Policy]:
    """Create the shipped policies (data/default_policies.yaml) that `administration` lacks,
    and the shipped message templates their steps write with (one per code and language), so
    that a new administration can edit its letters at once.

    A policy is identified by its segment and country, a template by its code and language. One
    that exists is left exactly as it is, edited or not, steps included: running this twice, or
    after a manager changed a ladder or a letter, changes nothing. Returns the policies created.
    """
    existing = set(
        Policy.objects.filter(administration=administration).values_list("country", "segment")
    )
    missing = [spec for spec in default_policy_specs() if spec.key not in existing]
    if not missing:
        message_templates_install(administration=administration)
        return []
    with transaction.atomic():
        message_templates_install(administration=administration)
        created = [_policy_create(administration=administration, spec=spec) for spec in missing]
        audit_record(
            administration=administration,
            actor=actor,
            action="policy.install_defaults",
            object_type="dunning.policy",
            summary=f"{len(created)} default dunning policies installed",
            changes={"created": [spec.label for spec in missing]},
        )
    return created


@dataclass
class PolicyImportResult:
    """What an import did, by policy label (NL/normal)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def summary(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.deleted)} deleted"
        )


def _label(policy: Policy) -> str:
    return f"{policy.country}/{policy.segment}"


def _referenced_step_ids(step_ids) -> dict[int, int]:
    """Step id -> the number of dunning actions that refer to it."""
    counts: dict[int, int] = {}
    for step_id in DunningAction.objects.filter(step_id__in=list(step_ids)).values_list(
        "step_id", flat=True
    ):
        counts[step_id] = counts.get(step_id, 0) + 1
    return counts


def _apply_steps(*, administration, policy: Policy, spec: PolicySpec, source: str) -> bool:
    """Make the steps of `policy` those of `spec`, in place by position. True when any changed."""
    current = {step.position: step for step in policy.steps.all()}
    wanted: dict[int, StepSpec] = {step.position: step for step in spec.steps}
    changed = False
    removed = [step for position, step in current.items() if position not in wanted]
    references = _referenced_step_ids(step.pk for step in removed)
    for step in sorted(removed, key=lambda step: step.position):
        if step.pk in references:
            raise PolicyFileError(
                f"{source}: policy {spec.label}, step {step.position} ({step.name}): cannot be "
                f"removed, {references[step.pk]} dunning action(s) refer to it; keep a step at "
                f"position {step.position} (or set is_active: false on the policy)"
            )
    if removed:
        Step.objects.filter(pk__in=[step.pk for step in removed]).delete()
        changed = True
    for position, step_spec in wanted.items():
        values = {name: getattr(step_spec, name) for name in STEP_FIELDS}
        step = current.get(position)
        if step is None:
            Step.objects.create(
                administration=administration, policy=policy, position=position, **values
            )
            changed = True
        elif any(getattr(step, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(step, name, value)
            step.save(update_fields=[*STEP_FIELDS])
            changed = True
    return changed


def policies_import(
    *, administration, text: str, source: str = "<policies>", actor=None
) -> PolicyImportResult:
    """Replace the policies of `administration` with those of the YAML `text`, all or nothing.

    The file is read and checked before anything is written (PolicyFileError names the file, the
    policy, the step and the field). Policies and steps are updated in place, so that the actions
    of past runs keep their step; a policy missing from the file is deleted, and a policy or step
    that actions refer to is never deleted: the import is refused instead. One audit event.
    """
    specs = policies_parse(text, source=source)
    result = PolicyImportResult()
    with transaction.atomic():
        existing = {
            (policy.country, policy.segment): policy
            for policy in Policy.objects.select_for_update().filter(administration=administration)
        }
        wanted = {spec.key: spec for spec in specs}
        dropped = [policy for key, policy in existing.items() if key not in wanted]
        for policy in sorted(dropped, key=lambda policy: (policy.country, policy.segment)):
            step_ids = list(policy.steps.values_list("pk", flat=True))
            references = sum(_referenced_step_ids(step_ids).values())
            if references:
                raise PolicyFileError(
                    f"{source}: policy {_label(policy)} is not in the file, but {references} "
                    f"dunning action(s) refer to its steps; keep it in the file with "
                    f"is_active: false to switch it off"
                )
            policy.delete()
            result.deleted.append(_label(policy))
        for spec in sorted(specs, key=spec_sort_key):
            policy = existing.get(spec.key)
            if policy is None:
                _policy_create(administration=administration, spec=spec)
                result.created.append(spec.label)
                continue
            values = {name: getattr(spec, name) for name in POLICY_FIELDS}
            policy_changed = any(getattr(policy, name) != value for name, value in values.items())
            if policy_changed:
                for name, value in values.items():
                    setattr(policy, name, value)
                policy.save(update_fields=[*POLICY_FIELDS, "updated_at"])
            steps_changed = _apply_steps(
                administration=administration, policy=policy, spec=spec, source=source
            )
            (result.updated if policy_changed or steps_changed else result.unchanged).append(
                spec.label
            )
        audit_record(
            administration=administration,
            actor=actor,
            action="policy.import",
            object_type="dunning.policy",
            summary=f"dunning policies imported from {source}: {result.summary()}",
            changes={
                "source": source,
                "created": result.created,
                "updated": result.updated,
                "deleted": result.deleted,
            },
        )
    return result
