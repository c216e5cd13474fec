from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "debitum.imports"
    label = "imports"
