from django.contrib.auth import views as auth_views
from django.urls import path

from portal_ui import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", views.PortalPasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", views.PortalPasswordChangeDoneView.as_view(), name="password_change_done"),
    path("client/switch/", views.switch_client, name="switch-client"),
    path("staff/", views.staff_home, name="staff-home"),
    path("analyst/", views.analyst_home, name="analyst-home"),
    path("healthz", views.healthz, name="healthz"),
]
