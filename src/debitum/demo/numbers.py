"""Valid identifiers for demo customers and invoices, made from a random.Random.

Every number passes the checks the importers apply (python-stdnum, schwifty), so the demo
goes through the same validation as a real file.
"""

from __future__ import annotations

import random

from schwifty import IBAN

# Dutch banks by market share (roughly: ING, Rabobank and ABN AMRO hold most accounts).
BANKS_NL = (
    "INGB",
    "INGB",
    "INGB",
    "RABO",
    "RABO",
    "RABO",
    "ABNA",
    "ABNA",
    "SNSB",
    "TRIO",
    "ASNB",
    "KNAB",
    "BUNQ",
)
# Belgian bank codes (first three digits of the account): BNP Paribas Fortis, KBC, Belfius, ING, Crelan, Argenta.
BANKS_BE = ("001", "001", "235", "735", "735", "734", "068", "063", "363", "310", "103", "973")


def rsin(rng: random.Random) -> str:
    """A Dutch RSIN: nine digits passing the 11-proof (9*d1 + 8*d2 + ... + 2*d8 - d9 = 0 mod 11)."""
    while True:
        digits = [rng.randrange(1, 10)] + [rng.randrange(10) for _ in range(7)]
        check = (
            sum(digit * weight for digit, weight in zip(digits, range(9, 1, -1), strict=True)) % 11
        )
        if check < 10:  # a remainder of 10 has no check digit: that RSIN does not exist
            return "".join(map(str, digits)) + str(check)


def nl_vat_number(rng: random.Random) -> str:
    """A Dutch VAT number of a legal entity: NL + RSIN + B01."""
    return f"NL{rsin(rng)}B01"


def be_enterprise_number(rng: random.Random) -> str:
    """A Belgian enterprise number (KBO/BCE): 0 + seven digits + 97 - (first eight digits mod 97)."""
    head = rng.randrange(2_000_000, 10_000_000)  # 0200.000.000 is where the KBO numbering starts
    return f"{head:08d}{97 - head % 97:02d}"


def kvk_number(rng: random.Random) -> str:
    """A Dutch Chamber of Commerce number: eight digits (no check digit since 2016)."""
    return str(rng.randrange(10_000_000, 100_000_000))


def iban(rng: random.Random, country: str) -> str:
    """A valid IBAN at a real bank of the country (schwifty adds the Belgian national check)."""
    if country == "BE":
        return IBAN.generate(
            "BE", bank_code=rng.choice(BANKS_BE), account_code=f"{rng.randrange(10**7):07d}"
        ).compact
    return IBAN.generate(
        "NL", bank_code=rng.choice(BANKS_NL), account_code=f"{rng.randrange(10**8, 10**10):010d}"
    ).compact


def ogm(base: int) -> str:
    """The Belgian structured reference (OGM/VCS) of a 10-digit base: +++ddd/dddd/dddcc+++.

    The check is the base mod 97, written as 97 when the remainder is 0 (Febelfin standard).
    """
    base %= 10**10
    digits = f"{base:010d}{base % 97 or 97:02d}"
    return f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"
