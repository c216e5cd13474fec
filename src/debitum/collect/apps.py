from django.apps import AppConfig


class CollectConfig(AppConfig):
    name = "debitum.collect"
    label = "collect"
    verbose_name = "Collections work bench"
