"""Demo customers: Dutch and Belgian businesses and consumers with valid numbers, and the
profile (how they buy and pay) that the invoice generator needs. Pure Python."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from debitum.imports.customer_import import OPTIONAL, REQUIRED

from . import names, numbers

# The import's own columns, in its order: the demo writes exactly what the importer reads.
CUSTOMER_HEADER = [*REQUIRED, *OPTIONAL]

# How customers pay, by risk class: (behaviour, weight in percent).
PUNCTUAL, LATE, CHRONIC, NEVER = "punctual", "late", "chronic", "never"
BEHAVIOUR_BY_RISK = {
    "low": ((PUNCTUAL, 92), (LATE, 8)),
    "normal": ((PUNCTUAL, 73), (LATE, 20), (CHRONIC, 5), (NEVER, 2)),
    "high": ((PUNCTUAL, 35), (LATE, 35), (CHRONIC, 20), (NEVER, 10)),
}
# Invoices a month: a business 1-4, a consumer now and then.
BUSINESS_RATE, CONSUMER_RATE = (1.0, 4.0), (0.1, 0.5)
BUSINESS_SHARE = 0.85
CUSTOMER_NUMBER_BASE = 10_000


@dataclass(slots=True)
class Profile:
    """What the invoice generator needs of a customer."""

    number: str
    country: str
    language: str
    is_business: bool
    terms_days: int
    behaviour: str
    monthly_rate: float
    # log-normal invoice amounts in euros: the customer's typical size and its spread
    amount_mu: float
    amount_sigma: float
    # a customer who never pays stopped paying this many days before as_of, and was
    # invoiced for a while after that (until the overdue reminders stopped the deliveries)
    stopped_paying_days: int
    invoiced_after_stop_days: int


def _weighted(rng: random.Random, choices) -> str:
    point = rng.random() * 100
    for value, weight in choices:
        point -= weight
        if point < 0:
            return value
    return choices[-1][0]


def _business_name(rng: random.Random, region: str) -> tuple[str, str]:
    """(full name, the part to build an e-mail domain from)."""
    if region == "NL":
        surnames, trades, sectors, legal_forms, sons = (
            names.SURNAMES_NL,
            names.TRADES_NL,
            names.SECTORS_NL,
            names.LEGAL_NL,
            "Zonen",
        )
    elif region == "WA" or (region == "BXL" and rng.random() < 0.7):
        surnames, trades, sectors, legal_forms, sons = (
            names.SURNAMES_WA,
            names.TRADES_FR,
            names.SECTORS_FR,
            names.LEGAL_FR,
            "Fils",
        )
    else:
        surnames, trades, sectors, legal_forms, sons = (
            names.SURNAMES_VL,
            names.TRADES_VL,
            names.SECTORS_VL,
            names.LEGAL_VL,
            "Zonen",
        )
    surname = names.capitalised(rng.choice(surnames))
    legal = rng.choice(legal_forms)
    pattern = rng.random()
    if pattern < 0.35:
        core = f"{rng.choice(trades)} {surname}"
        legal = legal if rng.random() < 0.4 else ""  # a baker's shop is often a one-man business
    elif pattern < 0.7:
        core = f"{surname} {rng.choice(sectors)}"
    elif pattern < 0.85:
        core = f"{surname} & {sons}"
    else:
        core = rng.choice(names.BRAND_HEADS) + rng.choice(names.BRAND_TAILS)
    return (f"{core} {legal}" if legal else core), core


def _postal_code(rng: random.Random, country: str, low: int, high: int) -> str:
    code = rng.randint(low, high)
    if country == "BE":
        return str(code)
    while True:
        letters = rng.choice(names.POSTCODE_LETTERS) + rng.choice(names.POSTCODE_LETTERS)
        if letters not in names.POSTCODE_PAIRS_NOT_USED:
            return f"{code} {letters}"


def _name(
    rng: random.Random, region: str, country: str, language: str, is_business: bool
) -> tuple[str, str]:
    """(name, the part of it an e-mail address is made of)."""
    if is_business:
        name, core = _business_name(rng, region if region != "BXL" or language == "fr" else "VL")
        return name, names.slug(core)
    if country == "NL":
        surnames = names.SURNAMES_NL
    else:
        surnames = names.SURNAMES_WA if language == "fr" else names.SURNAMES_VL
    surname = rng.choice(surnames)
    initials = rng.choice(names.INITIALS) + "."
    if rng.random() < 0.2:
        initials += rng.choice(names.INITIALS) + "."
    return f"{initials} {surname}", f"{initials[0].lower()}.{names.slug(surname).replace('-', '')}"


def _address(rng: random.Random, region: str, country: str, language: str) -> tuple[str, str, str]:
    """(street and number, postal code, city)."""
    cities = {
        "NL": names.CITIES_NL,
        "VL": names.CITIES_VL,
        "WA": names.CITIES_WA,
        "BXL": names.CITIES_BRUSSELS,
    }
    city, low, high = rng.choice(cities[region])
    if country == "NL":
        streets = names.STREETS_NL
    else:
        streets = names.STREETS_FR if language == "fr" else names.STREETS_VL
    street = f"{rng.choice(streets)} {rng.randint(1, 180)}"
    return street, _postal_code(rng, country, low, high), city


def _contact(
    rng: random.Random, country: str, language: str, is_business: bool, mailbox: str
) -> tuple[str, str]:
    """(e-mail address, phone number). Addresses are under the reserved .example domain
    (RFC 2606): a reminder sent from a demo must never reach a real mailbox."""
    if is_business:
        local = rng.choice(
            ("info", "administratie", "facturen")
            if language == "nl"
            else ("info", "comptabilite", "factures")
        )
        code = rng.choice(names.AREA_NL if country == "NL" else names.AREA_BE)
        digits = (9 if country == "NL" else 8) - len(
            code
        )  # national numbers: 9 digits (NL), 8 (BE)
        subscriber = rng.randrange(10 ** (digits - 1), 10**digits)
        return f"{local}@{mailbox}.example", f"+{31 if country == 'NL' else 32} {code} {subscriber}"
    email = f"{mailbox}{rng.randint(1, 999)}@mail.example"
    if country == "NL":
        return email, f"+31 6 {rng.randrange(10**7, 10**8)}"
    return email, f"+32 4{rng.randint(70, 99)} {rng.randrange(10**5, 10**6)}"


def _customer(rng: random.Random, index: int) -> tuple[list[str], Profile]:
    """One customer's import row and profile. Every draw comes from `rng`, in a fixed order."""
    country = "NL" if rng.random() < 0.65 else "BE"
    if country == "NL":
        region = "NL"
    else:
        point = rng.random()
        region = "VL" if point < 0.58 else ("WA" if point < 0.88 else "BXL")
    # Brussels is officially bilingual; most of its businesses and households write French.
    language = "fr" if region == "WA" or (region == "BXL" and rng.random() < 0.8) else "nl"
    is_business = rng.random() < BUSINESS_SHARE
    name, mailbox = _name(rng, region, country, language, is_business)
    street, postal_code, city = _address(rng, region, country, language)

    point = rng.random()
    risk = "normal" if point < 0.8 else ("low" if point < 0.9 else "high")
    behaviour = _weighted(rng, BEHAVIOUR_BY_RISK[risk])
    if is_business:
        point = rng.random()
        terms = 30 if point < 0.55 else (14 if point < 0.8 else 60)
        rate = rng.uniform(*BUSINESS_RATE)
        # Customers differ in size (a corner shop, a contractor); invoices within one less so.
        amount_mu, amount_sigma = rng.gauss(math.log(650), 0.9), 0.65
    else:
        terms = 14
        rate = rng.uniform(*CONSUMER_RATE)
        amount_mu, amount_sigma = rng.gauss(math.log(90), 0.5), 0.5
    stopped_paying_days, invoiced_after_stop_days = rng.randint(60, 300), rng.randint(30, 75)

    vat_number = enterprise_number = kvk_number = ""
    if is_business and country == "NL":
        vat_number, kvk_number = numbers.nl_vat_number(rng), numbers.kvk_number(rng)
    elif is_business:
        enterprise_number = numbers.be_enterprise_number(rng)
        vat_number = "BE" + enterprise_number
    iban = numbers.iban(rng, country) if rng.random() < 0.9 else ""  # known from an earlier payment
    email, phone = _contact(rng, country, language, is_business, mailbox)

    number = str(CUSTOMER_NUMBER_BASE + index + 1)
    # A few businesses are special cases of dunning (chosen by their place, not by the random
    # stream, so that the rest of the demo stays as it was).
    segment = "consumer" if not is_business else risk
    if is_business and index % 97 == 41:
        segment = "strategic"
    elif is_business and index % 131 == 67:
        segment = "intercompany"
    # fmt: off
    row = [
        number, name, "business" if is_business else "consumer", country, language, vat_number,
        enterprise_number, kvk_number, iban, str(terms), risk, segment, email, phone, street,
        postal_code, city,
    ]
    # fmt: on
    profile = Profile(
        number,
        country,
        language,
        is_business,
        terms,
        behaviour,
        rate,
        amount_mu,
        amount_sigma,
        stopped_paying_days,
        invoiced_after_stop_days,
    )  # fmt: skip
    return row, profile


def generate_customers(
    *, customers: int, rng: random.Random
) -> tuple[list[list[str]], list[Profile]]:
    """Customer rows and profiles. Customer i depends on the seed and the customers before it only."""
    if not 1 <= customers < 2**22:
        raise ValueError(f"the demo has 1 to {2**22 - 1} customers, not {customers}")
    rows, profiles = [], []
    for index in range(customers):
        row, profile = _customer(rng, index)
        rows.append(row)
        profiles.append(profile)
    return rows, profiles
