"""The payload of the EPC QR code for a SEPA credit transfer (EPC069-12, version 002).

European Payments Council, "Quick Response Code: Guidelines to Enable Data Capture for the
Initiation of a SEPA Credit Transfer", EPC069-12 (version 2.1 and later): error correction level
M, at most QR version 13, that is at most 331 bytes of payload, one element per line separated by
a line feed, in this order:

    1  BCD                service tag
    2  002                version (002: the BIC may be left out within the EEA)
    3  1                  character set; 1 is UTF-8, which is what Debitum always writes
    4  SCT                SEPA credit transfer
    5  BIC                optional in version 002, 8 or 11 characters
    6  name               beneficiary, 1..70 characters
    7  IBAN               beneficiary's account, IBAN only
    8  EUR12.34           optional, EUR 0.01 .. 999999999.99, at most two decimals
    9  purpose            optional, 4 characters (ISO 20022 purpose code, e.g. GDDS)
    10 structured         optional, up to 35 characters: the creditor reference
    11 unstructured       optional, up to 140 characters; never together with line 10
    12 information        optional, up to 70 characters, beneficiary to originator

Empty optional elements keep their (empty) line; nothing follows the last element that has a
value.

Line 10 is the structured remittance information, AT-05 of the SCT rulebook, for which the
guidelines say "ISO 11649 RF Creditor Reference may be used": RF is the one reference every
scanning bank knows. Belgian banks also take the 12 digits of the structured communication
(OGM/VCS) there, as they do in a SEPA transfer (issuer "BBA", Febelfin), and Dutch banks the
betalingskenmerk (issuer "CUR"); `epc_qr_payload` writes any of the three kinds in its
normalised form (RF without spaces, the OGM as its 12 digits), which is what the banks' matching
compares.

segno has `helpers.make_epc_qr`, but it is not used for the payload: it picks ISO 8859-1 rather
than UTF-8 unless told, writes EUR12.3 for 12.30, requires an amount and a remittance, has no
line 12, and checks only lengths (not the IBAN, BIC or reference). The payload is built here,
pure and testable; `debitum.common.qr` renders it with segno at level M.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .identifiers import IdentifierError
from .identifiers import iban as checked_iban
from .references import Reference, ReferenceError, validate

SERVICE_TAG, VERSION, CHARACTER_SET_UTF8, IDENTIFICATION = "BCD", "002", "1", "SCT"
MAX_PAYLOAD_BYTES = 331
MIN_AMOUNT, MAX_AMOUNT = Decimal("0.01"), Decimal("999999999.99")
MAX_NAME, MAX_REFERENCE, MAX_TEXT, MAX_INFORMATION = 70, 35, 140, 70

_BIC = re.compile(r"[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
_PURPOSE = re.compile(r"[A-Z0-9]{4}")


class EpcQrError(ValueError):
    """Data that cannot go into an EPC QR code; the message names the element and why."""


def _line(value: str | None, element: str, maximum: int, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise EpcQrError(f"{element}: required")
    if any(ord(character) < 32 or ord(character) == 127 for character in text):
        raise EpcQrError(f"{element}: line breaks and control characters are not allowed")
    if len(text) > maximum:
        raise EpcQrError(f"{element}: {len(text)} characters, at most {maximum}")
    return text


def _amount(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    if isinstance(amount, float) or not isinstance(amount, Decimal | int):
        raise EpcQrError(f"amount: {amount!r} must be a Decimal, not a {type(amount).__name__}")
    try:
        amount = Decimal(amount)
        exact = amount.quantize(Decimal("0.01"))
    except InvalidOperation:
        raise EpcQrError(f"amount: {amount!r} is not a number") from None
    if exact != amount:
        raise EpcQrError(f"amount: {amount} has more than two decimals")
    if not MIN_AMOUNT <= exact <= MAX_AMOUNT:
        raise EpcQrError(f"amount: {exact} is outside EUR {MIN_AMOUNT} .. {MAX_AMOUNT}")
    return f"EUR{exact}"


def _reference(reference: Reference | str | None) -> str:
    if reference is None or reference == "":
        return ""
    if not isinstance(reference, Reference):
        try:
            reference = validate(reference)
        except ReferenceError as error:
            raise EpcQrError(f"reference: {error}") from None
    return _line(reference.normalised, "reference", MAX_REFERENCE)


def epc_qr_payload(
    *,
    name: str,
    iban: str,
    amount: Decimal | None = None,
    reference: Reference | str | None = None,
    text: str | None = None,
    bic: str | None = None,
    purpose: str | None = None,
    information: str | None = None,
) -> str:
    """The text of an EPC QR code (version 002, UTF-8) for a SEPA credit transfer in euro.

    `reference` is a structured payment reference (RF, OGM or betalingskenmerk; a text is
    validated first) and `text` the unstructured remittance: one or the other, not both.
    Raises EpcQrError naming the element that is wrong.
    """
    structured = _reference(reference)
    unstructured = _line(text, "text (unstructured remittance)", MAX_TEXT)
    if structured and unstructured:
        raise EpcQrError(
            "reference and text: the structured and the unstructured remittance exclude each other"
        )
    bic_line = _line(bic, "BIC", 11).replace(" ", "").upper()
    if bic_line and not _BIC.fullmatch(bic_line):
        raise EpcQrError(f"BIC: {bic!r} is not 8 or 11 letters and digits (AAAABBCC[DDD])")
    purpose_line = _line(purpose, "purpose", 4).upper()
    if purpose_line and not _PURPOSE.fullmatch(purpose_line):
        raise EpcQrError(f"purpose: {purpose!r} is not a 4-character purpose code")
    try:
        account = checked_iban(iban or "")
    except IdentifierError as error:
        raise EpcQrError(f"IBAN: {error}") from None
    lines = [
        SERVICE_TAG,
        VERSION,
        CHARACTER_SET_UTF8,
        IDENTIFICATION,
        bic_line,
        _line(name, "name", MAX_NAME, required=True),
        account,
        _amount(amount),
        purpose_line,
        structured,
        unstructured,
        _line(information, "information", MAX_INFORMATION),
    ]
    while not lines[-1]:
        lines.pop()
    payload = "\n".join(lines)
    size = len(payload.encode("utf-8"))
    if size > MAX_PAYLOAD_BYTES:
        raise EpcQrError(f"payload: {size} bytes in UTF-8, at most {MAX_PAYLOAD_BYTES}")
    return payload
