from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make run` (manage.py seed_demo). At the top of the layers: it may import every app,
    and no app imports it."""

    name = "backend.demo"
    label = "demo"
