from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "backend.contracts"
    label = "contracts"
