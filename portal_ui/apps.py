from django.apps import AppConfig


class PortalUiConfig(AppConfig):
    name = "portal_ui"
    label = "portal_ui"
