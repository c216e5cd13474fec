import pytest

from debitum.administrations.tests.factories import administration_factory
from debitum.audit.models import AuditEvent
from debitum.customers.models import Customer
from debitum.imports.services import ImportFailed, customer_import, read_table

from .helpers import ledger_counts, write_csv, write_xlsx

pytestmark = pytest.mark.django_db
HEADER = "customer_number,name,type,country,language,vat_number,enterprise_number,kvk_number,iban,payment_terms_days,risk_class,email"


@pytest.fixture
def administration():
    return administration_factory("ACME", country="BE", language="fr")


def run(administration, tmp_path, text, name="customers.csv"):
    return customer_import(
        administration=administration, table=read_table(write_csv(tmp_path, name, text))
    )


def test_customers_with_checked_numbers_are_stored_compact(administration, tmp_path):
    run(
        administration,
        tmp_path,
        HEADER + "\n"
        "K1,Boulangerie Dubois,business,BE,fr,BE 0403.170.701,0403.170.701,,BE68 5390 0754 7034,14,high,info@dubois.be\n"
        "K2,J. de Jong,particulier,nl,nl,,,,NL91ABNA0417164300,,,\n"
        "K3,Minimal,,,,,,,,,,\n",
    )
    k1, k2, k3 = Customer.objects.order_by("number")
    assert (k1.vat_number, k1.enterprise_number, k1.iban, k1.payment_terms_days, k1.risk_class) == (
        "BE0403170701",
        "0403170701",
        "BE68539007547034",
        14,
        "high",
    )
    assert (k2.customer_type, k2.country, k2.language) == ("consumer", "NL", "nl")
    # Defaults come from the administration (Belgian, French-speaking).
    assert (k3.customer_type, k3.country, k3.language, k3.payment_terms_days, k3.risk_class) == (
        "business",
        "BE",
        "fr",
        30,
        "normal",
    )


def test_reimport_updates_only_what_changed_and_audits_it(administration, tmp_path):
    run(
        administration, tmp_path, "customer_number,name,email\nK1,Dubois,a@dubois.be\nK2,Peeters,\n"
    )
    result = run(
        administration,
        tmp_path,
        "customer_number,name,email\nK1,Dubois SRL,\nK2,Peeters,\n",
        name="v2.csv",
    )
    assert (result.updated, result.unchanged, result.created["customers"]) == (1, 1, 0)
    k1 = Customer.objects.get(number="K1")
    assert (k1.name, k1.email) == (
        "Dubois SRL",
        "a@dubois.be",
    )  # an empty cell leaves the value alone
    event = AuditEvent.objects.get(action="customer.update")
    assert event.changes == {"name": ["Dubois", "Dubois SRL"]}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "K1,X,,,,NL004495446B01,,,,,,",
            "line 2, column vat_number: 'NL004495446B01' is not a valid EU VAT number",
        ),
        (
            "K1,X,,,,,0403170702,,,,,",
            "line 2, column enterprise_number: '0403170702' is not a valid Belgian enterprise number",
        ),
        ("K1,X,,,,,,1234,,,,", "line 2, column kvk_number: '1234' is not a valid KvK number"),
        (
            "K1,X,,,,,,,NL91ABNA0417164301,,,",
            "line 2, column iban: 'NL91ABNA0417164301' is not a valid IBAN",
        ),
        (
            "K1,X,company,,,,,,,,,",
            "line 2, column type: 'company' is not one of business, consumer",
        ),
        (
            "K1,X,,Belgium,,,,,,,,",
            "line 2, column country: 'Belgium' is not a two-letter country code",
        ),
        ("K1,X,,,de,,,,,,,", "line 2, column language: 'de' is not one of en, fr, nl"),
        (
            "K1,X,,,,,,,,thirty,,",
            "line 2, column payment_terms_days: 'thirty' is not a whole number",
        ),
        (
            "K1,X,,,,,,,,,extreme,",
            "line 2, column risk_class: 'extreme' is not one of high, low, normal",
        ),
        (
            "K1,X,,,,,,,,,,not-an-email",
            "line 2, column email: 'not-an-email' is not an e-mail address",
        ),
        ("K1,,,,,,,,,,,", "line 2, column name: the name is empty"),
    ],
)
def test_bad_customer_values(administration, tmp_path, row, message):
    with pytest.raises(ImportFailed) as failure:
        run(administration, tmp_path, f"{HEADER}\n{row}\nK9,Good,,,,,,,,,,\n")
    assert f"customers.csv, {message}" in str(failure.value)
    assert ledger_counts()["Customer"] == 0


def test_xlsx_customer_numbers_typed_as_numbers(administration, tmp_path):
    path = write_xlsx(
        tmp_path,
        "customers.xlsx",
        [["customer_number", "name"], [1001, "Numeric"], ["A-7", "Text"]],
    )
    customer_import(administration=administration, table=read_table(path))
    assert sorted(Customer.objects.values_list("number", flat=True)) == ["1001", "A-7"]
