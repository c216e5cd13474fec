from django.apps import AppConfig


class PromisesConfig(AppConfig):
    name = "debitum.promises"
    label = "promises"
