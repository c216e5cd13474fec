from django.apps import AppConfig


class AdministrationsConfig(AppConfig):
    name = "debitum.administrations"
    label = "administrations"
