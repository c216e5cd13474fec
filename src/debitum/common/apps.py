from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "debitum.common"
    label = "common"
