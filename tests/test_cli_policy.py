"""`debitum policy`: install the defaults, export, edit, import, print the handbook."""

import pytest

from debitum.audit.models import AuditEvent
from debitum.cli import main
from debitum.dunning.models import Policy, Step

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(capsys):
    assert main(["administration", "create", "ACME", "--name", "Acme B.V.", "--country", "NL"]) == 0
    capsys.readouterr()


def test_a_new_administration_has_the_defaults_and_installing_again_changes_nothing(acme, capsys):
    assert Policy.objects.filter(administration__code="ACME").count() == 12

    assert main(["policy", "install-defaults", "--administration", "ACME"]) == 0

    assert "every default policy is present; nothing changed" in capsys.readouterr().out
    Policy.objects.filter(administration__code="ACME", segment="consumer").delete()
    assert main(["policy", "install-defaults", "--administration", "ACME"]) == 0
    assert "2 default policies installed: NL/consumer, BE/consumer." in capsys.readouterr().out


def test_export_edit_import_export(acme, tmp_path, capsys):
    exported = tmp_path / "policies.yaml"
    assert main(["policy", "export", "--administration", "ACME", "--output", str(exported)]) == 0
    text = exported.read_text()
    assert text.startswith("# Dunning policies of administration ACME (Acme B.V.).")
    edited = tmp_path / "edited.yaml"
    edited.write_text(text.replace("day_offset: 7\n", "day_offset: 8\n", 1))

    assert main(["policy", "import", str(edited), "--administration", "ACME"]) == 0

    out = capsys.readouterr().out
    assert "ACME: policies imported from edited.yaml: 0 created, 1 updated, 11 unchanged" in out
    assert "  updated: NL/normal" in out
    assert (
        Step.objects.get(
            policy__administration__code="ACME",
            policy__country="NL",
            policy__segment="normal",
            position=2,
        ).day_offset
        == 8
    )
    assert AuditEvent.objects.filter(action="policy.import").count() == 1
    assert main(["policy", "export", "--administration", "ACME"]) == 0
    assert capsys.readouterr().out == edited.read_text()


def test_a_bad_file_exits_1_and_names_the_place(acme, tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "policies:\n- segment: high\n  country: BE\n  name: Fast\n  steps:\n"
        "  - {kind: reminder, name: R, day_offset: 1, channel: email, charges_fees: maybe}\n"
    )

    assert main(["policy", "import", str(path), "--administration", "ACME"]) == 1

    assert capsys.readouterr().err == (
        "debitum: bad.yaml: policy BE/high, step 1, field charges_fees: expected true or false, "
        "found str 'maybe'; nothing was changed\n"
    )
    assert Policy.objects.filter(administration__code="ACME").count() == 12


def test_the_handbook_as_markdown_and_pdf(acme, tmp_path, capsys):
    assert main(["policy", "handbook", "--administration", "ACME", "--format", "md"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("# Incassohandboek: Acme B.V.")  # the administration's language
    assert "| 2 | +21 | Fourteen-day letter (veertiendagenbrief) | brief | 14 | geen | nee |" in (
        markdown
    )

    pdf = tmp_path / "handbook.pdf"
    arguments = ["policy", "handbook", "--administration", "ACME", "--format", "pdf"]
    assert main([*arguments, "--language", "fr", "--output", str(pdf)]) == 0

    assert pdf.read_bytes().startswith(b"%PDF-")
