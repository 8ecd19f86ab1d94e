from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftsConfig(AppConfig):
    name = "backend.drafts"
    label = "drafts"
    verbose_name = _("Form drafts")
