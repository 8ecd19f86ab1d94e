from django.urls import path

from backend.permits import views

urlpatterns = [
    path("verify/permit/<str:code>/", views.verify_permit, name="permit-verify"),
]
