from django.apps import AppConfig


class LawConfig(AppConfig):
    name = "debitum.law"
    label = "law"
    verbose_name = "Law: statutory rates"
