from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarFeedConfig(AppConfig):
    name = "backend.calendar_feed"
    label = "calendar_feed"
    verbose_name = _("Calendar feed")
