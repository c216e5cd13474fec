"""The imports page: a preview that writes nothing and names every error by line and column,
the import, the size limit, roles and tenants."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from debitum.administrations.tests.factories import (
    administration_factory,
    membership_factory,
    user_factory,
)
from debitum.customers.tests.factories import customer_factory
from debitum.imports.models import ImportBatch
from debitum.jobs.models import Job
from debitum.ledger.models import Invoice

from .helpers import ledger_counts

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-42"
HEADER = "customer_number,invoice_number,invoice_date,due_date,amount\n"
GOOD = HEADER + "C1,F-1,2026-01-05,2026-02-04,1210.00\nC1,F-2,2026-01-06,2026-02-05,99.95\n"
BAD = HEADER + "C1,F-1,2026-01-05,2026-02-04,12.345\nC1,F-2,31-02-2026,2026-02-05,10\n"


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBITUM_UPLOADS_DIR = tmp_path / "uploads"
    return settings.DEBITUM_UPLOADS_DIR


@pytest.fixture
def acme():
    administration = administration_factory("ACME")
    customer_factory(administration, "C1")
    return administration


def login(client, administration, role="controller"):
    user = user_factory(role, password=PASSWORD)
    membership_factory(user, administration, role=role)
    client.login(username=user.username, password=PASSWORD)
    return user


def url(name, code="ACME"):
    return reverse(f"imports:{name}", kwargs={"administration_code": code})


def upload(client, text: str, name="invoices.csv", kind="invoices", code="ACME"):
    """Upload for a preview: a background job (run at once in tests), whose page sends the
    browser back to the imports page with the finished preview."""
    return client.post(
        url("preview", code),
        {"kind": kind, "file": SimpleUploadedFile(name, text.encode(), "text/csv")},
        follow=True,
    )


def test_the_preview_shows_every_error_by_line_and_column_and_writes_nothing(client, acme, uploads):
    login(client, acme)
    before = ledger_counts()
    response = upload(client, BAD)
    assert response.status_code == 200
    job = Job.objects.get(kind="imports.preview")
    assert response.redirect_chain == [
        (f"/jobs/ACME/{job.pk}/", 302),
        (f"{url('page')}?preview={job.pk}", 302),
    ]
    errors = [(e.line, e.column) for e in response.context["preview"]["errors"]]
    assert errors == [(2, "amount"), (3, "invoice_date")]
    text = response.content.decode()
    assert "12.345" in text and "Nothing was written" in text
    assert ledger_counts() == before
    assert not any(uploads.iterdir())  # a file with errors is not kept


def test_the_preview_of_a_good_file_then_the_import(client, acme, uploads):
    user = login(client, acme)
    before = ledger_counts()
    response = upload(client, GOOD)
    preview = response.context["preview"]
    assert preview["row_count"] == 2 and preview["result"].created["invoices"] == 2
    assert [line for line, _ in preview["rows"]] == [2, 3]
    assert ledger_counts() == before  # the preview wrote nothing
    response = client.post(url("run"), {"token": preview["token"]}, follow=True)
    assert response.status_code == 200
    assert "invoices.csv imported: 2 rows" in response.content.decode()
    assert set(Invoice.objects.values_list("number", flat=True)) == {"F-1", "F-2"}
    batch = ImportBatch.objects.get()
    assert (batch.imported_by, batch.counts["created"]["invoices"]) == (user, 2)
    assert "invoices.csv" in client.get(url("page")).content.decode()  # the history
    # The token is used up: a second post imports nothing again.
    response = client.post(url("run"), {"token": preview["token"]}, follow=True)
    assert "upload it again" in response.content.decode()
    assert ImportBatch.objects.count() == 1


def test_a_file_over_the_limit_is_refused(client, acme, settings, uploads):
    settings.DEBITUM_IMPORT_MAX_BYTES = 100
    login(client, acme)
    response = upload(client, GOOD + "C1,F-3,2026-01-06,2026-02-05,99.95\n" * 5)
    assert response.status_code == 400
    assert "the limit is 100" in response.content.decode()
    assert not uploads.exists() or not any(uploads.iterdir())


def test_roles_a_viewer_sees_the_history_but_cannot_import(client, acme):
    login(client, acme, "viewer")
    assert client.get(url("page")).status_code == 200
    assert upload(client, GOOD).status_code == 403
    assert client.post(url("run"), {"token": "x" * 32}).status_code == 403
    assert not Invoice.objects.exists()


def test_another_administration_is_not_found_nor_its_upload(client, acme):
    beta = administration_factory("BETA", country="BE")
    customer_factory(beta, "C1")
    login(client, acme)
    assert client.get(url("page", "BETA")).status_code == 404
    assert upload(client, GOOD, code="BETA").status_code == 404
    # A token of Acme's upload presented in Beta's name: not found either (and Beta 404s first).
    token = upload(client, GOOD).context["preview"]["token"]
    assert client.post(url("run", "BETA"), {"token": token}).status_code == 404
    assert not Invoice.objects.exists()


def test_a_preview_is_shown_only_to_who_uploaded_the_file(client, acme):
    login(client, acme)
    job = upload(client, GOOD).context["preview"]["job"]
    client.logout()
    login(client, acme, "manager")  # of the same administration, but not the uploader
    response = client.get(url("page"), {"preview": job.pk})
    assert response.status_code == 200 and response.context["preview"] is None
    assert client.get(url("page"), {"preview": "x"}).context["preview"] is None
