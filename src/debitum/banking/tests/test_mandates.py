"""SEPA mandates and the creditor identifier, as a credit controller registers them."""

import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from debitum.administrations.services import administration_create, administration_update
from debitum.administrations.tests.factories import (
    administration_factory,
    membership_factory,
    user_factory,
)
from debitum.audit.models import AuditEvent
from debitum.banking.mandate_selectors import mandate_get, mandate_list
from debitum.banking.mandate_services import mandate_add, mandate_revoke
from debitum.banking.models import Mandate
from debitum.cli import main
from debitum.customers.tests.factories import customer_factory
from debitum.domain.sepa import SepaError, creditor_identifier, sepa_identifier

pytestmark = pytest.mark.django_db
SIGNED = dt.date(2026, 3, 2)
# ABN AMRO's IBAN from the Dutch banks' examples; a Belgian one from the EPC QR guidelines.
NL_IBAN = "NL91ABNA0417164300"
BE_IBAN = "BE68539007547034"


@pytest.fixture
def acme():
    return administration_factory("ACME", country="NL")


@pytest.fixture
def customer(acme):
    return customer_factory(acme, "C001", name="Bakkerij Jansen B.V.")


# --- The creditor identifier (EPC262-08) -------------------------------------------------------


@pytest.mark.parametrize(
    "value, compact",
    [
        # The NVB's own identifier, the worked example of the Dutch banks' guide (KvK 40536533,
        # location 0000): 98 - (405365330000232100 mod 97) = 51.
        ("NL51ZZZ405365330000", "NL51ZZZ405365330000"),
        # Febelfin's example with enterprise number 0456.810.810 and business code 001.
        ("BE12 001 0456810810", "BE120010456810810"),
        # A Belgian bank-issued number (protocol 050, "D", sequence), computed by the rule.
        ("be69zzz050d000000008", "BE69ZZZ050D000000008"),
        # The German test identifier of the Deutsche Bundesbank.
        ("DE98ZZZ09999999999", "DE98ZZZ09999999999"),
    ],
)
def test_valid_creditor_identifiers(value, compact):
    assert creditor_identifier(value) == compact


def test_the_business_code_does_not_change_the_check_digits():
    assert creditor_identifier("NL51ABC405365330000") == "NL51ABC405365330000"


@pytest.mark.parametrize(
    "value, message",
    [
        ("NL52ZZZ405365330000", "the check digits are 52, the identifier needs 51"),
        # The sample pain.008 of sepa_king carries a placeholder with check digits 00.
        ("DE00ZZZ00099999999", "the check digits are 00"),
        ("NL51ZZ", "is not a SEPA creditor identifier: it is a country code"),
        ("NL51ZZZ40536533-0000", "is not a SEPA creditor identifier"),
        ("NL51ZZZ" + "1" * 29, "at most 35"),
    ],
)
def test_invalid_creditor_identifiers(value, message):
    with pytest.raises(SepaError, match=message):
        creditor_identifier(value)


def test_the_creditor_identifier_is_set_with_administration_create_and_update(capsys):
    assert (
        main(
            [
                "administration",
                "create",
                "ACME",
                "--name",
                "Acme B.V.",
                "--country",
                "NL",
                "--iban",
                NL_IBAN,
                "--bic",
                "ABNANL2A",
                "--sepa-creditor-id",
                "NL51 ZZZ 4053 6533 0000",
            ]
        )  # fmt: skip
        == 0
    )
    capsys.readouterr()
    assert (
        main(["administration", "update", "ACME", "--sepa-creditor-id", "NL52ZZZ405365330000"]) == 1
    )
    assert "the check digits are 52, the identifier needs 51" in capsys.readouterr().err
    from debitum.administrations.models import Administration

    acme = Administration.objects.get(code="ACME")
    assert acme.sepa_creditor_id == "NL51ZZZ405365330000"
    assert (
        main(["administration", "update", "ACME", "--sepa-creditor-id", "NL51ABC405365330000"]) == 0
    )
    out = capsys.readouterr().out
    assert "sepa-creditor-id: NL51ZZZ405365330000 -> NL51ABC405365330000" in out
    acme.refresh_from_db()
    assert acme.sepa_creditor_id == "NL51ABC405365330000"
    event = AuditEvent.objects.get(action="administration.update")
    assert event.changes == {
        "sepa_creditor_id": {"from": "NL51ZZZ405365330000", "to": "NL51ABC405365330000"}
    }
    assert main(["administration", "update", "ACME"]) == 1
    assert "nothing to change" in capsys.readouterr().err


def test_administration_update_refuses_a_bad_value_and_changes_nothing(acme):
    administration_update(administration=acme, changes={"iban": NL_IBAN, "bic": "abnanl2a"})
    acme.refresh_from_db()
    assert (acme.iban, acme.bic) == (NL_IBAN, "ABNANL2A")
    with pytest.raises(ValidationError) as error:
        administration_update(
            administration=acme, changes={"name": "Renamed", "sepa_creditor_id": "NL00ZZZ1"}
        )
    assert "sepa_creditor_id" in error.value.message_dict
    acme.refresh_from_db()
    assert (acme.name, acme.sepa_creditor_id) == ("ACME B.V.", "")
    with pytest.raises(ValueError, match="cannot change: currency"):
        administration_update(administration=acme, changes={"currency": "USD"})


def test_administration_create_checks_the_creditor_identifier():
    with pytest.raises(ValidationError) as error:
        administration_create(
            code="BAD", name="Bad", country="BE", sepa_creditor_id="BE13ZZZ0456810810"
        )
    assert "sepa_creditor_id" in error.value.message_dict


# --- Mandates ------------------------------------------------------------------------------------


def test_a_mandate_is_registered_with_its_iban_checked_and_an_audit_event(customer):
    mandate = mandate_add(
        customer=customer,
        mandate_id="ACME-C001-1",
        signature_date=SIGNED,
        iban="nl91 abna 0417 1643 00",
        bic="abnanl2a",
    )
    assert (
        mandate.mandate_id, mandate.iban, mandate.bic, mandate.scheme, mandate.sequence_type,
        mandate.is_active,
    ) == ("ACME-C001-1", NL_IBAN, "ABNANL2A", "CORE", "FRST", True)  # fmt: skip
    event = AuditEvent.objects.get(action="mandate.add")
    assert event.object_id == str(mandate.pk)
    assert event.changes["iban"] == NL_IBAN


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"iban": "NL91ABNA0417164301"}, "iban", "is not a valid IBAN"),
        ({"bic": "ABNA"}, "bic", "is not a valid BIC"),
        ({"mandate_id": "ACME C001"}, "mandate_id", "no spaces"),
        ({"mandate_id": "/ACME"}, "mandate_id", "must not start or end with '/'"),
        ({"mandate_id": "A" * 36}, "mandate_id", "1-35 characters"),
        ({"mandate_id": "ÉCOLE-1"}, "mandate_id", "no spaces or accents"),
        ({"scheme": "COR1"}, "scheme", "CORE or B2B"),
        ({"sequence_type": "FNAL"}, "sequence_type", "FRST, RCUR or OOFF"),
    ],
)
def test_a_bad_mandate_is_refused_naming_the_field(customer, changes, field, message):
    arguments = {
        "customer": customer,
        "mandate_id": "ACME-C001-1",
        "signature_date": SIGNED,
        "iban": NL_IBAN,
        **changes,
    }
    with pytest.raises(ValidationError) as error:
        mandate_add(**arguments)
    assert message in " ".join(error.value.message_dict[field])
    assert not Mandate.objects.exists()
    assert not AuditEvent.objects.filter(action="mandate.add").exists()


def test_a_b2b_mandate_is_for_businesses_only(acme):
    consumer = customer_factory(acme, "P001", customer_type="consumer")
    with pytest.raises(ValidationError, match="B2B mandates are for businesses"):
        mandate_add(
            customer=consumer, mandate_id="P1", signature_date=SIGNED, iban=NL_IBAN, scheme="B2B"
        )


def test_mandate_ids_are_unique_and_one_mandate_is_active_per_customer(acme, customer):
    mandate_add(customer=customer, mandate_id="M-1", signature_date=SIGNED, iban=NL_IBAN)
    other = customer_factory(acme, "C002")
    with pytest.raises(ValidationError, match="mandate 'M-1' already exists"):
        mandate_add(customer=other, mandate_id="M-1", signature_date=SIGNED, iban=BE_IBAN)
    with pytest.raises(ValidationError, match="already has active mandate M-1: revoke it first"):
        mandate_add(customer=customer, mandate_id="M-2", signature_date=SIGNED, iban=BE_IBAN)
    # Another administration may use the same mandate id for its own customer.
    belg = administration_factory("BELG", country="BE")
    mandate_add(
        customer=customer_factory(belg, "C001"),
        mandate_id="M-1",
        signature_date=SIGNED,
        iban=BE_IBAN,
    )
    assert list(mandate_list(administration=acme).values_list("mandate_id", flat=True)) == ["M-1"]


def test_a_revoked_mandate_is_inactive_and_may_be_replaced(acme, customer):
    first = mandate_add(customer=customer, mandate_id="M-1", signature_date=SIGNED, iban=NL_IBAN)
    mandate_revoke(mandate=first, reason="customer closed the account")
    first.refresh_from_db()
    assert first.is_active is False
    event = AuditEvent.objects.get(action="mandate.revoke")
    assert event.reason == "customer closed the account"
    with pytest.raises(ValidationError, match="mandate M-1 is not active"):
        mandate_revoke(mandate=first)
    mandate_add(customer=customer, mandate_id="M-2", signature_date=SIGNED, iban=BE_IBAN)
    assert [m.mandate_id for m in mandate_list(administration=acme, is_active=True)] == ["M-2"]
    with pytest.raises(LookupError, match="no mandate 'M-9' in ACME"):
        mandate_get(administration=acme, mandate_id="M-9")


def test_the_mandate_commands(acme, customer, capsys):
    assert (
        main(
            [
                "mandate",
                "add",
                "--administration",
                "ACME",
                "--customer",
                "C001",
                "--mandate-id",
                "M-1",
                "--signed",
                "2026-03-02",
                "--iban",
                NL_IBAN,
                "--bic",
                "ABNANL2A",
            ]
        )  # fmt: skip
        == 0
    )
    assert (
        "Mandate M-1 of C001 registered: CORE FRST, NL91ABNA0417164300, signed 2026-03-02."
        in capsys.readouterr().out
    )
    assert (
        main(
            [
                "mandate",
                "add",
                "--administration",
                "ACME",
                "--customer",
                "C001",
                "--mandate-id",
                "M-2",
                "--signed",
                "2026-03-02",
                "--iban",
                "NL00ABNA0417164300",
            ]
        )  # fmt: skip
        == 1
    )
    assert "iban: 'NL00ABNA0417164300' is not a valid IBAN" in capsys.readouterr().err
    assert main(["mandate", "list", "--administration", "ACME", "--format", "json"]) == 0
    import json

    assert json.loads(capsys.readouterr().out) == [
        {
            "mandate_id": "M-1",
            "customer_number": "C001",
            "customer_name": "Bakkerij Jansen B.V.",
            "signature_date": "2026-03-02",
            "iban": NL_IBAN,
            "bic": "ABNANL2A",
            "scheme": "CORE",
            "sequence_type": "FRST",
            "is_active": True,
        }
    ]
    assert main(["mandate", "revoke", "--administration", "ACME", "--mandate-id", "M-1"]) == 0
    assert "Mandate M-1 of C001 revoked" in capsys.readouterr().out
    assert main(["mandate", "revoke", "--administration", "ACME", "--mandate-id", "M-1"]) == 1
    assert "mandate M-1 is not active" in capsys.readouterr().err
    assert main(["mandate", "revoke", "--administration", "ACME", "--mandate-id", "M-9"]) == 1
    assert "no mandate 'M-9' in ACME" in capsys.readouterr().err
    assert main(["mandate", "list", "--administration", "ACME", "--active"]) == 0
    assert "No mandates." in capsys.readouterr().out


def test_sepa_identifiers_follow_the_epc_character_rules():
    assert sepa_identifier("ACME/2026-001") == "ACME/2026-001"
    for bad in ("ACME//1", "ACME/", "", "A&B"):
        with pytest.raises(SepaError):
            sepa_identifier(bad)


# --- The back office ---------------------------------------------------------------------------


def test_the_back_office_shows_a_staff_user_only_the_mandates_of_their_administrations(
    acme, customer
):
    mandate_add(customer=customer, mandate_id="M-ACME", signature_date=SIGNED, iban=NL_IBAN)
    other = administration_factory("OTHER")
    mandate_add(
        customer=customer_factory(other, "C001"),
        mandate_id="M-OTHER",
        signature_date=SIGNED,
        iban=BE_IBAN,
    )
    user = user_factory("anna", is_staff=True)
    membership_factory(user, acme, role="admin")
    request = RequestFactory().get("/admin/banking/mandate/")
    request.user = user
    model_admin = site._registry[Mandate]
    assert [m.mandate_id for m in model_admin.get_queryset(request)] == ["M-ACME"]


def test_the_back_office_lists_mandates_and_refuses_a_customer_of_another_administration(
    client, acme, customer
):
    other = administration_factory("OTHER")
    stranger = customer_factory(other, "X1")
    admin_user = user_factory("root", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    response = client.post(
        "/admin/banking/mandate/add/",
        {
            "administration": acme.pk,
            "customer": stranger.pk,
            "mandate_id": "M-X",
            "signature_date": "2026-03-02",
            "iban": NL_IBAN,
            "bic": "",
            "scheme": "CORE",
            "sequence_type": "FRST",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "This belongs to another administration." in response.content.decode()
    assert not Mandate.objects.exists()
    response = client.post(
        "/admin/banking/mandate/add/",
        {
            "administration": acme.pk,
            "customer": customer.pk,
            "mandate_id": "M-1",
            "signature_date": "2026-03-02",
            "iban": "nl91abna0417164300",
            "bic": "",
            "scheme": "CORE",
            "sequence_type": "FRST",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    mandate = Mandate.objects.get()
    assert mandate.iban == NL_IBAN
    assert AuditEvent.objects.filter(action="mandate.create").exists()
    assert client.get("/admin/banking/mandate/").status_code == 200
    assert client.get("/admin/banking/directdebitbatch/").status_code == 200
