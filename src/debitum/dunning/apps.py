from django.apps import AppConfig


class DunningConfig(AppConfig):
    name = "debitum.dunning"
    label = "dunning"
    verbose_name = "Dunning"
