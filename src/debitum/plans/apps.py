from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "debitum.plans"
    label = "plans"
    verbose_name = "Payment plans"
