from django.apps import AppConfig


class BankingConfig(AppConfig):
    name = "debitum.banking"
    label = "banking"
    verbose_name = "Banking"
