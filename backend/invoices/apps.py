from django.apps import AppConfig


class InvoicesConfig(AppConfig):
    name = "backend.invoices"
    label = "invoices"
