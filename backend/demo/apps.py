from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for `make run` (manage.py seed_demo). At the top of the layers: it may import every app,
    and no app imports it."""

    name = "backend.demo"
    label = "demo"
    verbose_name = _("Demo data")
