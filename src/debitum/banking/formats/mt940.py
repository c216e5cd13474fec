"""SWIFT MT940 customer statements as the Dutch banks write them.

One reader for the tag structure (:20: :25: :28C: :60F: :61: :86: :62F:), which SWIFT fixes,
and per bank family a reading of the :86: details, which SWIFT leaves free:

- slash codes (ING, Rabobank, Triodos since SEPA, ABN AMRO and Knab with /TRTP/):
  /EREF/, /MARF/, /CSID/, /RTRN/, /REMI/ (ING's /REMI/USTD//text/ and /REMI/STRD/CUR/ref/),
  /CNTP/iban/bic/name/city/, Rabobank's /ORDP//NAME/ and /BENM//NAME/, ABN AMRO's
  /IBAN/ /BIC/ /NAME/;
- Triodos before SEPA: >10 (account), >20 to >29 (text; >20 BIC and >21 IBAN when it is one);
- SNS, ASN Bank and RegioBank: the counterparty's account in the :61: reference, the name on
  the :61: second line and the first :86: line, the text below;
- ABN AMRO and Knab labels: "IBAN: ... BIC: ... NAAM: ... OMSCHRIJVING: ... KENMERK: ..."
  and "REK: .../NAAM: ...";
- ABN AMRO before SEPA: "GIRO  123456 NAME" and "12.34.56.789 NAME"; anything else is text.

The `mt940` package (mt-940 on PyPI) is not used: it refuses wrapped fields such as ING's
":28C:0000" + "0", reads a :61: reference of at most 16 characters (SNS and ASN write an
18-character IBAN there), parses :86: only in the German ?20 form, and reports a bad field
without its line. These rules are short enough to keep here, with the line of every field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from .statement import (
    ParsedEntry,
    ParsedStatement,
    StatementFormatError,
    bank_name_of,
    clean_account,
    clean_text,
    decode_text,
    looks_like_iban,
)

_TAG = re.compile(r":([0-9]{2}[A-Z]?):")
_BLOCK_HEADER = re.compile(r"\{[1-5]:")
_HEADER_BIC = re.compile(r"\{1:F01([A-Z]{6}[A-Z0-9]{2})")
_BALANCE = re.compile(r"(?P<mark>[CD])(?P<date>[0-9]{6})(?P<currency>[A-Z]{3})(?P<amount>.+)")
_AMOUNT = re.compile(r"(?P<units>[0-9]+)(?:[,.](?P<cents>[0-9]*))?")
_STATEMENT_LINE = re.compile(
    r"""(?P<value_date>[0-9]{6})
        (?P<entry_date>[0-9]{4})?
        (?P<mark>R?[CD])
        (?P<funds_code>[A-Z])?
        (?P<amount>[0-9][0-9,.]*)
        (?P<type>[NSF][A-Z0-9\ ]{3})
        (?P<reference>.*?)
        (?://(?P<bank_reference>.*))?""",
    re.VERBOSE,
)
_BIC = re.compile(r"[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
_ACCOUNT = re.compile(r"[A-Z0-9]{5,34}")
# A :86: line this long was cut by the bank's line width, not ended: the next line goes on
# without a space (SWIFT allows 6 lines of 65 characters; SNS and ABN AMRO pad to it).
_FULL_LINE = 65

_SNS_FAMILY = {"SNS", "ASN Bank", "RegioBank"}
_PARTIES = {"CNTP", "BENM", "ORDP", "ULTC", "ULTD", "ULTB"}
_PARTY_FIELDS = {"NAME", "ADDR", "ID", "IBAN", "BIC"}
_CODES = _PARTIES | _PARTY_FIELDS
_CODES |= {"TRTP", "REMI", "EREF", "MARF", "CSID", "RTRN", "PREF", "IREF", "CREF", "PURP"}
_CODES |= {"BUSP", "ISDT", "EXCH", "CHGS", "OCMT", "SVCL", "SUM", "NRTX", "ACCW"}
_SLASH_CODE = re.compile("/(" + "|".join(sorted(_CODES, key=len, reverse=True)) + ")/")
_LABEL = re.compile(
    r"(?<![A-Z])(IBAN|BIC|NAAM|OMSCHRIJVING|KENMERK|MACHTIGING|INCASSANT ID|INCASSANT"
    r"|BETALINGSKENM\.|ID DEBITEUR|REK):\s?"
)
_LABELLED = re.compile(r"(?<![A-Z])(IBAN|NAAM|REK):\s")
_GIRO = re.compile(r"GIRO\s+(?P<account>[0-9]+)\s+(?P<name>.+?)(?:\s{2,}(?P<rest>.*))?", re.S)
_DOTTED_ACCOUNT = re.compile(
    r"(?P<account>[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{3})\s+(?P<name>.+?)(?:\s{2,}(?P<rest>.*))?",
    re.S,
)
_TRIODOS = re.compile(r"\s*(?:[0-9]{3})?>[0-9]{2}")
# Structured references written into free text: ABN AMRO's and Knab's "ISSUER: CUR REF: n"
# for an acceptgiro, "BETALINGSKENM.: n" (ABN AMRO, Rabobank), and the SEPA mandate of an
# SNS direct debit ("Kenmerk Machtiging: m").
_ISSUER_REFERENCE = re.compile(r"ISSUER:\s*(?:CUR|ISO)\s+REF:\s*([0-9A-Z]+)")
_BETALINGSKENMERK = re.compile(r"BETALINGSKENM(?:ERK)?\.?:?\s*([0-9]+)", re.I)
_MANDATE_IN_TEXT = re.compile(r"Kenmerk Machtiging:\s*(\S+)", re.I)


@dataclass
class _Tag:
    name: str
    line: int
    lines: list[str] = field(default_factory=list)

    def joined(self) -> str:
        return "".join(self.lines)


def parse_mt940(data: bytes, file_name: str) -> list[ParsedStatement]:
    """Every statement (each :20:) of an MT940 file, in file order."""
    text = decode_text(data)
    header_bic = _HEADER_BIC.search(text)
    file_bank = bank_name_of(bic=header_bic.group(1)) if header_bic else ""
    if not file_bank and text.lstrip().startswith(":940:"):
        file_bank = "Rabobank"  # Rabobank's .swi files open with ":940:" and no SWIFT header
    statements: list[list[_Tag]] = []
    for tag in _tags(text):
        if tag.name == "20" or not statements:
            statements.append([])
        statements[-1].append(tag)
    if not statements:
        raise StatementFormatError(file_name, "line 1", "no MT940 tags (:20:, :25:, :61:, ...)")
    return [_statement(tags, file_bank, file_name) for tags in statements]


def _tags(text: str) -> list[_Tag]:
    """The tags of the file with their lines; SWIFT block headers and trailers left out."""
    tags: list[_Tag] = []
    current: _Tag | None = None
    closed = False  # the statement's closing balance has been read
    for number, line in enumerate(text.split("\n"), start=1):
        match = _TAG.match(line)
        if match:
            current = _Tag(match.group(1), number, [line[match.end() :]])
            tags.append(current)
            if current.name == "20":
                closed = False
            elif current.name.startswith("62"):
                closed = True
            continue
        stripped = line.strip()
        if stripped.startswith("-}") or stripped == "-XXX" or (stripped == "-" and closed):
            # End of a message. A lone "-" ends ABN AMRO's messages, but inside the details
            # of an entry it is text (a wrapped "MND-EV01"), so only after the closing balance.
            current = None
        elif _BLOCK_HEADER.match(stripped):
            current = None
        elif current is not None:
            current.lines.append(line)
    return tags


def _statement(tags: list[_Tag], file_bank: str, file_name: str) -> ParsedStatement:
    first = tags[0]
    account_tag = next((tag for tag in tags if tag.name == "25"), None)
    if account_tag is None:
        raise StatementFormatError(
            file_name, f"line {first.line}", "a statement without its account (:25:)"
        )
    number_tag = next((tag for tag in tags if tag.name in ("28C", "28")), None)
    opening = closing = None
    raw_entries: list[tuple[_Tag, _Tag | None]] = []
    last = ""
    for tag in tags:
        if tag.name in ("60F", "60M", "60") and opening is None:
            opening = _balance(tag, file_name)
        elif tag.name in ("62F", "62M", "62"):
            closing = _balance(tag, file_name)
        elif tag.name == "61":
            raw_entries.append((tag, None))
        elif tag.name == "86" and last == "61":
            raw_entries[-1] = (raw_entries[-1][0], tag)
        last = tag.name
    if opening is None:
        raise StatementFormatError(
            file_name, f"line {first.line}", "a statement without its opening balance (:60F:)"
        )
    currency = opening[1]
    account = _account(account_tag.joined(), currency)
    reference = clean_text(tags[0].joined()) if tags[0].name == "20" else ""
    bank = file_bank or bank_name_of(account)
    if not bank and account_tag.joined().strip().upper().startswith("TRIODOSBANK"):
        bank = "Triodos"
    if not bank and reference.upper().startswith("ABN AMRO"):
        bank = "ABN AMRO"
    entries = tuple(
        _entry(line_tag, details_tag, currency, bank, file_name)
        for line_tag, details_tag in raw_entries
    )
    return ParsedStatement(
        file_format="mt940",
        account_iban=account,
        currency=currency,
        statement_number=clean_account(number_tag.joined()) if number_tag else "",
        opening_date=opening[2],
        opening_balance=opening[0],
        closing_date=closing[2] if closing else None,
        closing_balance=closing[0] if closing else None,
        entries=entries,
        bank_name=bank,
    )


def _account(value: str, currency: str) -> str:
    """The account of :25:, without the currency or BIC some banks write with it
    ("NL77INGB0574908765EUR", "NL34RABO0142623393 EUR", "TRIODOSBANK/0390123456")."""
    tokens = [token for token in re.split(r"[\s/]+", value.strip().upper()) if token]
    candidates = [t for t in tokens if any(c.isdigit() for c in t) and not _BIC.fullmatch(t)]
    account = candidates[0] if candidates else clean_account(value)
    if currency and account.endswith(currency) and account[: -len(currency)][-1:].isdigit():
        account = account[: -len(currency)]
    return account


def _balance(tag: _Tag, file_name: str) -> tuple[Decimal, str, dt.date]:
    where = f"line {tag.line}, field {tag.name}"
    value = clean_account(tag.joined())
    match = _BALANCE.fullmatch(value)
    if not match:
        raise StatementFormatError(
            file_name, where, f"{value!r} is not a balance (C or D, YYMMDD, currency, amount)"
        )
    amount = _amount(match.group("amount"), where, file_name)
    sign = 1 if match.group("mark") == "C" else -1
    return sign * amount, match.group("currency"), _date(match.group("date"), where, file_name)


def _amount(value: str, where: str, file_name: str) -> Decimal:
    match = _AMOUNT.fullmatch(value)
    if not match:
        raise StatementFormatError(file_name, where, f"{value!r} is not an amount")
    # "10," and "10,5" are 10.00 and 10.50: SWIFT amounts may leave out trailing zeros.
    return Decimal(f"{match.group('units')}.{(match.group('cents') or '').ljust(2, '0')}")


def _date(value: str, where: str, file_name: str) -> dt.date:
    try:
        return dt.date(2000 + int(value[:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        raise StatementFormatError(file_name, where, f"{value!r} is not a date (YYMMDD)") from None


def _entry(
    line_tag: _Tag, details_tag: _Tag | None, currency: str, bank: str, file_name: str
) -> ParsedEntry:
    where = f"line {line_tag.line}"
    lines = [line.rstrip() for line in line_tag.lines]
    if any("/TRCD/" in line for line in lines[1:]) or bank == "ING":
        # ING's second line is "/TRCD/code/"; a file wrapped at other widths breaks the first
        # line anywhere, so the whole field is joined and split at /TRCD/ again.
        joined = "".join(lines)
        head, found, tail = joined.partition("/TRCD/")
        first, supplementary = head, (found + tail if found else "")
    else:
        first = lines[0]
        supplementary = " ".join(line.strip() for line in lines[1:] if line.strip())
    match = _STATEMENT_LINE.fullmatch(first)
    if not match:
        raise StatementFormatError(
            file_name,
            f"{where}, field 61",
            f"{first!r} is not a statement line (date, C or D, amount, type, reference)",
        )
    value_date = _date(match.group("value_date"), f"{where}, field 61 value date", file_name)
    booking_date = value_date
    if match.group("entry_date"):
        booking_date = _entry_date(match.group("entry_date"), value_date, where, file_name)
    amount = _amount(match.group("amount"), f"{where}, field 61 amount", file_name)
    mark = match.group("mark")
    # RC (reversal of a credit) takes money off the account, RD (of a debit) puts it back.
    sign = 1 if mark in ("C", "RD") else -1
    context = _Context(
        reference=match.group("reference").strip(),
        supplementary=supplementary.strip(),
        credit=sign > 0,
        bank=bank,
    )
    details = _details(details_tag.lines if details_tag else [], context)
    account = details.pop("account", "")
    iban, counterparty_account = (account, "") if looks_like_iban(account) else ("", account)
    return_reason = details.pop("return_reason", "")
    end_to_end_id = details.pop("end_to_end_id", "")
    if end_to_end_id.upper() == "NOTPROVIDED":
        end_to_end_id = ""
    return ParsedEntry(
        booking_date=booking_date,
        value_date=value_date,
        amount=sign * amount,
        currency=currency,
        counterparty_iban=iban,
        counterparty_account=counterparty_account,
        end_to_end_id=end_to_end_id,
        return_reason=return_reason,
        bank_reference=clean_text(match.group("bank_reference")),
        transaction_code=match.group("type").strip(),
        is_reversal=mark.startswith("R") or bool(return_reason),
        where=where,
        **{key: clean_text(value) for key, value in details.items()},
    )


def _entry_date(value: str, value_date: dt.date, where: str, file_name: str) -> dt.date:
    """The booking date (MMDD) in the year that puts it nearest the value date: an entry
    booked on 31 December may have its value date in January."""
    candidates = []
    for year in (value_date.year - 1, value_date.year, value_date.year + 1):
        try:
            candidates.append(dt.date(year, int(value[:2]), int(value[2:])))
        except ValueError:
            continue
    if not candidates:
        raise StatementFormatError(
            file_name, f"{where}, field 61 entry date", f"{value!r} is not MMDD"
        )
    return min(candidates, key=lambda candidate: abs((candidate - value_date).days))


@dataclass(frozen=True)
class _Context:
    reference: str  # the :61: customer reference
    supplementary: str  # the :61: supplementary details (its second line)
    credit: bool
    bank: str


def _details(lines: list[str], context: _Context) -> dict[str, str]:
    """What the :86: lines say: account, counterparty_name, counterparty_bic, remittance,
    structured_reference, end_to_end_id, mandate_id, return_reason."""
    glued = "".join(lines)
    if _SLASH_CODE.match(glued.lstrip()):
        details = _slash_coded(glued.strip(), context)
    elif _TRIODOS.match(glued):
        details = _triodos(glued)
    elif _is_sns(lines, context):
        details = _sns(lines, context)
    else:
        flowed = _flowed(lines)
        if _LABELLED.search(flowed):
            details = _labelled(flowed)
        else:
            details = _abn_amro_text(flowed)
    text = details.get("remittance", "")
    if not details.get("structured_reference"):
        found = _ISSUER_REFERENCE.search(text) or _BETALINGSKENMERK.search(text)
        if found:
            details["structured_reference"] = found.group(1)
    if not details.get("mandate_id"):
        found = _MANDATE_IN_TEXT.search(text)
        if found:
            details["mandate_id"] = found.group(1)
    return details


def _flowed(lines: list[str]) -> str:
    """Free-text lines as one text: a full-width line runs on into the next, a shorter one
    ended where the writer ended it."""
    text = ""
    for index, line in enumerate(lines):
        if index and len(lines[index - 1]) < _FULL_LINE:
            text += " "
        text += line
    return text


def _slash_coded(text: str, context: _Context) -> dict[str, str]:
    values: dict[str, list[str]] = {}
    parties: dict[str, dict[str, str]] = {}
    party = ""  # the party that /NAME/, /ADDR/, /ID/, /IBAN/ and /BIC/ belong to
    matches = list(_SLASH_CODE.finditer(text))
    for index, match in enumerate(matches):
        code = match.group(1)
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        value = text[match.end() : end]
        if code in _PARTIES:
            party = code
            parts = value.rstrip("/").split("/", 3) + ["", "", ""]
            parties[code] = {"IBAN": parts[0], "BIC": parts[1], "NAME": parts[2]}
        elif code in _PARTY_FIELDS:
            parties.setdefault(party, {})[code] = value.rstrip("/")
        else:
            party = ""
            values.setdefault(code, []).append(value)
    details: dict[str, str] = {}
    preferred = ("ORDP", "BENM") if context.credit else ("BENM", "ORDP")
    for name in ("CNTP", "", *preferred):
        found = parties.get(name, {})
        if found.get("IBAN") or found.get("NAME"):
            details["account"] = clean_account(found.get("IBAN", ""))
            details["counterparty_name"] = found.get("NAME", "")
            details["counterparty_bic"] = clean_account(found.get("BIC", ""))
            break
    if not details.get("account"):
        # Rabobank writes the counterparty's account on the :61: line's second line.
        supplementary = clean_account(context.supplementary)
        if _ACCOUNT.fullmatch(supplementary):
            details["account"] = supplementary

    def value_of(code: str) -> str:
        return " ".join(clean_text(part.strip("/")) for part in values.get(code, []))

    remittance, structured = [], ""
    for raw in values.get("REMI", []):
        if raw.startswith("STRD/"):
            parts = raw.split("/")
            structured = structured or (parts[2] if len(parts) > 2 else "")
        elif raw.startswith("USTD/"):
            remittance.append(raw[len("USTD/") :].strip("/"))
        else:
            remittance.append(raw.rstrip("/"))
    details["remittance"] = " ".join(remittance)
    details["structured_reference"] = structured
    details["end_to_end_id"] = value_of("EREF")
    details["mandate_id"] = value_of("MARF")
    details["return_reason"] = value_of("RTRN")
    return details


def _triodos(text: str) -> dict[str, str]:
    parts = re.split(r">([0-9]{2})", text)
    fields: dict[str, str] = {}
    for code, value in zip(parts[1::2], parts[2::2], strict=True):
        fields[code] = fields.get(code, "") + value
    details: dict[str, str] = {}
    counterparty_iban = clean_account(fields.get("21"))
    if looks_like_iban(counterparty_iban):
        details["account"] = counterparty_iban
        details["counterparty_bic"] = clean_account(fields.get("20"))
        text_fields = [f"{n}" for n in range(22, 30)]
    else:
        old_account = clean_account(fields.get("10"))
        if old_account.strip("0"):
            details["account"] = old_account
        text_fields = [f"{n}" for n in range(20, 30)]
    details["remittance"] = "".join(fields.get(code, "") for code in text_fields)
    return details


def _is_sns(lines: list[str], context: _Context) -> bool:
    if context.bank in _SNS_FAMILY:
        return True
    reference = context.reference.upper()
    return (
        bool(lines)
        and _ACCOUNT.fullmatch(reference) is not None
        and reference not in ("NONREF", "EREF", "PREF")
        and lines[0].strip().upper().startswith(reference)
    )


def _sns(lines: list[str], context: _Context) -> dict[str, str]:
    first = lines[0].strip() if lines else ""
    account = clean_account(context.reference)
    name = context.supplementary
    if first and not name:
        account_in_text, _, name = first.partition(" ")
        account = account or clean_account(account_in_text)
    if not _ACCOUNT.fullmatch(account) or account in ("NONREF", "EREF", "PREF"):
        account = ""
    return {"account": account, "counterparty_name": name, "remittance": _flowed(lines[1:])}


def _labelled(text: str) -> dict[str, str]:
    matches = list(_LABEL.finditer(text))
    labels: dict[str, str] = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        labels.setdefault(match.group(1), text[match.end() : end].strip().rstrip("/").strip())
    prefix = clean_text(text[: matches[0].start()]) if matches else ""
    remittance = labels.get("OMSCHRIJVING", "")
    if not remittance and prefix and not prefix.upper().startswith("SEPA"):
        remittance = prefix  # Knab: the description comes before "REK:"
    return {
        "account": clean_account(labels.get("IBAN") or labels.get("REK")),
        "counterparty_bic": clean_account(labels.get("BIC")),
        "counterparty_name": labels.get("NAAM", ""),
        "remittance": remittance,
        "structured_reference": clean_account(labels.get("BETALINGSKENM.")),
        "end_to_end_id": clean_text(labels.get("KENMERK")),
        "mandate_id": clean_text(labels.get("MACHTIGING")),
    }


def _abn_amro_text(text: str) -> dict[str, str]:
    stripped = text.strip()
    match = _GIRO.fullmatch(stripped) or _DOTTED_ACCOUNT.fullmatch(stripped)
    if not match:
        return {"remittance": stripped}
    return {
        "account": match.group("account").replace(".", ""),
        "counterparty_name": match.group("name"),
        "remittance": match.group("rest") or "",
    }
