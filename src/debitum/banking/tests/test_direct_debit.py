"""SEPA direct debit collections as worked examples: which invoices go into the pain.008 file,
on which date, with which sequence type, and that nothing is collected twice.

Dates: 2026-05-01 is a Friday and Labour Day, a TARGET2 closing day; 2026-12-25 (Friday) and
2026-12-26 (Saturday) are the Christmas closing days (ECB, TARGET2 calendar).
"""

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
import xmlschema
from defusedxml import ElementTree
from django.core.exceptions import ValidationError

from debitum.administrations.tests.factories import administration_factory
from debitum.audit.models import AuditEvent
from debitum.banking.debit_services import direct_debit_collect
from debitum.banking.mandate_services import mandate_add, mandate_revoke
from debitum.banking.models import DirectDebitBatch, DirectDebitItem, Mandate
from debitum.cli import main
from debitum.customers.tests.factories import customer_factory
from debitum.disputes.models import Dispute
from debitum.domain.sepa import (
    SepaError,
    collection_date_check,
    earliest_collection_date,
    end_to_end_id,
    is_target_business_day,
    mandate_lapse_date,
    sepa_text,
    target_closing_days,
)
from debitum.dunning.services import dunning_run
from debitum.dunning.tests.factories import policy_factory
from debitum.ledger.tests.factories import allocation_factory, invoice_factory
from debitum.plans.models import PaymentPlan, PlanInvoice

pytestmark = pytest.mark.django_db
D = Decimal
SCHEMAS = Path(sepaxml.__file__).parent / "schemas"
# The real sample: salesking/sepa_king spec/examples/pain.008.001.02.xml (see
# /work/shared/data/README.md): two CORE/FRST transactions, CtrlSum 6655.86.
SAMPLE = Path(__file__).resolve().parents[5] / "shared" / "data" / "pain.008.001.02.xml"
needs_sample = pytest.mark.skipif(
    not SAMPLE.exists(), reason=f"the shared sample files are not at {SAMPLE.parent}"
)
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}

MONDAY = dt.date(2026, 3, 2)
TUESDAY = dt.date(2026, 3, 3)
NL_IBAN = "NL91ABNA0417164300"
DEBTOR_IBANS = [
    "NL44RABO0123456789",
    "NL69INGB0123456789",
    "BE68539007547034",
    "NL93RABO0987654321",
]


@pytest.fixture(autouse=True)
def debitum_home(settings, tmp_path):
    settings.DEBITUM_HOME = tmp_path
    return tmp_path


@pytest.fixture
def acme():
    return administration_factory(
        "ACME",
        country="NL",
        legal_name="Acme Groothandel B.V.",
        iban=NL_IBAN,
        bic="ABNANL2A",
        sepa_creditor_id="NL51ZZZ405365330000",
    )


def customer_with_mandate(administration, number, *, iban, sequence="FRST", scheme="CORE", **extra):
    customer = customer_factory(administration, number, name=f"Klant {number}", **extra)
    mandate_add(
        customer=customer,
        mandate_id=f"MND-{number}",
        signature_date=dt.date(2026, 1, 15),
        iban=iban,
        scheme=scheme,
        sequence_type=sequence,
    )
    return customer


def invoice(customer, number, amount, due=MONDAY):
    return invoice_factory(
        customer, number, amount, invoice_date=due - dt.timedelta(days=14), due_date=due
    )


def parse(path) -> ElementTree:
    return ElementTree.parse(str(path)).getroot()


def ns_for(root) -> dict:
    return {"p": root.tag[1:].split("}")[0]}


def transactions(path) -> list[tuple]:
    """(sequence type, end-to-end id, amount, mandate id, signature date, IBAN) per transaction."""
    root = parse(path)
    ns = ns_for(root)
    rows = []
    for block in root.iterfind("p:CstmrDrctDbtInitn/p:PmtInf", ns):
        sequence = block.findtext("p:PmtTpInf/p:SeqTp", namespaces=ns)
        for tx in block.iterfind("p:DrctDbtTxInf", ns):
            rows.append(
                (
                    sequence,
                    tx.findtext("p:PmtId/p:EndToEndId", namespaces=ns),
                    tx.findtext("p:InstdAmt", namespaces=ns),
                    tx.findtext("p:DrctDbtTx/p:MndtRltdInf/p:MndtId", namespaces=ns),
                    tx.findtext("p:DrctDbtTx/p:MndtRltdInf/p:DtOfSgntr", namespaces=ns),
                    tx.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=ns),
                )
            )
    return rows


def element_paths(path) -> set[str]:
    root = parse(path)
    paths = set()

    def walk(element, prefix):
        name = element.tag.split("}")[1]
        here = f"{prefix}/{name}" if prefix else name
        paths.add(here)
        for child in element:
            walk(child, here)

    walk(root, "")
    return paths


# --- Dates (domain.sepa) -------------------------------------------------------------------------


def test_target2_closing_days_are_the_ecb_calendar():
    # TARGET2 closes on New Year's Day, Good Friday, Easter Monday, 1 May, 25 and 26 December.
    assert list(target_closing_days(2026)) == [
        dt.date(2026, 1, 1),
        dt.date(2026, 4, 3),
        dt.date(2026, 4, 6),
        dt.date(2026, 5, 1),
        dt.date(2026, 12, 25),
        dt.date(2026, 12, 26),
    ]
    # Whit Monday, King's Day and Ascension are bank holidays in NL/BE, but TARGET2 is open.
    for day in (dt.date(2026, 5, 25), dt.date(2026, 4, 27), dt.date(2026, 5, 14)):
        assert is_target_business_day(day)


@pytest.mark.parametrize(
    "as_of, earliest",
    [
        (MONDAY, TUESDAY),  # D-1: the next business day
        (dt.date(2026, 3, 6), dt.date(2026, 3, 9)),  # Friday -> Monday
        (dt.date(2026, 3, 7), dt.date(2026, 3, 10)),  # Saturday: at the bank Monday -> Tuesday
        (dt.date(2026, 4, 30), dt.date(2026, 5, 4)),  # Thursday, then Labour Day, weekend
        (dt.date(2026, 4, 2), dt.date(2026, 4, 7)),  # Good Friday and Easter Monday closed
        (dt.date(2026, 12, 24), dt.date(2026, 12, 28)),  # Christmas: 25 and 26 December
        (dt.date(2026, 12, 31), dt.date(2027, 1, 4)),  # New Year's Day, then a weekend
    ],
)
def test_the_earliest_collection_date_is_one_target_business_day_after_submission(as_of, earliest):
    assert earliest_collection_date(as_of, "CORE") == earliest
    assert earliest_collection_date(as_of, "B2B") == earliest


def test_a_collection_date_on_a_closing_day_or_too_early_is_refused():
    with pytest.raises(SepaError, match=r"2026-05-01 is a TARGET2 closing day \(Labour Day\)"):
        collection_date_check(dt.date(2026, 5, 1), as_of=dt.date(2026, 4, 28))
    with pytest.raises(SepaError, match="2026-03-08 is a Sunday"):
        collection_date_check(dt.date(2026, 3, 8), as_of=MONDAY)
    with pytest.raises(SepaError, match="too early .* the earliest possible date is 2026-03-03"):
        collection_date_check(MONDAY, as_of=MONDAY)
    assert collection_date_check(dt.date(2026, 3, 10), as_of=MONDAY) == dt.date(2026, 3, 10)


def test_end_to_end_ids_fit_35_characters_of_the_sepa_set():
    assert end_to_end_id(prefix="D7", sequence=1, invoice_number="F-2026/001") == "D7-1-F-2026-001"
    long = end_to_end_id(prefix="D123456", sequence=99999, invoice_number="X" * 50)
    assert len(long) == 35 and long.startswith("D123456-99999-XXX")
    assert end_to_end_id(prefix="D7", sequence=2, invoice_number="€€") == "D7-2"
    assert sepa_text("Bäckerei Müller & Söhne GmbH — Straße", 70) == (
        "Backerei Muller + Sohne GmbH Strasse"
    )


# --- The file --------------------------------------------------------------------------------


@pytest.fixture
def portfolio(acme):
    """Four customers with a mandate and one without, their open and settled invoices."""
    c1 = customer_with_mandate(acme, "C001", iban=DEBTOR_IBANS[0], street="Dorpsstraat 1",
                               postal_code="1234 AB", city="Utrecht")  # fmt: skip
    c2 = customer_with_mandate(acme, "C002", iban=DEBTOR_IBANS[1], sequence="RCUR")
    c3 = customer_with_mandate(acme, "C003", iban=DEBTOR_IBANS[2], country="BE", language="fr")
    c4 = customer_with_mandate(acme, "C004", iban=DEBTOR_IBANS[3])
    no_mandate = customer_factory(acme, "C005")
    invoices = {
        "F-101": invoice(c1, "F-101", "1210.00"),
        "F-102": invoice(c1, "F-102", "99.95", due=dt.date(2026, 2, 20)),
        "F-103": invoice(c1, "F-103", "500.00", due=dt.date(2026, 3, 4)),  # due after the date
        "F-201": invoice(c2, "F-201", "2500.00"),
        "F-301": invoice(c3, "F-301", "800.00"),
        "F-401": invoice(c4, "F-401", "300.00"),
        "F-402": invoice(c4, "F-402", "450.00"),
        "F-403": invoice(c4, "F-403", "75.00"),
        "F-501": invoice(no_mandate, "F-501", "640.00"),
    }
    allocation_factory(invoices["F-101"], "210.00", allocation_date=dt.date(2026, 2, 27))
    # Paid in full: nothing to collect.
    allocation_factory(invoices["F-403"], "75.00", allocation_date=dt.date(2026, 2, 27))
    # Disputed: left out.
    Dispute.objects.create(
        administration=acme, invoice=invoices["F-401"], customer=c4, reason="quality",
        opened_date=dt.date(2026, 2, 25),
    )  # fmt: skip
    # Under an active payment plan: left out.
    plan = PaymentPlan.objects.create(
        administration=acme, customer=c4, currency="EUR", total=D("450.00"),
        start_date=dt.date(2026, 2, 26),
    )  # fmt: skip
    PlanInvoice.objects.create(
        administration=acme, plan=plan, invoice=invoices["F-402"], amount=D("450.00")
    )
    # A credit note of a mandate customer is not collected (it is owed to the customer).
    invoice_factory(c2, "CN-1", "-50.00", invoice_date=dt.date(2026, 2, 1))
    # Another administration's customer with the same number, a mandate and a due invoice.
    other = administration_factory(
        "OTHER", iban="NL20INGB0001234567", bic="INGBNL2A", sepa_creditor_id="NL51ZZZ405365330000"
    )
    stranger = customer_with_mandate(other, "C001", iban="NL39RABO0300065264")
    invoice(stranger, "F-101", "999.00")
    return invoices


def test_one_file_with_the_expected_invoices_amounts_and_totals(acme, portfolio, debitum_home):
    result = direct_debit_collect(administration=acme, as_of=MONDAY)

    assert result.collection_date == TUESDAY
    assert len(result.files) == 1
    collected = result.files[0]
    path = Path(collected.file)
    assert path.parent == debitum_home / "sepa" / "ACME"
    assert path.exists()
    batch = DirectDebitBatch.objects.get()
    assert (batch.message_id, batch.collection_date, batch.schema, batch.scheme) == (
        collected.message_id, TUESDAY, "pain.008.001.02", "CORE",
    )  # fmt: skip
    assert (batch.item_count, batch.total, batch.submitted_date, batch.file_path) == (
        4, D("4399.95"), MONDAY, str(path),
    )  # fmt: skip
    # FRST first (C001 twice, C003), then RCUR (C002); open amounts at the as-of date.
    e2e = [item.end_to_end_id for item in result.items]
    assert [
        (i.customer_number, i.invoice_number, i.mandate_id, i.sequence_type, i.amount)
        for i in result.items
    ] == [
        ("C001", "F-102", "MND-C001", "FRST", D("99.95")),
        ("C001", "F-101", "MND-C001", "FRST", D("1000.00")),
        ("C003", "F-301", "MND-C003", "FRST", D("800.00")),
        ("C002", "F-201", "MND-C002", "RCUR", D("2500.00")),
    ]
    assert e2e == [f"D{batch.pk}-1-F-102", f"D{batch.pk}-2-F-101", f"D{batch.pk}-3-F-301",
                   f"D{batch.pk}-4-F-201"]  # fmt: skip

    # The file says the same.
    assert transactions(path) == [
        ("FRST", e2e[0], "99.95", "MND-C001", "2026-01-15", DEBTOR_IBANS[0]),
        ("FRST", e2e[1], "1000.00", "MND-C001", "2026-01-15", DEBTOR_IBANS[0]),
        ("FRST", e2e[2], "800.00", "MND-C003", "2026-01-15", DEBTOR_IBANS[2]),
        ("RCUR", e2e[3], "2500.00", "MND-C002", "2026-01-15", DEBTOR_IBANS[1]),
    ]
    root = parse(path)
    header = root.find("p:CstmrDrctDbtInitn/p:GrpHdr", NS)
    assert header.findtext("p:MsgId", namespaces=NS) == batch.message_id
    assert header.findtext("p:NbOfTxs", namespaces=NS) == "4"
    assert header.findtext("p:CtrlSum", namespaces=NS) == "4399.95"
    blocks = root.findall("p:CstmrDrctDbtInitn/p:PmtInf", NS)
    assert [
        (
            b.findtext("p:PmtTpInf/p:SeqTp", namespaces=NS),
            b.findtext("p:NbOfTxs", namespaces=NS),
            b.findtext("p:CtrlSum", namespaces=NS),
            b.findtext("p:ReqdColltnDt", namespaces=NS),
            b.findtext("p:PmtTpInf/p:LclInstrm/p:Cd", namespaces=NS),
            b.findtext("p:Cdtr/p:Nm", namespaces=NS),
            b.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS),
            b.findtext("p:CdtrAgt/p:FinInstnId/p:BIC", namespaces=NS),
            b.findtext("p:CdtrSchmeId/p:Id/p:PrvtId/p:Othr/p:Id", namespaces=NS),
        )
        for b in blocks
    ] == [
        ("FRST", "3", "1899.95", "2026-03-03", "CORE", "Acme Groothandel B.V.", NL_IBAN,
         "ABNANL2A", "NL51ZZZ405365330000"),
        ("RCUR", "1", "2500.00", "2026-03-03", "CORE", "Acme Groothandel B.V.", NL_IBAN,
         "ABNANL2A", "NL51ZZZ405365330000"),
    ]  # fmt: skip
    first = blocks[0].find("p:DrctDbtTxInf", NS)
    assert first.findtext("p:Dbtr/p:Nm", namespaces=NS) == "Klant C001"
    assert first.findtext("p:RmtInf/p:Ustrd", namespaces=NS) == "Factuur F-102"
    assert [line.text for line in first.iterfind("p:Dbtr/p:PstlAdr/p:AdrLine", NS)] == [
        "Dorpsstraat 1",
        "1234 AB Utrecht",
    ]
    french = blocks[0].findall("p:DrctDbtTxInf", NS)[2]
    assert french.findtext("p:RmtInf/p:Ustrd", namespaces=NS) == "Facture F-301"

    # Items and mandates in the database.
    assert sorted(
        DirectDebitItem.objects.values_list("invoice__number", "amount", "sequence_type", "status")
    ) == [
        ("F-101", D("1000.00"), "FRST", "submitted"),
        ("F-102", D("99.95"), "FRST", "submitted"),
        ("F-201", D("2500.00"), "RCUR", "submitted"),
        ("F-301", D("800.00"), "FRST", "submitted"),
    ]
    assert dict(Mandate.objects.filter(administration=acme).values_list("mandate_id", "sequence_type")) == {
        "MND-C001": "RCUR", "MND-C002": "RCUR", "MND-C003": "RCUR", "MND-C004": "FRST",
    }  # fmt: skip
    event = AuditEvent.objects.get(action="direct_debit.collect")
    assert event.changes["invoices"] == ["F-102", "F-101", "F-301", "F-201"]
    assert event.changes["mandates_now_recurring"] == ["MND-C001", "MND-C003"]
    # The other administration's mandates and invoices were never touched.
    assert not DirectDebitItem.objects.exclude(administration=acme).exists()
    assert Mandate.objects.get(administration__code="OTHER").sequence_type == "FRST"


@pytest.mark.parametrize("schema", ["pain.008.001.02", "pain.008.001.08"])
def test_the_file_validates_against_its_iso_20022_schema(acme, portfolio, schema):
    result = direct_debit_collect(administration=acme, as_of=MONDAY, schema=schema)
    path = result.files[0].file
    xsd = xmlschema.XMLSchema(str(SCHEMAS / f"{schema}.xsd"))
    xsd.validate(path)
    assert parse(path).tag == f"{{urn:iso:std:iso:20022:tech:xsd:{schema}}}Document"
    assert len(transactions(path)) == 4
    if schema == "pain.008.001.08":
        root = parse(path)
        ns = ns_for(root)
        # The 2019 version names a BIC "BICFI".
        assert root.findtext("p:CstmrDrctDbtInitn/p:PmtInf/p:CdtrAgt/p:FinInstnId/p:BICFI",
                             namespaces=ns) == "ABNANL2A"  # fmt: skip


@needs_sample
def test_the_file_has_the_structure_of_the_real_sample(acme):
    # The same kind of content as the sample: two first collections under CORE mandates that
    # name the debtor's bank (BIC), debtors without an address.
    for number, iban, bic in (
        ("C1", DEBTOR_IBANS[0], "RABONL2U"),
        ("C2", DEBTOR_IBANS[1], "INGBNL2A"),
    ):
        customer = customer_factory(acme, number)
        mandate_add(customer=customer, mandate_id=f"M-{number}", signature_date=dt.date(2026, 1, 15),
                    iban=iban, bic=bic)  # fmt: skip
        invoice(customer, f"F-{number}", "100.00")
    # The sample validates against the same schema (so the comparison is fair).
    xsd = xmlschema.XMLSchema(str(SCHEMAS / "pain.008.001.02.xsd"))
    xsd.validate(str(SAMPLE))
    sample = element_paths(SAMPLE)
    ours = element_paths(direct_debit_collect(administration=acme, as_of=MONDAY).files[0].file)
    prefix = "Document/CstmrDrctDbtInitn"
    # What the sample has and we do not write: mandate amendments and an ultimate debtor.
    amendment = f"{prefix}/PmtInf/DrctDbtTxInf/DrctDbtTx/MndtRltdInf"
    original = f"{amendment}/AmdmntInfDtls/OrgnlCdtrSchmeId"
    assert sample - ours == {
        f"{amendment}/AmdmntInd",
        f"{amendment}/AmdmntInfDtls",
        original,
        f"{original}/Nm",
        f"{original}/Id",
        f"{original}/Id/PrvtId",
        f"{original}/Id/PrvtId/Othr",
        f"{original}/Id/PrvtId/Othr/Id",
        f"{original}/Id/PrvtId/Othr/SchmeNm",
        f"{original}/Id/PrvtId/Othr/SchmeNm/Prtry",
        f"{prefix}/PmtInf/DrctDbtTxInf/UltmtDbtr",
        f"{prefix}/PmtInf/DrctDbtTxInf/UltmtDbtr/Nm",
    }
    # What we write beyond the sample: the control sum and the creditor id in the header
    # (both optional there) and batch booking; every other element is where the sample has it.
    assert ours - sample == {
        f"{prefix}/GrpHdr/CtrlSum",
        f"{prefix}/GrpHdr/InitgPty/Id",
        f"{prefix}/GrpHdr/InitgPty/Id/OrgId",
        f"{prefix}/GrpHdr/InitgPty/Id/OrgId/Othr",
        f"{prefix}/GrpHdr/InitgPty/Id/OrgId/Othr/Id",
        f"{prefix}/PmtInf/BtchBookg",
    }
    # The sample's own figures, read the way we read ours.
    rows = transactions(SAMPLE)
    assert [(r[0], r[2], r[3]) for r in rows] == [
        ("FRST", "6543.14", "Mandate-Id"),
        ("FRST", "112.72", "Other-Mandate-Id"),
    ]
    assert sum(D(r[2]) for r in rows) == D("6655.86")


# --- Runs after the first -------------------------------------------------------------------


def test_a_second_run_collects_nothing_twice(acme, portfolio, capsys):
    direct_debit_collect(administration=acme, as_of=MONDAY)
    again = direct_debit_collect(administration=acme, as_of=MONDAY)
    assert again.files == [] and again.items == [] and again.total == D("0.00")
    assert DirectDebitBatch.objects.count() == 1
    assert DirectDebitItem.objects.count() == 4
    assert main(["sepa", "collect", "--administration", "ACME", "--as-of", "2026-03-02"]) == 0
    assert (
        "Nothing to collect for ACME on 2026-03-02 (collection date 2026-03-03)."
        in capsys.readouterr().out
    )
    assert DirectDebitBatch.objects.count() == 1


def test_the_next_run_collects_the_new_invoices_as_recurring(acme, portfolio):
    direct_debit_collect(administration=acme, as_of=MONDAY)
    # F-103 falls due on 4 March; a new invoice of C003 too.
    customer = portfolio["F-301"].customer
    invoice(customer, "F-302", "120.00", due=dt.date(2026, 3, 4))
    result = direct_debit_collect(
        administration=acme, as_of=dt.date(2026, 3, 3), collection_date=dt.date(2026, 3, 4)
    )
    assert [(i.invoice_number, i.sequence_type, i.amount) for i in result.items] == [
        ("F-103", "RCUR", D("500.00")),
        ("F-302", "RCUR", D("120.00")),
    ]
    assert [row[0] for row in transactions(result.files[0].file)] == ["RCUR", "RCUR"]
    assert DirectDebitBatch.objects.count() == 2
    assert DirectDebitItem.objects.values("end_to_end_id").distinct().count() == 6


def test_a_one_off_mandate_collects_one_invoice_and_ends(acme):
    customer = customer_with_mandate(acme, "C001", iban=DEBTOR_IBANS[0], sequence="OOFF")
    invoice(customer, "F-1", "100.00", due=dt.date(2026, 2, 1))
    invoice(customer, "F-2", "200.00")
    result = direct_debit_collect(administration=acme, as_of=MONDAY)
    assert [(i.invoice_number, i.sequence_type) for i in result.items] == [("F-1", "OOFF")]
    mandate = Mandate.objects.get()
    assert (mandate.is_active, mandate.sequence_type) == (False, "OOFF")
    assert direct_debit_collect(administration=acme, as_of=MONDAY).items == []


def test_revoked_returned_and_late_signed_mandates_collect_nothing(acme):
    revoked = customer_with_mandate(acme, "C001", iban=DEBTOR_IBANS[0])
    invoice(revoked, "F-1", "100.00")
    mandate_revoke(mandate=Mandate.objects.get(customer=revoked))
    signed_later = customer_factory(acme, "C002")
    mandate_add(
        customer=signed_later, mandate_id="LATE", signature_date=dt.date(2026, 3, 10),
        iban=DEBTOR_IBANS[1],
    )  # fmt: skip
    invoice(signed_later, "F-2", "200.00")
    returned = customer_with_mandate(acme, "C003", iban=DEBTOR_IBANS[2])
    invoice(returned, "F-3", "300.00")
    first = direct_debit_collect(administration=acme, as_of=MONDAY)
    assert [i.invoice_number for i in first.items] == ["F-3"]
    # The bank returned it (the statement import marks the item): a person decides what next.
    DirectDebitItem.objects.update(status="returned", return_reason="AM04")
    assert direct_debit_collect(administration=acme, as_of=dt.date(2026, 3, 9)).items == []


def test_b2b_mandates_go_into_a_file_of_their_own(acme):
    core = customer_with_mandate(acme, "C001", iban=DEBTOR_IBANS[0])
    b2b = customer_with_mandate(acme, "C002", iban=DEBTOR_IBANS[1], scheme="B2B")
    invoice(core, "F-1", "100.00")
    invoice(b2b, "F-2", "200.00")
    result = direct_debit_collect(administration=acme, as_of=MONDAY)
    assert [(f.scheme, [i.invoice_number for i in f.items]) for f in result.files] == [
        ("CORE", ["F-1"]),
        ("B2B", ["F-2"]),
    ]
    b2b_file = parse(result.files[1].file)
    ns = ns_for(b2b_file)
    assert (
        b2b_file.findtext("p:CstmrDrctDbtInitn/p:PmtInf/p:PmtTpInf/p:LclInstrm/p:Cd", namespaces=ns)
        == "B2B"
    )
    data = result.as_dict()
    assert (data["file"], data["message_id"], data["total"]) == (None, None, "300.00")
    assert [f["scheme"] for f in data["files"]] == ["CORE", "B2B"]


def test_a_mandate_unused_for_36_months_has_lapsed(acme, capsys):
    # Never used since its signature on 2 March 2023: valid through 2 March 2026 only.
    old = customer_factory(acme, "C001")
    mandate_add(customer=old, mandate_id="OLD", signature_date=dt.date(2023, 3, 2),
                iban=DEBTOR_IBANS[0])  # fmt: skip
    invoice(old, "F-1", "100.00")
    # Signed in 2020, last collected (and returned) on 3 March 2023: valid through 3 March 2026.
    used = customer_factory(acme, "C002")
    mandate = mandate_add(customer=used, mandate_id="USED", signature_date=dt.date(2020, 1, 6),
                          iban=DEBTOR_IBANS[1], sequence_type="RCUR")  # fmt: skip
    earlier = invoice(used, "F-0", "10.00", due=dt.date(2023, 3, 3))
    batch = DirectDebitBatch.objects.create(
        administration=acme, message_id="OLD-FILE", collection_date=dt.date(2023, 3, 3),
        schema="pain.008.001.02", total=D("10.00"), item_count=1, file_path="old.xml",
    )  # fmt: skip
    DirectDebitItem.objects.create(
        administration=acme, batch=batch, mandate=mandate, invoice=earlier, amount=D("10.00"),
        sequence_type="RCUR", end_to_end_id="OLD-1", status="returned", return_reason="AM04",
    )  # fmt: skip
    invoice(used, "F-2", "200.00")
    result = direct_debit_collect(administration=acme, as_of=MONDAY)
    assert result.collection_date == TUESDAY
    assert [i.invoice_number for i in result.items] == ["F-2"]
    assert result.lapsed_mandates == ["OLD"]
    assert mandate_lapse_date(dt.date(2024, 2, 29)) == dt.date(2027, 2, 28)
    assert main(["sepa", "collect", "--administration", "ACME", "--as-of", "2026-03-02"]) == 0
    assert "WARNING: mandate OLD was not used for 36 months and has lapsed" in (
        capsys.readouterr().out
    )


# --- Dates in a run ------------------------------------------------------------------------------


def test_a_run_before_labour_day_collects_on_the_monday_after(acme):
    customer = customer_with_mandate(acme, "C001", iban=DEBTOR_IBANS[0])
    invoice(customer, "F-1", "100.00", due=dt.date(2026, 5, 1))
    invoice(customer, "F-2", "100.00", due=dt.date(2026, 5, 5))  # not due by the date
    result = direct_debit_collect(administration=acme, as_of=dt.date(2026, 4, 30))
    assert result.collection_date == dt.date(2026, 5, 4)
    assert [i.invoice_number for i in result.items] == ["F-1"]
    assert transactions(result.files[0].file)[0][0] == "FRST"
    root = parse(result.files[0].file)
    assert root.findtext("p:CstmrDrctDbtInitn/p:PmtInf/p:ReqdColltnDt", namespaces=NS) == (
        "2026-05-04"
    )


@pytest.mark.parametrize(
    "as_of, collection_date, message",
    [
        (dt.date(2026, 4, 28), dt.date(2026, 5, 1), "TARGET2 closing day (Labour Day)"),
        (dt.date(2026, 12, 21), dt.date(2026, 12, 25), "TARGET2 closing day (Christmas Day)"),
        (dt.date(2026, 12, 21), dt.date(2026, 12, 26), "is a Saturday"),
        (MONDAY, MONDAY, "the earliest possible date is 2026-03-03"),
    ],
)
def test_a_collection_date_the_banks_refuse_is_an_error_and_writes_nothing(
    acme, as_of, collection_date, message, debitum_home
):
    customer = customer_with_mandate(acme, "C001", iban=DEBTOR_IBANS[0])
    invoice(customer, "F-1", "100.00")
    with pytest.raises(ValidationError, match=re.escape(message)):
        direct_debit_collect(administration=acme, as_of=as_of, collection_date=collection_date)
    assert not DirectDebitBatch.objects.exists()
    assert not (debitum_home / "sepa").exists()


def test_christmas_the_earliest_date_is_the_monday_after(acme):
    customer = customer_with_mandate(acme, "C001", iban=DEBTOR_IBANS[0])
    invoice(customer, "F-1", "100.00", due=dt.date(2026, 12, 24))
    result = direct_debit_collect(administration=acme, as_of=dt.date(2026, 12, 24))
    assert result.collection_date == dt.date(2026, 12, 28)


# --- Errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "blank, schema, named",
    [
        ({"sepa_creditor_id": ""}, "pain.008.001.02", "SEPA creditor identifier"),
        ({"iban": ""}, "pain.008.001.02", "IBAN"),
        ({"bic": ""}, "pain.008.001.02", "BIC"),
        ({"sepa_creditor_id": "", "iban": ""}, "pain.008.001.08", "SEPA creditor identifier (--sepa-creditor-id), IBAN"),
    ],
)  # fmt: skip
def test_missing_creditor_details_are_named_and_nothing_is_written(
    acme, blank, schema, named, debitum_home
):
    customer = customer_with_mandate(acme, "C001", iban=DEBTOR_IBANS[0])
    invoice(customer, "F-1", "100.00")
    for field, value in blank.items():
        setattr(acme, field, value)
    acme.save()
    with pytest.raises(ValidationError, match=re.escape(f"administration ACME has no {named}")):
        direct_debit_collect(administration=acme, as_of=MONDAY, schema=schema)
    assert not DirectDebitItem.objects.exists()
    assert Mandate.objects.get().sequence_type == "FRST"
    assert not (debitum_home / "sepa").exists()


def test_the_2019_schema_needs_no_creditor_bic(acme):
    customer = customer_with_mandate(acme, "C001", iban=DEBTOR_IBANS[0])
    invoice(customer, "F-1", "100.00")
    acme.bic = ""
    acme.save()
    result = direct_debit_collect(administration=acme, as_of=MONDAY, schema="pain.008.001.08")
    xmlschema.XMLSchema(str(SCHEMAS / "pain.008.001.08.xsd")).validate(result.files[0].file)


def test_a_file_that_fails_its_schema_leaves_nothing_behind(acme, debitum_home, monkeypatch):
    customer = customer_with_mandate(acme, "C001", iban=DEBTOR_IBANS[0])
    invoice(customer, "F-1", "100.00")
    # A creditor name of 71+ characters would pass sepa_text's cut; force a bad IBAN instead.
    Mandate.objects.update(iban="NOT-AN-IBAN")
    with pytest.raises(ValidationError, match="does not pass its XML schema"):
        direct_debit_collect(administration=acme, as_of=MONDAY)
    assert not DirectDebitBatch.objects.exists()
    assert not DirectDebitItem.objects.exists()
    assert Mandate.objects.get().sequence_type == "FRST"
    assert list((debitum_home / "sepa" / "ACME").glob("*")) == []


# --- Dunning and the command line --------------------------------------------------------------


def test_dunning_leaves_an_invoice_in_a_submitted_direct_debit_alone(acme):
    policy_factory(acme, ladder=[("reminder", 7, 0, "phone_task", False, False, False)])
    customer = customer_with_mandate(acme, "C001", iban=DEBTOR_IBANS[0])
    invoice(customer, "F-1", "100.00", due=dt.date(2026, 2, 20))
    plain = customer_factory(acme, "C002")
    invoice(plain, "F-2", "100.00", due=dt.date(2026, 2, 20))
    direct_debit_collect(administration=acme, as_of=MONDAY)
    run = dunning_run(administration=acme, as_of=MONDAY)
    assert [a["invoices"] for a in run.actions] == [["F-2"]]
    assert run.skipped == {"direct_debit": 1}
    # Returned: the invoice is back in dunning.
    DirectDebitItem.objects.update(status="returned", return_reason="AM04")
    later = dunning_run(administration=acme, as_of=dt.date(2026, 3, 9))
    assert [a["invoices"] for a in later.actions] == [["F-1"]]


def test_the_dossier_says_the_direct_debit_is_on_its_way_until_it_comes_back(acme):
    from debitum.collect.dossier_selectors import dossier_open_items

    customer = customer_with_mandate(acme, "C001", iban=DEBTOR_IBANS[0])
    invoice(customer, "F-1", "100.00", due=dt.date(2026, 2, 20))
    invoice(customer_factory(acme, "C002"), "G-1", "50.00", due=dt.date(2026, 2, 20))
    direct_debit_collect(administration=acme, as_of=MONDAY)

    def statuses():
        items = dossier_open_items(customer=customer, as_of=MONDAY)
        return {item.invoice.number: item.statuses for item in items}

    assert statuses() == {"F-1": ["direct_debit"]}
    DirectDebitItem.objects.update(status="returned", return_reason="AM04")
    assert statuses() == {"F-1": []}


def test_the_collect_command_prints_the_file_and_its_totals(acme, portfolio, capsys, tmp_path):
    output = tmp_path / "to-the-bank.xml"
    assert (
        main(
            [
                "sepa",
                "collect",
                "--administration",
                "ACME",
                "--as-of",
                "2026-03-02",
                "--collection-date",
                "2026-03-05",
                "--output",
                str(output),
                "--format",
                "json",
            ]
        )  # fmt: skip
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    batch = DirectDebitBatch.objects.get()
    assert data["file"] == batch.file_path
    assert data["output"] == [str(output)]
    assert output.read_bytes() == Path(batch.file_path).read_bytes()
    assert {key: data[key] for key in ("as_of", "administration", "collection_date", "schema",
                                       "message_id", "total")} == {
        "as_of": "2026-03-02", "administration": "ACME", "collection_date": "2026-03-05",
        "schema": "pain.008.001.02", "message_id": batch.message_id, "total": "4899.95",
    }  # fmt: skip
    assert data["items"][0] == {
        "customer_number": "C001",
        "invoice_number": "F-102",
        "mandate_id": "MND-C001",
        "sequence_type": "FRST",
        "amount": "99.95",
        "end_to_end_id": f"D{batch.pk}-1-F-102",
    }
    # F-103, due 4 March, is in: the collection date is the 5th.
    assert [item["invoice_number"] for item in data["items"]] == [
        "F-102", "F-101", "F-103", "F-301", "F-201",
    ]  # fmt: skip


def test_the_collect_command_text_and_errors(acme, portfolio, capsys):
    assert main(["sepa", "collect", "--administration", "ACME", "--as-of", "2026-03-02"]) == 0
    out = capsys.readouterr().out
    batch = DirectDebitBatch.objects.get()
    assert (
        f"{batch.file_path}: 4 direct debits (CORE), EUR 4399.95, collection date 2026-03-03" in out
    )
    assert "Total: 4 direct debits, EUR 4399.95" in out
    assert (
        main(
            [
                "sepa",
                "collect",
                "--administration",
                "ACME",
                "--as-of",
                "2026-04-28",
                "--collection-date",
                "2026-05-01",
            ]
        )  # fmt: skip
        == 1
    )
    assert "collection_date: collection date 2026-05-01 is a TARGET2 closing day" in (
        capsys.readouterr().err
    )
    assert main(["sepa", "collect", "--administration", "NOPE"]) == 1
