from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "debitum.claims"
    label = "claims"
    verbose_name = "Claims: collection costs and interest"
