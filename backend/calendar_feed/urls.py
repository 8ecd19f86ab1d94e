from django.urls import path

from backend.calendar_feed import views

urlpatterns = [
    path("calendar/<str:token>.ics", views.calendar_feed_ics, name="calendar-feed-ics"),
]
