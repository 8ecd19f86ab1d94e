import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.views import View

from backend.clients.active import activate_client
from portal_ui.access import AnalystRequiredMixin, ClientRequiredMixin, StaffRequiredMixin, client_required

pytestmark = pytest.mark.django_db


class StaffPage(StaffRequiredMixin, View):
    def get(self, request):
        return HttpResponse("staff")


class AnalystPage(AnalystRequiredMixin, View):
    def get(self, request):
        return HttpResponse("analyst")


class ClientPage(ClientRequiredMixin, View):
    def get(self, request):
        return HttpResponse(request.active_client.name)


def request_for(user):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    request.session = SessionStore()
    activate_client(request)  # what ActiveClientMiddleware does on every request
    return request


def test_mixins_let_the_right_role_in(bok_staff, analyst, client_user):
    assert StaffPage.as_view()(request_for(bok_staff)).content == b"staff"
    assert AnalystPage.as_view()(request_for(analyst)).content == b"analyst"
    assert ClientPage.as_view()(request_for(client_user)).content == b"ACME Logistyka sp. z o.o."


@pytest.mark.parametrize(
    ("view", "user_fixture"),
    [(StaffPage, "client_user"), (AnalystPage, "bok_staff"), (ClientPage, "bok_staff")],
)
def test_mixins_refuse_other_roles_with_403(request, view, user_fixture):
    with pytest.raises(PermissionDenied):
        view.as_view()(request_for(request.getfixturevalue(user_fixture)))


def test_anonymous_users_are_sent_to_login():
    response = StaffPage.as_view()(request_for(AnonymousUser()))
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/somewhere/"


def test_client_required_decorator_lets_the_active_client_through(client_user, acme):
    @client_required
    def page(request):
        return HttpResponse(str(request.active_client.pk))

    assert page(request_for(client_user)).content == str(acme.pk).encode()
