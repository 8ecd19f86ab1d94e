from django.urls import path

from backend.drafts import apis

urlpatterns = [path("drafts/", apis.DraftApi.as_view(), name="drafts")]
