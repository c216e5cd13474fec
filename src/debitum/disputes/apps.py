from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "debitum.disputes"
    label = "disputes"
