"""EMAIL_URL as Django's EMAIL_* settings, and `debitum outbox` on the command line."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from debitum.cli import main
from debitum.outbox.services import action_communicate
from debitum.settings import _email

from .factories import (
    addressed_customer_factory,
    dunning_action_factory,
    invoices_factory,
    letterhead_administration_factory,
)


def test_email_url_plain_smtp():
    assert _email("smtp://mail.example.com:2525") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.com",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": False,
        "EMAIL_TIMEOUT": 30,
    }


def test_email_url_with_user_password_and_starttls():
    settings = _email("smtp://debitum%40acme.nl:s3cr%3At@mail.example.com:587?starttls=1")
    assert settings["EMAIL_HOST_USER"] == "debitum@acme.nl"
    assert settings["EMAIL_HOST_PASSWORD"] == "s3cr:t"
    assert (settings["EMAIL_PORT"], settings["EMAIL_USE_TLS"], settings["EMAIL_USE_SSL"]) == (
        587,
        True,
        False,
    )


def test_email_url_smtps_defaults_to_port_465():
    settings = _email("smtps://user:pw@mail.example.com")
    assert (settings["EMAIL_PORT"], settings["EMAIL_USE_SSL"]) == (465, True)


@pytest.mark.parametrize(
    "url", ["http://mail.example.com", "smtp://", "smtps://mail.example.com?starttls=1"]
)
def test_email_url_refuses_what_it_cannot_use(url):
    with pytest.raises(ImproperlyConfigured):
        _email(url)


@pytest.mark.django_db
def test_outbox_send_and_list_on_the_command_line(smtp_server, capsys):
    administration = letterhead_administration_factory()
    customer = addressed_customer_factory(administration)
    invoices = invoices_factory(customer, ("F-1", "99.95", dt.date(2025, 1, 2), ""))
    action = dunning_action_factory(customer, invoices, channel="email_and_letter")
    action_communicate(action=action)

    assert main(["outbox", "send", "--administration", "ACME"]) == 0
    assert capsys.readouterr().out.strip() == "sent 1, retrying 0, bounced 0, failed 0, skipped 0"
    assert main(["outbox", "list", "--administration", "ACME", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert sorted((row["channel"], row["status"]) for row in rows) == [
        ("email", "sent"),
        ("letter", "pending"),
    ]
    assert main(["outbox", "list", "--administration", "ACME", "--status", "pending"]) == 0
    assert "\tpending\tletter\tC001\tJansen Bouw B.V.\t" in capsys.readouterr().out
    assert len(smtp_server.received) == 1
