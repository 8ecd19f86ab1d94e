from django.urls import path

from backend.clients import apis

urlpatterns = [
    path("client/", apis.ClientDataApi.as_view(), name="client-data"),
]
