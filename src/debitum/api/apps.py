from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "debitum.api"
    label = "api"
    verbose_name = "REST API"
