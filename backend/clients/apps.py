from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "backend.clients"
    label = "clients"
