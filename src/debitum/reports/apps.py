from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "debitum.reports"
    label = "reports"
