"""Writing a camt.053.001.02 statement: for the demo administration's day at the bank and the
matching benchmark, so that both go through the same reader as a real bank's file.

Only what `camt.parse_camt` reads back is written (a round-trip test holds the two together).
Writing needs no defusedxml: nothing is parsed here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from xml.etree.ElementTree import Element, SubElement, tostring

from .statement import ParsedEntry

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


def _add(parent: Element, tag: str, text: str | None = None, **attributes) -> Element:
    element = SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def _balance(statement: Element, code: str, amount: Decimal, currency: str, date: dt.date):
    balance = _add(statement, "Bal")
    _add(_add(_add(balance, "Tp"), "CdOrPrtry"), "Cd", code)
    _add(balance, "Amt", f"{abs(amount):.2f}", Ccy=currency)
    _add(balance, "CdtDbtInd", "CRDT" if amount >= 0 else "DBIT")
    _add(_add(balance, "Dt"), "Dt", date.isoformat())


def camt053(
    *,
    account_iban: str,
    currency: str,
    statement_number: str,
    opening_balance: Decimal,
    date: dt.date,
    entries: list[ParsedEntry],
) -> bytes:
    """One day's statement of `account_iban` with `entries` (credits positive), its closing
    balance the opening balance plus the entries."""
    document = Element("Document", xmlns=NAMESPACE)
    message = _add(document, "BkToCstmrStmt")
    header = _add(message, "GrpHdr")
    _add(header, "MsgId", f"{account_iban}-{date.isoformat()}-{statement_number}")
    _add(header, "CreDtTm", f"{date.isoformat()}T20:00:00")
    statement = _add(message, "Stmt")
    _add(statement, "Id", f"{account_iban}-{statement_number}")
    _add(statement, "ElctrncSeqNb", statement_number)
    _add(statement, "CreDtTm", f"{date.isoformat()}T20:00:00")
    account = _add(statement, "Acct")
    _add(_add(account, "Id"), "IBAN", account_iban)
    _add(account, "Ccy", currency)
    closing = opening_balance + sum((entry.amount for entry in entries), Decimal("0"))
    _balance(statement, "OPBD", opening_balance, currency, date)
    _balance(statement, "CLBD", closing, currency, date)
    for number, entry in enumerate(entries, start=1):
        _entry(statement, number, entry)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(document, encoding="utf-8")


def _entry(statement: Element, number: int, entry: ParsedEntry) -> None:
    credit = entry.amount >= 0
    ntry = _add(statement, "Ntry")
    _add(ntry, "Amt", f"{abs(entry.amount):.2f}", Ccy=entry.currency)
    _add(ntry, "CdtDbtInd", "CRDT" if credit else "DBIT")
    _add(ntry, "Sts", "BOOK")
    _add(_add(ntry, "BookgDt"), "Dt", entry.booking_date.isoformat())
    _add(_add(ntry, "ValDt"), "Dt", (entry.value_date or entry.booking_date).isoformat())
    _add(ntry, "AcctSvcrRef", entry.bank_reference or f"{number:012d}")
    details = _add(_add(ntry, "NtryDtls"), "TxDtls")
    if entry.end_to_end_id:
        _add(_add(details, "Refs"), "EndToEndId", entry.end_to_end_id)
    parties = _add(details, "RltdPties")
    party = "Dbtr" if credit else "Cdtr"
    if entry.counterparty_name:
        _add(_add(parties, party), "Nm", entry.counterparty_name)
    if entry.counterparty_iban:
        _add(_add(_add(parties, f"{party}Acct"), "Id"), "IBAN", entry.counterparty_iban)
    if entry.remittance or entry.structured_reference:
        remittance = _add(details, "RmtInf")
        if entry.remittance:
            _add(remittance, "Ustrd", entry.remittance)
        if entry.structured_reference:
            reference = _add(_add(remittance, "Strd"), "CdtrRefInf")
            _add(_add(_add(reference, "Tp"), "CdOrPrtry"), "Cd", "SCOR")
            _add(reference, "Ref", entry.structured_reference)
    if entry.return_reason:
        _add(_add(_add(details, "RtrInf"), "Rsn"), "Cd", entry.return_reason)
