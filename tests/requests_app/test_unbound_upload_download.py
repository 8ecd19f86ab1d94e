"""An upload no request uses yet is downloaded by its uploader only; once bound, by whoever sees the request."""

from __future__ import annotations

import pytest

from backend.clients.models import ClientMembership
from tests.factories import MembershipFactory, UserFactory
from tests.requests_app.helpers import submission, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(acme):
    """A fleet manager of the same company, all contracts: requests are in the role."""
    user = UserFactory(email="flota@acme.pl")
    MembershipFactory(user=user, client=acme, role=ClientMembership.Role.FLEET_MANAGER)
    return user


def download(api, attachment_id: int):
    return api.get(f"/api/requests/attachments/{attachment_id}/download/")


def test_an_unbound_upload_is_its_uploaders_alone(api_as, client_user, colleague, bok_staff):
    # given
    attachment_id = upload(api_as(client_user)).json()["id"]

    # when
    by_uploader = download(api_as(client_user), attachment_id)
    by_colleague = download(api_as(colleague), attachment_id)
    by_staff = download(api_as(bok_staff), attachment_id)

    # then
    assert by_uploader.status_code == 200
    assert by_colleague.status_code == 404
    assert by_colleague.json()["code"] == "not_found"
    assert by_staff.status_code == 404


def test_a_staff_upload_not_yet_sent_is_not_shown_to_other_staff(
    api_as, client_user, bok_staff, second_staff
):
    # given: a request, and a file staff uploaded for it but have not sent
    body = submission("other_request", data={"subject": "Polisa", "message": "Kopia."})
    request_id = api_as(client_user).post("/api/requests/", body, format="json").json()["id"]
    attachment_id = upload(api_as(bok_staff), query=f"?request={request_id}").json()["id"]

    # when / then
    assert download(api_as(bok_staff), attachment_id).status_code == 200
    assert download(api_as(second_staff), attachment_id).status_code == 404
    assert download(api_as(client_user), attachment_id).status_code == 404


def test_a_bound_upload_is_seen_by_the_company_and_staff(api_as, client_user, colleague, bok_staff):
    # given: the upload goes with a request
    api = api_as(client_user)
    attachment_id = upload(api).json()["id"]
    body = submission(
        "other_request", data={"subject": "Polisa", "message": "Kopia."}, attachment_ids=[attachment_id]
    )
    submitted = api.post("/api/requests/", body, format="json")
    assert submitted.status_code == 201, submitted.content

    # when / then
    assert download(api_as(colleague), attachment_id).status_code == 200
    assert download(api_as(bok_staff), attachment_id).status_code == 200
