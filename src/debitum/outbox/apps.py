from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "debitum.outbox"
    label = "outbox"
    verbose_name = "Letters and e-mails"
