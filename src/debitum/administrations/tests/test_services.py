"""Administrations: the payment reference kind per country and the reference counter."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from debitum.administrations.models import Administration
from debitum.administrations.services import administration_create, payment_references_reserve
from debitum.administrations.tests.factories import administration_factory
from debitum.domain.references import OGM_BASE_MAX, validate

pytestmark = pytest.mark.django_db


def test_a_new_administration_prints_its_countrys_reference():
    belgian = administration_create(code="BELG", name="Belg SRL", country="BE")
    dutch = administration_create(code="NED", name="Ned B.V.", country="NL")
    international = administration_create(
        code="INT", name="Int B.V.", country="NL", payment_reference_kind="rf"
    )
    assert (belgian.payment_reference_kind, belgian.payment_reference_next) == ("ogm", 1)
    assert dutch.payment_reference_kind == "nl"
    assert international.payment_reference_kind == "rf"


def test_an_unknown_reference_kind_is_refused():
    with pytest.raises(ValidationError, match="iban"):
        administration_create(code="X", name="X", country="NL", payment_reference_kind="iban")
    assert not Administration.objects.exists()


def test_references_are_handed_out_in_blocks_from_the_counter():
    # Given a Belgian administration whose counter starts at 1
    belgian = administration_factory("BELG", country="BE")
    # When two imports reserve 3 and then 2 references
    first = payment_references_reserve(administration=belgian, count=3)
    second = payment_references_reserve(administration=belgian, count=2)
    # Then they get numbers 1-3 and 4-5, with check digits n mod 97 (Febelfin)
    assert first == ["+++000/0000/00101+++", "+++000/0000/00202+++", "+++000/0000/00303+++"]
    assert second == ["+++000/0000/00404+++", "+++000/0000/00505+++"]
    belgian.refresh_from_db()
    assert belgian.payment_reference_next == 6


def test_each_kind_formats_its_own_references():
    dutch = administration_factory("NED", country="NL")
    international = administration_factory("INT", payment_reference_kind="rf")
    assert payment_references_reserve(administration=dutch, count=1) == ["9000 0000 0000 0001"]
    # ISO 7064 mod 97-10: "1" + "RF" as digits + "00" = 1271500; 1271500 mod 97 = 24; 98 - 24 = 74.
    assert payment_references_reserve(administration=international, count=1) == ["RF74 1"]
    for reference in ("9000 0000 0000 0001", "RF74 1"):
        validate(reference)


def test_one_update_per_block_whatever_its_size():
    dutch = administration_factory("NED", country="NL")
    with CaptureQueriesContext(connection) as queries:
        references = payment_references_reserve(administration=dutch, count=1000)
    updates = [query for query in queries if query["sql"].lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 1
    assert len(set(references)) == 1000


def test_counters_are_per_administration():
    one = administration_factory("ONE", country="BE")
    two = administration_factory("TWO", country="BE")
    assert payment_references_reserve(administration=one, count=2)[0] == "+++000/0000/00101+++"
    assert payment_references_reserve(administration=two, count=1) == ["+++000/0000/00101+++"]


def test_a_stale_administration_object_still_gets_fresh_numbers():
    # Two processes each hold their own copy of the row; the counter lives in the database.
    mine = administration_factory("BELG", country="BE")
    theirs = Administration.objects.get(pk=mine.pk)
    ours = payment_references_reserve(administration=mine, count=2)
    their_block = payment_references_reserve(administration=theirs, count=2)
    assert not set(ours) & set(their_block)
    assert their_block[0] == "+++000/0000/00303+++"


def test_a_rolled_back_import_gives_its_numbers_back():
    belgian = administration_factory("BELG", country="BE")
    with pytest.raises(RuntimeError), transaction.atomic():
        payment_references_reserve(administration=belgian, count=5)
        raise RuntimeError("the import failed")
    assert payment_references_reserve(administration=belgian, count=1) == ["+++000/0000/00101+++"]


def test_an_administration_without_references_gets_an_error_and_nothing_changes():
    silent = administration_factory("SIL", payment_reference_kind="none")
    with pytest.raises(ValidationError, match="SIL prints no payment references"):
        payment_references_reserve(administration=silent, count=1)
    silent.refresh_from_db()
    assert silent.payment_reference_next == 1


def test_a_block_beyond_the_last_ogm_number_is_refused_and_nothing_changes():
    belgian = administration_factory("BELG", country="BE", payment_reference_next=OGM_BASE_MAX - 1)
    # 9999999998 mod 97 = 47, 9999999999 mod 97 = 48.
    assert payment_references_reserve(administration=belgian, count=2) == [
        "+++999/9999/99847+++",
        "+++999/9999/99948+++",
    ]
    with pytest.raises(ValidationError, match="no 1 ogm payment references left"):
        payment_references_reserve(administration=belgian, count=1)
    belgian.refresh_from_db()
    assert belgian.payment_reference_next == OGM_BASE_MAX + 1


def test_zero_references_cost_nothing_and_a_negative_count_is_an_error():
    dutch = administration_factory("NED", country="NL")
    with CaptureQueriesContext(connection) as queries:
        assert payment_references_reserve(administration=dutch, count=0) == []
    assert len(queries) == 0
    with pytest.raises(ValueError, match="count must be 0 or more"):
        payment_references_reserve(administration=dutch, count=-1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_never_share_a_number():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database has no concurrent writers to race")
    belgian = administration_factory("BELG", country="BE")
    blocks: list[list[str]] = []
    barrier = threading.Barrier(8)

    def reserve():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            for _ in range(5):
                with transaction.atomic():
                    blocks.append(payment_references_reserve(administration=belgian, count=7))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=reserve) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    references = [reference for block in blocks for reference in block]
    assert len(references) == len(set(references)) == 8 * 5 * 7
    belgian.refresh_from_db()
    assert belgian.payment_reference_next == 8 * 5 * 7 + 1
