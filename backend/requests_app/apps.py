from django.apps import AppConfig


class RequestsAppConfig(AppConfig):
    name = "backend.requests_app"
    label = "requests_app"
