from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "debitum.ledger"
    label = "ledger"
