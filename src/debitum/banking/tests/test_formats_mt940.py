"""MT940 as the Dutch banks write it, read from real sample files of public corpora (see
data/README.md). Every expected value says where it comes from: the file itself, or the
expected parse (.yml) that WoLpH/mt940 keeps next to it."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from debitum.banking.formats import StatementFormatError, parse_statement

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).parents[4] / ".." / "shared" / "data"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the shared sample files are not at {SHARED}"
)


def read(name: str, folder: Path = DATA):
    statements = parse_statement((folder / name).read_bytes(), name)
    assert all(statement.file_format == "mt940" for statement in statements)
    return statements


def balances(statement) -> bool:
    total = sum((entry.amount for entry in statement.entries), Decimal("0"))
    return statement.opening_balance + total == statement.closing_balance


@needs_shared
def test_ing_sepa_with_returns_direct_debits_and_structured_references():
    # /work/shared/data/test-ing.940 (OCA's ING sample). Its lines are wrapped at odd places
    # (":28C:0000" + "0", "/MARF/MND" + "-" + "EV01"), which the reader joins again.
    [statement] = read("test-ing.940", SHARED)
    assert statement.bank_name == "ING"  # {1:F01INGBNL2A...
    assert statement.account_iban == "NL77INGB0574908765"  # ":25:NL77INGB0574908765EUR"
    assert statement.statement_number == "00000"
    assert statement.currency == "EUR"
    assert (statement.opening_date, statement.opening_balance) == (
        dt.date(2014, 2, 19),
        Decimal("662.23"),
    )  # :60F:C140219EUR662,23
    assert (statement.closing_date, statement.closing_balance) == (
        dt.date(2014, 2, 20),
        Decimal("564.35"),
    )  # :62F:C140220EUR564,35
    assert balances(statement)
    assert [entry.amount for entry in statement.entries] == [
        Decimal(amount)
        for amount in ("1.56", "-1.57", "1.57", "-1.14", "1.45", "-12.75", "32.00", "-119.00")
    ]
    first, batch, returned, debit, collected, returned_debit, ogm_in, ogm_out = statement.entries
    # :61:1402200220C1,56NTRFEREF//00000000001 + 005 / :86:/EREF/.../CNTP/iban/bic/name//REMI/
    assert first.booking_date == first.value_date == dt.date(2014, 2, 20)
    assert first.transaction_code == "NTRF"
    assert first.bank_reference == "00000000001005"
    assert first.end_to_end_id == "EV12341REP1231456T1234"
    assert first.counterparty_iban == "NL32INGB0000012345"
    assert first.counterparty_bic == "INGBNL2A"
    assert first.counterparty_name == "ING BANK NV INZAKE WEB"
    assert first.remittance == "EV10001REP1000000T1000"  # /REMI/USTD//.../
    assert first.where == "line 9"
    assert batch.remittance == "TOTAAL 1 VZ"
    # /RTRN/MS03/: a return, with its reason.
    assert returned.return_reason == "MS03" and returned.is_reversal
    assert returned.counterparty_name == "J.Janssen"
    assert returned.remittance == "Factuurnr 123456 Klantnr 00123"
    assert returned.end_to_end_id == "20120123456789"
    # /MARF/ wrapped over three lines; /CSID/ is the creditor, not kept.
    assert debit.mandate_id == "MND-EV01"
    assert debit.end_to_end_id == "EV123REP123412T1234"
    assert debit.counterparty_name == "ING Bank N.V. inzake WeB"
    assert collected.remittance == "TOTAAL 1 POSTEN"
    assert returned_debit.return_reason == "MS03"
    assert returned_debit.mandate_id == "MND-120123"
    assert returned_debit.remittance == "CONTRIBUTIE FEB 2014"
    # /REMI/STRD/CUR/9001123412341234/: a betalingskenmerk.
    assert ogm_in.structured_reference == "9001123412341234"
    assert ogm_in.remittance == ""
    assert ogm_out.structured_reference == "1070123412341234"
    # The file breaks this name as "ING" + "BANK NV" on two lines; lines of slash codes run
    # on without a space (ING wraps mid-word), so it reads as written.
    assert ogm_out.counterparty_name == "INGBANK NV"


@needs_shared
def test_rabobank_swi_with_statements_without_movements():
    # /work/shared/data/test-rabo.swi: four :20: statements, two with no :61:.
    statements = read("test-rabo.swi", SHARED)
    assert [s.account_iban for s in statements] == ["NL34RABO0142623393"] * 4  # ":25:... EUR"
    assert [s.bank_name for s in statements] == ["Rabobank"] * 4  # the ":940:" opening line
    assert [s.statement_number for s in statements] == ["0"] * 4
    assert [len(s.entries) for s in statements] == [1, 0, 1, 0]
    assert [s.opening_balance for s in statements] == [
        Decimal("4433.52"),
        Decimal("4833.52"),
        Decimal("4833.52"),
        Decimal("4798.91"),
    ]
    assert [s.closing_date for s in statements] == [
        dt.date(2014, 1, 2),
        dt.date(2014, 1, 3),
        dt.date(2014, 1, 6),
        dt.date(2014, 1, 7),
    ]
    assert all(balances(s) for s in statements)
    [credit] = statements[0].entries
    # :61:140102C000000000400,00N541NONREF + NL66RABO0160878799 (the counterparty's account
    # on the second line) / :86:/ORDP//NAME/R. SMITH/ADDR/.../REMI/...:/ISDT/2014-01-02
    assert credit.amount == Decimal("400.00")
    assert credit.booking_date == dt.date(2014, 1, 2)
    assert credit.counterparty_iban == "NL66RABO0160878799"
    assert credit.counterparty_name == "R. SMITH"
    assert credit.remittance == "Test money paid by other partner:"
    assert credit.transaction_code == "N541"
    [costs] = statements[2].entries
    # :61:140101D000000000034,61N093NONREF / :86:/BENM//NAME/Kosten/REMI/Periode ... t/m ...
    assert costs.amount == Decimal("-34.61")
    assert costs.booking_date == dt.date(2014, 1, 1)
    assert costs.counterparty_name == "Kosten"
    assert costs.remittance == "Periode 01-10-2013 t/m 31-12-2013"


def test_rabobank_structured_counterparty_accounts():
    # zilverline-rabobank_mt940_structured.txt: /BENM/ for debits, /ORDP/ for credits, the
    # account on the :61: second line (IBAN or an old number such as P004500018).
    first, second = read("zilverline-rabobank_mt940_structured.txt")
    assert all(balances(statement) for statement in (first, second))
    nespresso, bedrijf = first.entries
    assert nespresso.amount == Decimal("-127.50")
    assert nespresso.counterparty_name == "Nespresso Nederland B.V."
    assert nespresso.counterparty_iban == "NL96RBOS0523149468"
    assert nespresso.end_to_end_id == "02-04-2013 22:56 1120000153447185"
    assert bedrijf.counterparty_name == "Bedrijf B.V."
    assert bedrijf.counterparty_account == "0663616476" and bedrijf.counterparty_iban == ""
    parking = second.entries[0]
    assert parking.counterparty_account == "P004500018"
    assert parking.remittance == "Factuur 307472"
    infracom = second.entries[2]
    # "/REMI/BETALINGSKENM. 231732INCASSO ...": the betalingskenmerk in Rabobank's text.
    assert infracom.structured_reference == "231732"
    bedrijf_nv = second.entries[5]
    assert bedrijf_nv.counterparty_name == "BEDRIJF NV"  # /ORDP//NAME/.../ADDR/...
    assert bedrijf_nv.end_to_end_id == "1134027115"
    assert bedrijf_nv.remittance == "Ref: 201302-080"


def test_rabobank_iban_file_matches_its_expected_parse():
    # wolph-jejik-rabobank-iban.sta; WoLpH/mt940 mt940_tests/jejik/rabobank-iban.yml.
    first, second = read("wolph-jejik-rabobank-iban.sta")
    assert first.account_iban == "NL71RABO0123456789"
    assert (first.opening_balance, first.closing_balance) == (Decimal("1000.00"), Decimal("965.00"))
    assert (second.opening_balance, second.closing_balance) == (
        Decimal("965.00"),
        Decimal("930.00"),
    )
    contra, john = first.entries
    assert contra.amount == Decimal("-25.00") and contra.booking_date == dt.date(2013, 1, 1)
    assert contra.counterparty_iban == "NL70ABNA0987654321"
    assert contra.counterparty_name == "CONTRA ACCOUNT HOLDER"  # "CONTRA ACCOUN" + "T HOLDER"
    assert john.counterparty_account == "P001234567"
    assert john.remittance == "Reference 201301234"


def test_abn_amro_before_sepa_matches_its_expected_parse():
    # wolph-jejik-abnamro.sta; mt940_tests/jejik/abnamro.yml: account_identification
    # 517852257, opening 3236.28 and closing 876.84 (60F/62F), then 2876.84 and 1849.75
    # (60M/62M), amounts -9, -11.59, -11.63, -11.8, -13.45, -15.49, -107, -141.48 | -9.49, -15;
    # the first dated 2011-05-24, the second valued 2011-05-21 and entered 2011-05-23.
    first, second = read("wolph-jejik-abnamro.sta")
    assert first.bank_name == second.bank_name == "ABN AMRO"
    assert first.account_iban == "517852257"
    assert (first.statement_number, second.statement_number) == ("19321/1", "19322/1")
    assert (first.opening_balance, first.closing_balance) == (Decimal("3236.28"), Decimal("876.84"))
    assert (second.opening_balance, second.closing_balance) == (
        Decimal("2876.84"),
        Decimal("1849.75"),
    )
    assert [entry.amount for entry in first.entries + second.entries] == [
        Decimal(amount)
        for amount in (
            "-9.00", "-11.59", "-11.63", "-11.80", "-13.45", "-15.49", "-107.00", "-141.48",
            "-9.49", "-15.00",
        )
    ]  # fmt: skip
    giro, card = first.entries[:2]
    assert giro.booking_date == giro.value_date == dt.date(2011, 5, 24)
    assert (card.value_date, card.booking_date) == (dt.date(2011, 5, 21), dt.date(2011, 5, 23))
    # ":86:GIRO   428428 KPN - DIGITENNE    BETALINGSKENM.  000000042188659 ..."
    assert giro.counterparty_account == "428428"
    assert giro.counterparty_name == "KPN - DIGITENNE"
    assert giro.structured_reference == "000000042188659"
    assert card.remittance == "BEA NR:XXX1234 21.05.11/12.54 DIRCKIII FIL2500 KATWIJK,PAS999"
    # ":86:52.89.39.882                    MYCOM DEN HAAG": an old bank account number.
    mycom = second.entries[1]
    assert (mycom.counterparty_account, mycom.counterparty_name) == ("528939882", "MYCOM DEN HAAG")


def test_abn_amro_sepa_slash_codes_and_labels():
    # zilverline-abn*.txt: ABN AMRO's /TRTP/ codes, and its labelled text.
    [acceptgiro] = read("zilverline-abn_structured_sepa_acceptgiro.txt")[0].entries
    assert acceptgiro.amount == Decimal("10.50")  # ":61:...C10,5N654NONREF"
    assert acceptgiro.counterparty_iban == "NL86INGB0002445588"
    assert acceptgiro.counterparty_bic == "INGBNL2A"
    assert acceptgiro.counterparty_name == "BELASTINGDIENST"
    # "/REMI/ISSUER: CUR                  REF: 4420" + "043232693268/EREF/NOTPROVIDED"
    assert acceptgiro.structured_reference == "4420043232693268"
    assert acceptgiro.end_to_end_id == ""
    [transfer] = read("zilverline-abn_structured_sepa_overboeking.txt")[0].entries
    assert (transfer.counterparty_name, transfer.remittance) == ("CAFE MON AMI", "897789005")
    [labelled] = read("zilverline-abn_sepa_overboeking.txt")[0].entries
    assert labelled.counterparty_iban == "NL56CHAS0101010101"
    assert labelled.counterparty_bic == "CHASNL2XXXX"
    assert labelled.counterparty_name == "AA GHGHGH NETHERLANDS B.V."
    assert labelled.remittance == "1412DEC 2015 CONSU LTING"  # as ABN AMRO writes it
    assert labelled.end_to_end_id == "7541410"  # KENMERK:
    [direct_debit] = read("zilverline-abn_sepa_incasso_doorlopend.txt")[0].entries
    assert direct_debit.mandate_id == "BHV001"  # MACHTIGING:
    assert direct_debit.counterparty_iban == "NL83RABO0353535355"
    assert direct_debit.end_to_end_id == "AA 2014-11-11 10:20:47/0000000007"
    first, second = read("zilverline-abnamro_structured.txt")
    tax = second.entries[2]
    assert tax.structured_reference == "1234567890098876"  # BETALINGSKENM.:
    assert tax.counterparty_name == "BELASTINGDIENST"
    assert second.entries[1].counterparty_account == "544942108"  # 54.49.42.108 ABC BOOM KK


def test_triodos_before_and_after_sepa():
    # wolph-jejik-triodos.sta; mt940_tests/jejik/triodos.yml: account_identification
    # TRIODOSBANK/0390123456, opening 4975.09 (2011-01-01), closing 4370.79 (2011-02-01),
    # amounts -15.70 (2011-01-01) and -700.00 (2011-01-25), statement number 1.
    [old] = read("wolph-jejik-triodos.sta")
    assert old.bank_name == "Triodos"
    assert old.account_iban == "0390123456"  # the "TRIODOSBANK/" prefix dropped
    assert old.statement_number == "1"
    assert (old.opening_balance, old.closing_balance) == (Decimal("4975.09"), Decimal("4370.79"))
    costs, rent = old.entries
    assert (costs.amount, costs.booking_date) == (Decimal("-15.70"), dt.date(2011, 1, 1))
    assert (rent.amount, rent.booking_date) == (Decimal("-700.00"), dt.date(2011, 1, 25))
    # ">100987654321" is the counterparty's account, ">20" to ">22" the text.
    assert costs.counterparty_account == "0987654321"
    assert costs.remittance == "ALGEMENE TUSSENREKENING KOSTEN VAN 01-10-2010 TOT EN MET 31-12-2010"
    assert rent.remittance == "HUUR KANTOOR - FEB 2010"
    # zilverline-triodos_iban.txt: ">20RABONL2U >21NL12RABO0888888888": BIC and IBAN.
    [iban] = read("zilverline-triodos_iban.txt")
    assert balances(iban)
    deposit = iban.entries[0]
    assert (deposit.counterparty_iban, deposit.counterparty_bic) == (
        "NL12RABO0888888888",
        "RABONL2U",
    )
    assert deposit.remittance.startswith("METSELAARBAASIK PAARDENA POSTBUS 969")
    # zilverline-triodos_iban_2.txt: Triodos since SEPA writes ING's /CNTP/ codes.
    [sepa] = read("zilverline-triodos_iban_2.txt")
    assert balances(sepa)
    invoice = sepa.entries[1]
    assert invoice.counterparty_name == "G-AAAAA N.V."
    assert invoice.counterparty_iban == "NL21RABO0999999999"
    assert invoice.remittance == "Factuurnummer 201801-001"  # "//RE" + "MI/USTD//..." + "1/"
    assert invoice.end_to_end_id == ""  # /EREF/NOTPROVIDED


def test_sns_asn_and_regiobank_family():
    # oca-test-sns.940 (OCA's SNS sample): the counterparty's IBAN is the :61: reference
    # (18 characters, more than SWIFT's 16), its name the :61: second line.
    statements = read("oca-test-sns.940")
    assert [s.statement_number for s in statements] == ["361/1", "362/1", "363/1"]
    assert statements[0].bank_name == "SNS"
    assert statements[0].account_iban == "NL05SNSB0908244436"
    assert balances(statements[0]) and balances(statements[1])
    # The sample's third statement stops before its :62F:.
    assert statements[2].closing_balance is None
    painter, card, water, _ = statements[0].entries
    assert painter.amount == Decimal("-713.13")
    assert painter.counterparty_iban == "NL49RABO0166416932"
    assert painter.counterparty_name == "gerrits glas en schilderwerk"
    assert painter.remittance == "Factuur 17227/248/20"
    assert card.counterparty_iban == "" and card.bank_reference == "228ohu/972795"
    assert card.remittance.startswith("Jumbo Wijchen B.V. >WIJCHEN 27.12.2017")
    assert water.counterparty_iban == "NL94INGB0000869000"
    assert water.mandate_id == "bla"  # "...-Kenmerk Machtiging: bla"
    # wolph-jejik-sns.sta (no header, an old account); mt940_tests/jejik/sns.yml:
    # customer_reference 0987654321, extra_details "marechal s", -20.00 valued 2012-06-07
    # and entered 2012-06-08, -5.00; the second statement (161) 1209.56 to 1209.56.
    first, second = read("wolph-jejik-sns.sta")
    test, test_2 = first.entries
    assert (test.amount, test.value_date, test.booking_date) == (
        Decimal("-20.00"),
        dt.date(2012, 6, 7),
        dt.date(2012, 6, 8),
    )
    assert (test.counterparty_account, test.counterparty_name) == ("0987654321", "marechal s")
    assert (test.remittance, test_2.remittance) == ("dit is een test", "dit is test 2")
    assert second.statement_number == "161/1" and second.entries == ()
    assert second.opening_balance == second.closing_balance == Decimal("1209.56")
    # wolph-ASNB-mt940.txt: ASN Bank, 31 daily statements, most of them empty.
    asn = read("wolph-ASNB-mt940.txt")
    assert len(asn) == 31 and all(balances(s) for s in asn)
    assert {s.bank_name for s in asn} == {"ASN Bank"}
    [jewellery] = asn[0].entries
    assert jewellery.counterparty_iban == "NL47INGB9999999999"
    assert jewellery.counterparty_name == "hr gjlm paulissen"
    assert jewellery.remittance == "Betaling sieraden"


def test_knab():
    # zilverline-knab.txt: "REK: NL26ABNA0999999999/NAAM: BEDRIJF VOF", text before REK:.
    [statement] = read("zilverline-knab.txt")
    assert statement.bank_name == "Knab"  # {1:F01KNABNL2H...
    assert balances(statement)
    company, foundation = statement.entries
    assert (company.counterparty_iban, company.counterparty_name) == (
        "NL26ABNA0999999999",
        "BEDRIJF VOF",
    )
    assert company.bank_reference == "ABC9886658908791"
    assert foundation.counterparty_name == "STICHTING DERDEN JAAP JANSSEN"
    assert foundation.remittance == "DIT IS EEN OMSCHRIJVING DIE BEST WEL LANG IS"
    # zilverline-knab_sepa_doorlopend_incasso.txt: Knab's /TRTP/ codes with /MARF/ and /EREF/.
    [direct_debit] = read("zilverline-knab_sepa_doorlopend_incasso.txt")[0].entries
    assert direct_debit.counterparty_bic == "KNABNL2HXXX"  # "KNABNL2" + "HXXX"
    assert direct_debit.mandate_id == "007-M157303302"
    assert direct_debit.end_to_end_id == "DD2EFGAD446A45379D13C0DHDHDHDHAS"
    assert direct_debit.remittance == "ABLAS:9999999999, FACTUURNUMMER:88888888"
    [acceptgiro] = read("zilverline-knab_sepa_acceptgiro.txt")[0].entries
    assert acceptgiro.end_to_end_id == "6767676767676766"


def test_ing_sepa_file_of_zilverline():
    # zilverline-ing-mt940_iban.txt: 21 movements; a /CNTP/ with an old account number.
    [statement] = read("zilverline-ing-mt940_iban.txt")
    assert statement.account_iban == "NL68INGB0000012345"
    assert len(statement.entries) == 21 and balances(statement)
    savings = statement.entries[7]
    assert savings.counterparty_account == "0007654332" and savings.counterparty_iban == ""
    assert savings.remittance == "VAN Zkl Kwartaal Spaarrekening"
    kpn = statement.entries[8]
    assert kpn.mandate_id == "M12345678909"
    assert kpn.counterparty_name == "KPN - MOBIEL"
    assert kpn.remittance == (
        "Factuurnr: 123456789.00. Kijk voor meer informatie op KPN.com of Hi.nl"
    )


def test_a_bad_amount_names_the_line():
    data = (DATA / "zilverline-knab.txt").read_bytes().replace(b"C1000,NTRF", b"C1,000,NTRF")
    with pytest.raises(StatementFormatError) as error:
        parse_statement(data, "knab.txt")
    assert error.value.file_name == "knab.txt"
    assert error.value.where == "line 6, field 61 amount"
    assert error.value.message == "'1,000,' is not an amount"


def test_a_statement_line_that_is_not_one():
    data = (DATA / "zilverline-knab.txt").read_bytes().replace(b":61:1410241024C10,", b":61:14102X")
    with pytest.raises(StatementFormatError) as error:
        parse_statement(data, "knab.txt")
    assert error.value.where == "line 8, field 61"


def test_a_bad_balance_names_the_line():
    data = (
        (DATA / "zilverline-knab.txt")
        .read_bytes()
        .replace(b":60F:C141024EUR0,", b":60F:X141024EUR0,")
    )
    with pytest.raises(StatementFormatError) as error:
        parse_statement(data, "knab.txt")
    assert str(error.value).startswith(
        "knab.txt, line 5, field 60F: 'X141024EUR0,' is not a balance"
    )


def test_reversal_marks_year_boundaries_and_crlf():
    # Hand-made: RD (a debit reversed: money back) and RC (a credit reversed: money out),
    # an entry valued 31 December and booked 2 January, Windows line ends.
    data = (
        b":20:TEST\r\n:25:NL20INGB0001234567EUR\r\n:28C:1\r\n:60F:C231231EUR100,00\r\n"
        b":61:2312310102RD10,00NTRFNONREF\r\n:86:/RTRN/AM04/\r\n"
        b":61:2312310102RC2,5NTRFNONREF\r\n"
        b":62F:C240102EUR107,50\r\n-}\r\n"
    )
    [statement] = parse_statement(data, "r.940")
    back, out = statement.entries
    assert (back.amount, back.is_reversal, back.return_reason) == (Decimal("10.00"), True, "AM04")
    assert (out.amount, out.is_reversal) == (Decimal("-2.50"), True)
    assert back.value_date == dt.date(2023, 12, 31)
    assert back.booking_date == dt.date(2024, 1, 2)
    assert balances(statement)
