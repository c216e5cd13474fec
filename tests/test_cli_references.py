"""`debitum reference …` as a user types it. No `django_db` mark: these commands must not touch
the database, and pytest-django fails any test that does."""

import pytest

from debitum.cli import main


@pytest.mark.parametrize(
    ("kind", "number", "printed"),
    [
        # stdnum's be.ogm_vcs example: 0108068171 mod 97 = 83.
        ("ogm", "108068171", "+++010/8068/17183+++"),
        # 97 mod 97 = 0, written as 97 (Febelfin).
        ("ogm", "97", "+++000/0000/09797+++"),
        # Betaalvereniging Nederland's example (5)000 0567 8901 2345.
        ("nl", "56789012345", "5000 0567 8901 2345"),
        # ISO 11649 example RF18 5390 0754 7034.
        ("rf", "539007547034", "RF18 5390 0754 7034"),
    ],
)
def test_generate_prints_the_display_form(capsys, kind, number, printed):
    assert main(["reference", "generate", "--kind", kind, number]) == 0
    assert capsys.readouterr().out == f"{printed}\n"


def test_generate_refuses_a_number_that_does_not_fit(capsys):
    assert main(["reference", "generate", "--kind", "ogm", "12345678901"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "not a number from 0 to 9,999,999,999 for kind ogm" in captured.err


def test_generate_knows_only_three_kinds(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["reference", "generate", "--kind", "iban", "1"])
    assert stopped.value.code == 2
    assert "invalid choice: 'iban'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("reference", "printed"),
    [
        ("+++010/8068/17183+++", "ogm 010806817183"),
        ("***010/8068/17183***", "ogm 010806817183"),
        ("010806817183", "ogm 010806817183"),
        ("5000 0567 8901 2345", "nl 5000056789012345"),
        ("12 2345 3462 2567", "nl 12234534622567"),
        ("RF18 5390 0754 7034", "rf RF18539007547034"),
    ],
)
def test_validate_prints_kind_and_normalised_form(capsys, reference, printed):
    assert main(["reference", "validate", reference]) == 0
    assert capsys.readouterr().out == f"{printed}\n"


@pytest.mark.parametrize(
    ("reference", "reason"),
    [
        ("+++123/4567/89012++", "the frame must be '+++' or '***' on both sides"),
        ("+++010/8068/17183***", "the frame opens with '+++' but closes with '***'"),
        ("+++010/8068/17180+++", "the check digits are 80, 0108068171 mod 97 gives 83"),
        ("4000 0567 8901 2345", "the modulus 11 check gives 5"),
        ("RF17 5390 0754 7034", "the check digits are 17, ISO 7064 mod 97-10 gives 18"),
        ("12345678", "it has 8 digits"),
        ("INV/2024", "not a structured communication"),
    ],
)
def test_validate_refuses_with_the_reason_on_stderr(capsys, reference, reason):
    assert main(["reference", "validate", reference]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("debitum: ")
    assert reason in captured.err


def test_validate_against_a_given_kind(capsys):
    assert main(["reference", "validate", "--kind", "ogm", "312401398067"]) == 0
    assert capsys.readouterr().out == "ogm 312401398067\n"
    assert main(["reference", "validate", "--kind", "nl", "312401398067"]) == 1
    assert "is not a betalingskenmerk" in capsys.readouterr().err
