from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalUiConfig(AppConfig):
    name = "portal_ui"
    label = "portal_ui"
    verbose_name = _("Client portal")
