from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "debitum.audit"
    label = "audit"
