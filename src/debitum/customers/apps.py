from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "debitum.customers"
    label = "customers"
