from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from backend.core.middleware import get_active_client


class PortalLoginView(auth_views.LoginView):
    template_name = "portal_ui/login.html"
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    client = get_active_client(request)
    invoices = client.invoices.order_by("-issue_date", "-id")[:10] if client else []
    return render(request, "portal_ui/home.html", {"invoices": invoices})


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
