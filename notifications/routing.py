from django.urls import path

from notifications.consumers import PortalConsumer

websocket_urlpatterns: list = [
    path("ws/portal/", PortalConsumer.as_asgi()),
]
