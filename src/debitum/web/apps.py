from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "debitum.web"
    label = "web"
