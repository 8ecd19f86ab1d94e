"""The Celery application. Periodic tasks are declared here, once, for the single beat process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.config.settings")

app = Celery("portal_klienta")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["workflows", "notifications", "backend.requests_app", "backend.invoices"])
app.conf.beat_schedule = {}
