"""Installing the default policies, and replacing them from YAML, as worked examples."""

import datetime as dt
from decimal import Decimal

import pytest

from debitum.administrations.services import administration_create
from debitum.administrations.tests.factories import administration_factory
from debitum.audit.models import AuditEvent
from debitum.customers.models import Customer
from debitum.dunning.models import DunningAction, DunningRun, MessageTemplate, Policy, Step
from debitum.dunning.policy_selectors import policies_export, policy_specs
from debitum.dunning.policy_services import policies_import, policies_install_defaults
from debitum.dunning.policy_yaml import PolicyFileError, default_policy_specs
from debitum.outbox.defaults import TEMPLATE_CODES, TEMPLATE_LANGUAGES

pytestmark = pytest.mark.django_db

ONE_POLICY = """
policies:
- segment: normal
  country: NL
  name: Our normal ladder
  minimum_amount: "15.00"
  steps:
  - {kind: reminder, name: Reminder, day_offset: 7, channel: email}
  - {kind: demand, name: Demand, day_offset: 21, min_days_since_previous: 7, channel: letter,
     charges_fees: true, charges_interest: true}
"""


def _snapshot(administration):
    return list(
        Step.objects.filter(administration=administration)
        .order_by("policy__country", "policy__segment", "position")
        .values_list("policy__country", "policy__segment", "position", "kind", "name", "pk")
    )


def _action_on(step: Step) -> DunningAction:
    customer = Customer.objects.create(
        administration=step.administration, number="C1", name="Bakkerij de Vries"
    )
    run = DunningRun.objects.create(
        administration=step.administration, as_of=dt.date(2026, 3, 2), status="completed"
    )
    return DunningAction.objects.create(
        administration=step.administration,
        run=run,
        customer=customer,
        step=step,
        position=step.position,
        kind=step.kind,
        channel=step.channel,
        currency="EUR",
        principal=Decimal("100.00"),
        status="executed",
    )


def test_a_new_administration_gets_every_default_policy():
    administration = administration_create(code="ACME", name="Acme B.V.", country="NL")

    assert policy_specs(administration=administration) == default_policy_specs()
    assert AuditEvent.objects.filter(
        administration=administration, action="policy.install_defaults"
    ).exists()


def test_a_new_administration_gets_its_editable_message_templates():
    # Given a new administration: every shipped template, in Dutch, French and English
    administration = administration_create(code="ACME", name="Acme B.V.", country="NL")
    templates = MessageTemplate.objects.filter(administration=administration)
    assert templates.count() == len(TEMPLATE_CODES) * len(TEMPLATE_LANGUAGES) == 27
    assert templates.filter(code="plan_confirmation", language="fr").exists()
    # When a manager edits one, removes another, and the defaults are installed again
    templates.filter(code="reminder", language="nl").update(subject="Ons eigen onderwerp")
    templates.filter(code="legal", language="en").delete()
    assert policies_install_defaults(administration=administration) == []
    # Then the edit stays and only the missing one comes back
    assert templates.count() == 27
    assert templates.get(code="reminder", language="nl").subject == "Ons eigen onderwerp"


def test_installing_again_changes_nothing_and_never_overwrites_an_edited_policy():
    administration = administration_factory("ACME")
    policies_install_defaults(administration=administration)
    normal = Policy.objects.get(administration=administration, country="NL", segment="normal")
    normal.name = "Edited by the manager"
    normal.save()
    normal.steps.filter(position=6).delete()
    Policy.objects.get(administration=administration, country="BE", segment="high").delete()
    before = _snapshot(administration)

    created = policies_install_defaults(administration=administration)

    assert [(policy.country, policy.segment) for policy in created] == [("BE", "high")]
    normal.refresh_from_db()
    assert normal.name == "Edited by the manager" and normal.steps.count() == 5
    assert [row for row in _snapshot(administration) if row[:2] != ("BE", "high")] == before
    assert policies_install_defaults(administration=administration) == []


def test_export_import_export_gives_the_same_file():
    administration = administration_create(code="ACME", name="Acme B.V.", country="NL")
    first = policies_export(administration=administration)
    other = administration_factory("BETA", country="BE")

    result = policies_import(administration=other, text=first, source="acme.yaml")

    assert len(result.created) == 12 and not result.updated and not result.deleted
    assert policy_specs(administration=other) == policy_specs(administration=administration)
    again = policies_import(administration=administration, text=first, source="acme.yaml")
    assert not again.changed and len(again.unchanged) == 12
    assert policies_export(administration=administration) == first


def test_an_import_replaces_the_policies_and_is_audited():
    administration = administration_create(code="ACME", name="Acme B.V.", country="NL")
    normal_steps = list(
        Step.objects.filter(policy__administration=administration, policy__segment="normal")
        .filter(policy__country="NL")
        .order_by("position")
        .values_list("pk", flat=True)
    )

    result = policies_import(administration=administration, text=ONE_POLICY, source="one.yaml")

    assert result.updated == ["NL/normal"] and len(result.deleted) == 11
    (spec,) = policy_specs(administration=administration)
    assert (spec.name, spec.minimum_amount) == ("Our normal ladder", Decimal("15.00"))
    assert [(step.kind, step.day_offset) for step in spec.steps] == [
        ("reminder", 7),
        ("demand", 21),
    ]
    # Updated in place by position: steps 1 and 2 kept their rows.
    assert (
        list(
            Step.objects.filter(administration=administration)
            .order_by("position")
            .values_list("pk", flat=True)
        )
        == normal_steps[:2]
    )
    event = AuditEvent.objects.get(administration=administration, action="policy.import")
    assert event.changes["updated"] == ["NL/normal"] and event.changes["source"] == "one.yaml"
    assert "1 updated" in event.summary and "11 deleted" in event.summary


def test_a_bad_file_changes_nothing():
    administration = administration_create(code="ACME", name="Acme B.V.", country="NL")
    before = _snapshot(administration)
    events = AuditEvent.objects.count()

    with pytest.raises(PolicyFileError, match="one.yaml: policy NL/normal, step 2, field channel"):
        policies_import(
            administration=administration,
            text=ONE_POLICY.replace("channel: letter", "channel: pigeon"),
            source="one.yaml",
        )

    assert _snapshot(administration) == before and AuditEvent.objects.count() == events


def test_a_step_that_actions_refer_to_is_kept_and_the_import_refused():
    administration = administration_create(code="ACME", name="Acme B.V.", country="NL")
    handover = Step.objects.get(
        administration=administration, policy__country="NL", policy__segment="normal", position=6
    )
    _action_on(handover)
    before = _snapshot(administration)

    with pytest.raises(PolicyFileError) as raised:
        policies_import(administration=administration, text=ONE_POLICY, source="one.yaml")

    assert str(raised.value) == (
        "one.yaml: policy NL/normal, step 6 (Hand-over to the collection agency): cannot be "
        "removed, 1 dunning action(s) refer to it; keep a step at position 6 (or set "
        "is_active: false on the policy)"
    )
    assert _snapshot(administration) == before


def test_a_policy_with_history_cannot_be_left_out_of_the_file():
    administration = administration_create(code="ACME", name="Acme B.V.", country="NL")
    step = Step.objects.get(
        administration=administration, policy__country="BE", policy__segment="high", position=1
    )
    _action_on(step)

    with pytest.raises(PolicyFileError, match="policy BE/high is not in the file, but 1 dunning"):
        policies_import(administration=administration, text=ONE_POLICY, source="one.yaml")

    assert Policy.objects.filter(administration=administration).count() == 12


def test_a_step_with_history_is_changed_in_place_and_its_action_keeps_it():
    administration = administration_create(code="ACME", name="Acme B.V.", country="NL")
    reminder = Step.objects.get(
        administration=administration, policy__country="NL", policy__segment="normal", position=2
    )
    action = _action_on(reminder)
    text = policies_export(administration=administration).replace(
        "name: First reminder", "name: Friendly first reminder", 1
    )

    result = policies_import(administration=administration, text=text, source="edited.yaml")

    assert result.updated == ["NL/normal"]
    action.refresh_from_db()
    assert action.step_id == reminder.pk
    assert Step.objects.get(pk=reminder.pk).name == "Friendly first reminder"


def test_policies_of_another_administration_are_untouched():
    acme = administration_create(code="ACME", name="Acme B.V.", country="NL")
    beta = administration_create(code="BETA", name="Beta BV", country="BE")
    before = _snapshot(beta)

    policies_import(administration=acme, text=ONE_POLICY, source="one.yaml")

    assert _snapshot(beta) == before
