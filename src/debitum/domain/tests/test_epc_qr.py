"""The EPC QR payload (EPC069-12), line by line, and its refusals."""

from decimal import Decimal

import pytest
from segno.helpers import _make_epc_qr_data

from debitum.domain.epc_qr import EpcQrError, epc_qr_payload
from debitum.domain.references import generate


def test_the_red_cross_example_of_the_epc_guidelines():
    # EPC069-12's example (also on Wikipedia, "EPC QR code"): EUR 1 to the Belgian Red Cross
    # with purpose CHAR and the text "Urgency fund". The guidelines show version 001, which
    # needs the BIC; Debitum writes 002, UTF-8 (1) and the amount with its two decimals.
    payload = epc_qr_payload(
        name="Red Cross of Belgium",
        iban="BE72 0000 0000 1616",
        bic="BPOTBEB1",
        amount=Decimal("1.00"),
        purpose="CHAR",
        text="Urgency fund",
        information="Sample EPC QR code",
    )
    assert payload.split("\n") == [
        "BCD",  # service tag
        "002",  # version
        "1",  # character set: UTF-8
        "SCT",  # SEPA credit transfer
        "BPOTBEB1",  # BIC
        "Red Cross of Belgium",  # name
        "BE72000000001616",  # IBAN, without spaces
        "EUR1.00",  # amount
        "CHAR",  # purpose
        "",  # structured reference: empty, since there is a text
        "Urgency fund",  # unstructured remittance
        "Sample EPC QR code",  # beneficiary to originator information
    ]


def test_an_rf_reference_without_bic_stops_after_the_reference():
    # Wikipedia (de), "EPC-QR-Code": Wikimedia Foerdergesellschaft, DE33 1002 0500 0001 1947 00,
    # EUR 123.45, with the ISO 11649 example RF18 5390 0754 7034 as structured reference.
    payload = epc_qr_payload(
        name="Wikimedia Foerdergesellschaft",
        iban="DE33100205000001194700",
        amount=Decimal("123.45"),
        reference="RF18 5390 0754 7034",
    )
    assert payload == (
        "BCD\n002\n1\nSCT\n\nWikimedia Foerdergesellschaft\nDE33100205000001194700\n"
        "EUR123.45\n\nRF18539007547034"
    )
    # segno's helper writes the same bytes when told to use UTF-8 (encoding 1).
    assert payload.encode("utf-8") == _make_epc_qr_data(
        "Wikimedia Foerdergesellschaft",
        "DE33100205000001194700",
        Decimal("123.45"),
        reference="RF18539007547034",
        encoding=1,
    )


def test_a_belgian_structured_communication_goes_in_as_its_twelve_digits():
    payload = epc_qr_payload(
        name="Belg SRL",
        iban="BE68539007547034",
        amount=Decimal("250"),
        reference=generate("ogm", 108068171),
    )
    assert payload.split("\n")[7:] == ["EUR250.00", "", "010806817183"]


def test_names_in_utf8_and_no_amount():
    payload = epc_qr_payload(name="Société Générale Belge", iban="BE68539007547034", text="F-1")
    assert payload.split("\n")[5:] == [
        "Société Générale Belge",
        "BE68539007547034",
        "",
        "",
        "",
        "F-1",
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "name: required"),
        ({"name": "N" * 71}, "name: 71 characters, at most 70"),
        ({"name": "Acme\nB.V."}, "name: line breaks and control characters are not allowed"),
        ({"iban": "NL91ABNA0417164301"}, "IBAN: 'NL91ABNA0417164301' is not a valid IBAN"),
        ({"bic": "ABNANL2"}, "BIC: 'ABNANL2' is not 8 or 11 letters"),
        ({"amount": Decimal("0.00")}, "amount: 0.00 is outside EUR 0.01 .. 999999999.99"),
        ({"amount": Decimal("1000000000.00")}, "is outside EUR 0.01 .. 999999999.99"),
        ({"amount": Decimal("12.345")}, "amount: 12.345 has more than two decimals"),
        ({"amount": 12.34}, "amount: 12.34 must be a Decimal, not a float"),
        ({"purpose": "CHARITY"}, "purpose: 7 characters, at most 4"),
        ({"purpose": "GD-S"}, "purpose: 'GD-S' is not a 4-character purpose code"),
        ({"reference": "RF17 5390 0754 7034"}, "reference: 'RF17 5390 0754 7034' is not an RF"),
        ({"reference": "+++010/8068/17183++"}, "reference: '+++010/8068/17183++' is not a struct"),
        ({"text": "T" * 141}, "text (unstructured remittance): 141 characters, at most 140"),
        (
            {"reference": "RF18539007547034", "text": "F-1"},
            "structured and the unstructured remittance exclude each other",
        ),
        ({"information": "I" * 71}, "information: 71 characters, at most 70"),
        # 280 two-byte characters (560 bytes) + 36 bytes of the other elements + 11 line feeds.
        (
            {"name": "é" * 70, "text": "é" * 140, "information": "é" * 70},
            "payload: 607 bytes in UTF-8, at most 331",
        ),
    ],
)
def test_what_cannot_go_in_is_refused_with_the_element(changes, message):
    arguments = {"name": "Acme B.V.", "iban": "NL91ABNA0417164300", "amount": Decimal("12.34")}
    with pytest.raises(EpcQrError) as error:
        epc_qr_payload(**(arguments | changes))
    assert message in str(error.value)
