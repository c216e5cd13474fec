"""Payment references: generate and validate the three kinds a Dutch or Belgian debtor meets.

- ``ogm``: the Belgian structured communication (OGM/VCS, "gestructureerde mededeling"),
  ``+++ddd/dddd/ddddd+++`` or ``***ddd/dddd/ddddd***``: ten digits and two check digits, the ten
  digits modulo 97 with 0 written as 97 (Febelfin, the Belgian banking standards; the same rule
  as the ``BBA`` issuer of a SEPA credit transfer). python-stdnum's ``be.ogm_vcs`` computes the
  check digits but ignores the frame: it strips every ``+`` wherever it stands and refuses
  ``***``, so the frame is checked here before the digits go to stdnum.
- ``nl``: the Dutch betalingskenmerk (formerly the acceptgiro reference), following the
  Betaalvereniging Nederland, "Specificaties betalingskenmerk"
  (betaalvereniging.nl/betalingsverkeer/giraal-betalingsverkeer/wijzigingen-verwerking-
  acceptgirobetalingen/specificaties-betalingskenmerk/): 7 digits without a check, 9 to 14
  digits as check digit C + length code L + 7..12 digits, or 16 digits as C + 15 digits. C is a
  weighted modulus 11 over everything after it (L included), weights 2, 4, 8, 5, 10, 9, 7, 3, 6, 1
  from the right, repeating; C = 11 - (sum mod 11), 10 becomes 1 and 11 becomes 0. python-stdnum
  has no module for it.
- ``rf``: the ISO 11649 creditor reference, ``RF`` + two check digits + 1..21 letters or digits,
  printed in groups of four, checked with python-stdnum's ``iso11649`` (ISO 7064 mod 97-10).

`validate` returns a `Reference` or raises `ReferenceError` with the reason; `detect` names the
kind of a text; `generate` makes a reference of a kind from a counter value.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum

from stdnum import iso11649
from stdnum.be import ogm_vcs
from stdnum.exceptions import ValidationError
from stdnum.iso7064 import mod_97_10


class ReferenceKind(StrEnum):
    OGM = "ogm"
    NL = "nl"
    RF = "rf"


# The builtin ReferenceError (weak references) is never wanted here; callers import this one
# as `references.ReferenceError`.
class ReferenceError(ValueError):
    """A text that is not a valid payment reference; the message says why."""


@dataclass(frozen=True)
class Reference:
    """A valid payment reference.

    `normalised` is what a bank statement carries and what the matcher compares (OGM: the 12
    digits; nl: the digits; rf: ``RF…`` without spaces, upper case); `display` is what goes on an
    invoice or a letter.
    """

    kind: ReferenceKind
    normalised: str
    display: str


OGM_BASE_MAX = 9_999_999_999  # ten digits before the check digits
NL_BASE_MAX = 10**15 - 1  # fifteen digits after the check digit of the 16-digit form
RF_BODY_MAX = 21  # ISO 11649: at most 21 characters after RF and the check digits

NL_WEIGHTS = (2, 4, 8, 5, 10, 9, 7, 3, 6, 1)
_NL_CHECK = {10: 1, 11: 0}  # 11 - (sum mod 11): 10 and 11 are written as 1 and 0
# Betaalvereniging: lengths 9..14 carry a length code L = (number of digits after L) mod 10.
NL_LENGTHS_WITH_CODE = range(9, 15)

_OGM_FRAMED = re.compile(r"([+*])\1\1(\d{3}/\d{4}/\d{5}|\d{12})\1\1\1")
_OGM_BODY = re.compile(r"\d{3}/\d{4}/\d{5}|\d{12}")
_RF_SHAPE = re.compile(r"RF\d\d[A-Z0-9]+")


def _without_spaces(text: str) -> str:
    return "".join(str(text).split())


def _group_from_right(digits: str, size: int = 4) -> str:
    head = len(digits) % size
    groups = [digits[:head]] if head else []
    groups += [digits[i : i + size] for i in range(head, len(digits), size)]
    return " ".join(groups)


# --- OGM / VCS ---------------------------------------------------------------------------------


def ogm_check_digits(base: str) -> str:
    """The two check digits of a 10-digit base: base mod 97, with 0 written as 97."""
    return ogm_vcs.calc_check_digits(base)


def _ogm_display(digits: str) -> str:
    return f"+++{ogm_vcs.format(digits)}+++"


def _ogm_body(text: str) -> str:
    """The 12 digits of an OGM, after checking the frame; raises with the reason."""
    compact = _without_spaces(text)
    if not compact:
        raise ReferenceError("an empty text is not a structured communication")
    opens, closes = compact[0] in "+*", compact[-1] in "+*"
    if opens or closes:
        if not _OGM_FRAMED.fullmatch(compact):
            head = re.match(r"[+*]*", compact).group()
            tail = re.search(r"[+*]*$", compact).group()
            if head and tail and head[0] != tail[-1]:
                reason = f"the frame opens with {head!r} but closes with {tail!r}"
            elif head not in ("+++", "***") or tail != head:
                reason = "the frame must be '+++' or '***' on both sides"
            else:
                reason = "between the frame there must be 12 digits, as ddd/dddd/ddddd"
            raise ReferenceError(f"{text!r} is not a structured communication: {reason}")
        compact = compact[3:-3]
    elif not _OGM_BODY.fullmatch(compact):
        if re.search(r"[^0-9/]", compact):
            reason = "only digits and '/' may stand between the '+++' or '***'"
        elif "/" in compact:
            reason = "the digits must be grouped 3/4/5 (ddd/dddd/ddddd)"
        else:
            reason = f"it has {len(compact)} digits, not 12"
        raise ReferenceError(f"{text!r} is not a structured communication: {reason}")
    digits = compact.replace("/", "")
    try:
        ogm_vcs.validate(digits)
    except ValidationError:
        raise ReferenceError(
            f"{text!r} is not a structured communication: the check digits are {digits[-2:]}, "
            f"{digits[:10]} mod 97 gives {ogm_check_digits(digits)}"
        ) from None
    return digits


def _ogm(text: str) -> Reference:
    digits = _ogm_body(text)
    return Reference(ReferenceKind.OGM, digits, _ogm_display(digits))


# --- Dutch betalingskenmerk --------------------------------------------------------------------


def nl_check_digit(digits: str) -> str:
    """The check digit C of a betalingskenmerk over the digits after C (the length code included)."""
    total = sum(
        int(digit) * NL_WEIGHTS[position % len(NL_WEIGHTS)]
        for position, digit in enumerate(reversed(digits))
    )
    check = 11 - total % 11
    return str({10: 1, 11: 0}.get(check, check))


def _nl(text: str) -> Reference:
    digits = _without_spaces(text)
    if not digits.isdigit() or not digits.isascii():
        raise ReferenceError(f"{text!r} is not a betalingskenmerk: only digits are allowed")
    length = len(digits)
    if length == 7:
        # The 7-digit form has no check at all (Betaalvereniging); its format is all there is.
        return Reference(ReferenceKind.NL, digits, _group_from_right(digits))
    if length != 16 and length not in NL_LENGTHS_WITH_CODE:
        raise ReferenceError(
            f"{text!r} is not a betalingskenmerk: it has {length} digits, not 7, 9 to 14, or 16"
        )
    if length in NL_LENGTHS_WITH_CODE and int(digits[1]) != (length - 2) % 10:
        raise ReferenceError(
            f"{text!r} is not a betalingskenmerk: the length code (second digit) is {digits[1]}, "
            f"but {length - 2} digits follow it, so it must be {(length - 2) % 10}"
        )
    expected = nl_check_digit(digits[1:])
    if digits[0] != expected:
        raise ReferenceError(
            f"{text!r} is not a betalingskenmerk: the check digit (first digit) is {digits[0]}, "
            f"the modulus 11 check gives {expected}"
        )
    return Reference(ReferenceKind.NL, digits, _group_from_right(digits))


# --- ISO 11649 RF creditor reference -----------------------------------------------------------


def rf_check_digits(body: str) -> str:
    """The two check digits of an RF reference with this body (ISO 7064 mod 97-10)."""
    return mod_97_10.calc_check_digits(body + "RF")


def _rf(text: str) -> Reference:
    compact = _without_spaces(text).upper()
    if not compact.startswith("RF"):
        raise ReferenceError(f"{text!r} is not an RF creditor reference: it must start with RF")
    if not _RF_SHAPE.fullmatch(compact) or not compact.isascii():
        reason = (
            "RF must be followed by two check digits"
            if not compact[2:4].isdigit() or len(compact) < 5
            else "after RF and the check digits only letters A-Z and digits are allowed"
        )
        raise ReferenceError(f"{text!r} is not an RF creditor reference: {reason}")
    body = compact[4:]
    if len(body) > RF_BODY_MAX:
        raise ReferenceError(
            f"{text!r} is not an RF creditor reference: {len(body)} characters after the check "
            f"digits, at most {RF_BODY_MAX}"
        )
    expected = rf_check_digits(body)
    # stdnum's iso11649 only asks that the mod 97 be 1, so it would accept RF00/RF01/RF99 where
    # RF97/RF98/RF02 is right; ISO 11649 check digits are 02..98, so compare them exactly.
    if compact[2:4] != expected or not iso11649.is_valid(compact):
        raise ReferenceError(
            f"{text!r} is not an RF creditor reference: the check digits are {compact[2:4]}, "
            f"ISO 7064 mod 97-10 gives {expected}"
        )
    return Reference(ReferenceKind.RF, compact, iso11649.format(compact))


# --- The public API ----------------------------------------------------------------------------

_VALIDATORS = {ReferenceKind.OGM: _ogm, ReferenceKind.NL: _nl, ReferenceKind.RF: _rf}


def _kind(kind: str) -> ReferenceKind:
    try:
        return ReferenceKind(str(kind).lower())
    except ValueError:
        raise ReferenceError(
            f"unknown reference kind {kind!r}: use {', '.join(ReferenceKind)}"
        ) from None


def detect(text: str) -> ReferenceKind:
    """The kind a text claims to be, from its shape alone (check digits are not looked at).

    ``RF…`` is rf; a ``+``/``*`` frame or a ``/`` is ogm; bare digits are nl, except that 12 bare
    digits (as Belgian banks deliver an OGM) are ogm when their mod 97 holds and nl otherwise.
    """
    compact = _without_spaces(text)
    if not compact:
        raise ReferenceError("an empty text is not a payment reference")
    if compact[:2].upper() == "RF":
        return ReferenceKind.RF
    if compact[0] in "+*" or compact[-1] in "+*" or "/" in compact:
        return ReferenceKind.OGM
    if compact.isdigit() and compact.isascii():
        if len(compact) == 12 and ogm_vcs.is_valid(compact):
            return ReferenceKind.OGM
        return ReferenceKind.NL
    raise ReferenceError(
        f"{text!r} is not a payment reference: not an RF creditor reference, a structured "
        "communication (+++ddd/dddd/ddddd+++) or a betalingskenmerk (digits only)"
    )


def validate(text: str, kind: str | None = None) -> Reference:
    """The reference in `text`, of `kind` or of the kind `detect` finds; raises ReferenceError.

    Spaces anywhere are ignored. Twelve bare digits whose mod 97 fails are tried as a
    betalingskenmerk before being refused, and the error then gives both reasons.
    """
    if kind is not None:
        return _VALIDATORS[_kind(kind)](text)
    detected = detect(text)
    compact = _without_spaces(text)
    if detected is ReferenceKind.NL and len(compact) == 12:
        try:
            return _nl(text)
        except ReferenceError as as_nl:
            try:
                _ogm(text)
            except ReferenceError as as_ogm:
                raise ReferenceError(f"{as_ogm}; and {as_nl}") from None
    return _VALIDATORS[detected](text)


def generate(kind: str, number: int | str) -> Reference:
    """The reference of `kind` for a counter value `number`.

    - ogm: `number` 0..9,999,999,999 becomes the ten digits, zero-padded, and the mod 97 check;
    - nl: `number` 0..999,999,999,999,999 becomes the 16-digit form (C + 15 digits), the one
      form with the full fifteen digits and no length code;
    - rf: `number` (digits, or letters and digits) becomes the body of ``RFcc…``.
    """
    kind = _kind(kind)
    text = _without_spaces(str(number)).upper()
    if kind is ReferenceKind.RF:
        if not text or not text.isalnum() or not text.isascii() or len(text) > RF_BODY_MAX:
            raise ReferenceError(
                f"{number!r} cannot be the body of an RF reference: 1 to {RF_BODY_MAX} letters "
                "A-Z or digits"
            )
        return _rf(f"RF{rf_check_digits(text)}{text}")
    limit = OGM_BASE_MAX if kind is ReferenceKind.OGM else NL_BASE_MAX
    if not text.isdigit() or not text.isascii() or int(text) > limit:
        raise ReferenceError(f"{number!r} is not a number from 0 to {limit:,} for kind {kind}")
    if kind is ReferenceKind.OGM:
        base = f"{int(text):010d}"
        return _ogm(base + ogm_check_digits(base))
    base = f"{int(text):015d}"
    return _nl(nl_check_digit(base) + base)


def generate_many(kind: str, first: int, count: int) -> list[str]:
    """The display forms of `generate(kind, n)` for n = first .. first + count - 1.

    The same references as `generate`, built without re-validating each one: a million-row
    invoice import needs a million of them, and `generate` takes 25 µs apiece.
    """
    kind = _kind(kind)
    last = first + count - 1
    if count <= 0:
        return []
    if kind is ReferenceKind.RF:
        return [generate(kind, number).display for number in range(first, last + 1)]
    limit = OGM_BASE_MAX if kind is ReferenceKind.OGM else NL_BASE_MAX
    if first < 0 or last > limit:
        raise ReferenceError(f"{first}..{last} is not within 0 to {limit:,} for kind {kind}")
    if kind is ReferenceKind.OGM:
        out = []
        for number in range(first, last + 1):
            digits = f"{number:010d}{number % 97 or 97:02d}"
            out.append(f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++")
        return out
    tables = _nl_chunk_sums()
    out = []
    for number in range(first, last + 1):
        high, rest = divmod(number, 10**10)
        middle, low = divmod(rest, 10**5)
        total = tables[0][low] + tables[1][middle] + tables[2][high]
        check = _NL_CHECK.get(11 - total % 11, 11 - total % 11)
        digits = f"{check}{number:015d}"
        out.append(f"{digits[:4]} {digits[4:8]} {digits[8:12]} {digits[12:]}")
    return out


@functools.cache
def _nl_chunk_sums() -> tuple[list[int], list[int], list[int]]:
    """The weighted digit sums of every 5-digit chunk at positions 0-4, 5-9 and 10-14 from the
    right, so that a check digit takes three look-ups instead of fifteen multiplications."""

    def table(offset: int) -> list[int]:
        weights = [NL_WEIGHTS[(offset + position) % len(NL_WEIGHTS)] for position in range(5)]
        sums = [0] * 100_000
        for chunk in range(100_000):
            value, total = chunk, 0
            for weight in weights:
                value, digit = divmod(value, 10)
                total += weight * digit
            sums[chunk] = total
        return sums

    return table(0), table(5), table(10)
