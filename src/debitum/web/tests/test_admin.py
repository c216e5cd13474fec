"""The back office shows a staff member the administrations they are a member of, nothing else."""

from decimal import Decimal

import pytest

from debitum.audit.models import AuditEvent
from debitum.customers.models import Customer
from debitum.ledger.models import Invoice
from debitum.web.tests.factories import PASSWORD, user_make

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "/admin/ledger/invoice/",
    "/admin/ledger/payment/",
    "/admin/customers/customer/",
    "/admin/audit/auditevent/",
    "/admin/administrations/administration/",
    "/admin/administrations/membership/",
]


@pytest.mark.parametrize("url", CHANGELISTS)
def test_a_changelist_shows_only_the_members_administrations(alice_client, url):
    response = alice_client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "BETA" not in html and "Beta Secret" not in html and "B-777" not in html


def test_the_invoice_changelist_lists_the_members_invoices(alice_client):
    html = alice_client.get("/admin/ledger/invoice/").content.decode()

    assert "F001" in html and "Bakkerij de Vries" in html and "1,234.56" in html
    assert "BETA-INV-1" not in html


def test_the_invoice_search_stays_in_the_members_administrations(alice_client):
    html = alice_client.get("/admin/ledger/invoice/", {"q": "Secret"}).content.decode()

    assert "BETA-INV-1" not in html
    assert "0 invoices" in html or "0 results" in html


def test_another_tenants_row_is_not_found_by_id(alice_client, beta):
    invoice = Invoice.objects.get(number="BETA-INV-1")

    response = alice_client.get(f"/admin/ledger/invoice/{invoice.pk}/change/")

    # The admin answers a row outside the queryset with a redirect to the index and a message.
    assert response.status_code == 302


def test_the_invoice_page_shows_allocations_and_write_offs_read_only(alice_client, acme):
    f005 = Invoice.objects.get(administration=acme, number="F005")

    html = alice_client.get(f"/admin/ledger/invoice/{f005.pk}/change/").content.decode()

    assert "not worth pursuing" in html  # the write-off's reason
    assert 'name="write_offs-0-reason"' not in html  # shown, not editable


def test_the_audit_trail_cannot_be_changed(client, db):
    superuser = user_make("root", is_superuser=True)
    client.force_login(superuser)
    from debitum.audit.services import audit_record

    event = audit_record(administration=None, actor=None, action="test", summary="s")

    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert (
        client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_superuser_sees_every_administration(client, acme, beta):
    client.force_login(user_make("root", is_superuser=True))

    html = client.get("/admin/ledger/invoice/").content.decode()

    assert "BETA-INV-1" in html and "F001" in html


def test_the_administration_choices_are_the_members(client, alice, acme, beta):
    from django.contrib.auth.models import Permission

    alice.user_permissions.add(Permission.objects.get(codename="add_customer"))
    client.login(username="alice", password=PASSWORD)

    html = client.get("/admin/customers/customer/add/").content.decode()

    assert "Acme Groothandel BV" in html and "Beta Secret" not in html


def test_a_change_in_the_back_office_is_audited_and_cannot_cross_tenants(client, alice, acme, beta):
    from django.contrib.auth.models import Permission

    alice.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_invoice", "change_invoice"])
    )
    client.login(username="alice", password=PASSWORD)
    beta_customer = Customer.objects.get(number="B-777")
    form = {
        "administration": acme.pk,
        "number": "F900",
        "kind": "invoice",
        "invoice_date": "2025-03-01",
        "due_date": "2025-03-31",
        "currency": "EUR",
        "amount": "10.00",
        "vat_amount": "0",
        "allocations-TOTAL_FORMS": "0",
        "allocations-INITIAL_FORMS": "0",
        "write_offs-TOTAL_FORMS": "0",
        "write_offs-INITIAL_FORMS": "0",
    }

    refused = client.post("/admin/ledger/invoice/add/", {**form, "customer": beta_customer.pk})
    acme_customer = Customer.objects.get(administration=acme, number="C001")
    accepted = client.post("/admin/ledger/invoice/add/", {**form, "customer": acme_customer.pk})

    assert (
        refused.status_code == 200
        and not Invoice.objects.filter(customer=beta_customer, number="F900").exists()
    )
    assert accepted.status_code == 302
    invoice = Invoice.objects.get(administration=acme, number="F900")
    assert invoice.amount == Decimal("10.00")
    event = AuditEvent.objects.get(action="invoice.create", object_id=str(invoice.pk))
    assert (
        event.actor == alice and event.administration == acme and event.changes["amount"] == "10.00"
    )


def test_a_row_cannot_tie_two_administrations_together(client, acme, beta):
    client.force_login(user_make("root", is_superuser=True))  # sees both administrations
    form = {
        "administration": acme.pk,
        "customer": Customer.objects.get(number="B-777").pk,
        "number": "F901",
        "kind": "invoice",
        "invoice_date": "2025-03-01",
        "due_date": "2025-03-31",
        "currency": "EUR",
        "amount": "10.00",
        "vat_amount": "0",
        "allocations-TOTAL_FORMS": "0",
        "allocations-INITIAL_FORMS": "0",
        "write_offs-TOTAL_FORMS": "0",
        "write_offs-INITIAL_FORMS": "0",
    }

    response = client.post("/admin/ledger/invoice/add/", form)

    assert response.status_code == 200
    assert "This belongs to another administration." in response.content.decode()
    assert not Invoice.objects.filter(number="F901").exists()


def test_a_membership_granted_in_the_back_office_is_audited(client, acme):
    root = user_make("root", is_superuser=True)
    newcomer = user_make("newcomer")
    client.force_login(root)
    form = {
        "code": "ACME",
        "name": "Acme Groothandel BV",
        "country": "NL",
        "currency": "EUR",
        "language": "nl",
        "payment_reference_kind": "nl",
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": acme.memberships.get().pk,
        "memberships-0-administration": acme.pk,
        "memberships-0-user": acme.memberships.get().user_id,
        "memberships-0-role": "viewer",
        "memberships-1-administration": acme.pk,
        "memberships-1-user": newcomer.pk,
        "memberships-1-role": "controller",
    }

    response = client.post(f"/admin/administrations/administration/{acme.pk}/change/", form)

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="membership.create")
    assert event.administration == acme and event.actor == root
    assert acme.memberships.get(user=newcomer).role == "controller"
