"""A posted or queried `next` that is not a path of the site (`zzz`, `logout`, a number) sends the browser to
the form's own fallback; it was handed to redirect(), which reversed it as a URL pattern's name: NoReverseMatch
(500) for `zzz`, and `logout` became /logout/."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import ClientFactory, MembershipFactory
from tests.second_factor_helpers import code_for, enrol

pytestmark = pytest.mark.django_db

NOT_PATHS = ["zzz", "logout", "1", "staff-home"]


@pytest.mark.parametrize("action", ["claim", "unclaim"])
@pytest.mark.parametrize("next_value", NOT_PATHS)
def test_the_staff_claim_and_release_go_back_to_the_task_page(
    client, bok_staff, open_request, action, next_value
):
    client.force_login(bok_staff)
    if action == "unclaim":
        client.post(reverse("staff-task-action", args=[open_request.pk, "claim"]))

    response = client.post(reverse("staff-task-action", args=[open_request.pk, action]), {"next": next_value})

    assert response.status_code == 302
    assert response["Location"] == reverse("staff-task-page", kwargs={"request_id": open_request.pk})


def test_the_staff_claim_still_goes_back_to_the_list_it_came_from(client, bok_staff, open_request):
    client.force_login(bok_staff)
    back = reverse("staff-tasks") + "?scope=unclaimed#task-1"

    response = client.post(reverse("staff-task-action", args=[open_request.pk, "claim"]), {"next": back})

    assert response["Location"] == back


@pytest.mark.parametrize("next_value", NOT_PATHS)
def test_switching_the_client_goes_home(client, client_user, next_value):
    beta = ClientFactory(name="Beta sp. z o.o.")
    MembershipFactory(user=client_user, client=beta, is_default=False)
    client.force_login(client_user)

    response = client.post(reverse("switch-client"), {"client_id": beta.pk, "next": next_value})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("next_value", NOT_PATHS)
def test_the_login_code_step_goes_to_the_workspace(client, bok_staff, password, next_value):
    device = enrol(bok_staff)
    login_url = reverse("login") + f"?next={next_value}"
    assert client.post(login_url, {"username": bok_staff.email, "password": password}).status_code == 302

    done = client.post(reverse("second_factor_verify"), {"code": code_for(device)})

    assert done.status_code == 302
    assert done["Location"] == reverse("home")
