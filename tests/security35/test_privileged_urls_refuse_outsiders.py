"""A client's session (a hostile client, or a stolen client session) on every staff, analyst, ops and admin
URL and API, read and write: refused (403/404/405, the admin's own login redirect), never data, never a
500, nothing changed. And a staff member on the analyst's own actions (deploy, repair, rollback)."""

from __future__ import annotations

import pytest
from django.test import Client

from backend.core.models import AuditLog
from tests.security35.privileged_urls import ANALYST_ONLY, privileged_paths

pytestmark = pytest.mark.django_db
REFUSED = {302, 403, 404, 405}


@pytest.fixture
def ids(open_request) -> dict[str, str]:
    from workflows.models import ProcessVersion

    version = ProcessVersion.objects.order_by("pk").first()
    return {
        "request_id": str(open_request.pk),
        "instance_id": str(open_request.process_instance_id),
        "version_id": str(version.pk if version else 1),
        "process_key": "other_request",
        "action": "approve",
        "object_id": str(open_request.pk),
        "?/ops/instances/": f"?version={open_request.process_instance.process_version_id}&stage=staff_review",
    }


def _refused(client: Client, path: str, method: str):
    response = getattr(client, method)(path, {}, content_type="application/json")
    if response.status_code == 302 and "/login/" not in response["Location"]:
        # a GET of a form's address goes to its page (portal_ui/post_only_pages.py): refused there
        landing = client.get(response["Location"])
        assert landing.status_code in {403, 404}, (path, response["Location"], landing.status_code)
    return response


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_a_client_session_gets_nothing_from_any_staff_or_analyst_url(
    client, client_user, ids, open_request, method
):
    client = Client(raise_request_exception=False)
    client.force_login(client_user)
    audit_rows = AuditLog.objects.count()
    before = type(open_request).objects.values().get(pk=open_request.pk)
    answers = {path: _refused(client, path, method) for path in privileged_paths(ids)}

    wrong = {path: r.status_code for path, r in answers.items() if r.status_code not in REFUSED}
    assert not wrong
    leaked = [path for path, r in answers.items() if open_request.number.encode() in r.content]
    assert not leaked
    assert type(open_request).objects.values().get(pk=open_request.pk) == before
    assert list(AuditLog.objects.filter(pk__gt=audit_rows).values_list("action", flat=True)) == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_get_nothing_from_the_analysts_own_urls(bok_staff, ids, method):
    client = Client(raise_request_exception=False)
    client.force_login(bok_staff)
    paths = [p for p in privileged_paths(ids) if p.lstrip("/").startswith(ANALYST_ONLY)]
    assert any("rollback" in p for p in paths) and any("/api/ops/" in p for p in paths)

    if method == "get":  # the back office reads the versions a request runs on (workflows/apis.py)
        version = f"/api/workflows/versions/{ids['version_id']}/"
        paths = [p for p in paths if p not in {"/api/workflows/versions/", version, version + "instances/"}]
    answers = {path: _refused(client, path, method).status_code for path in paths}

    assert {path: code for path, code in answers.items() if code not in REFUSED} == {}


@pytest.mark.parametrize("who", ["bok_staff", "analyst"])
def test_only_administrators_open_the_django_admin(request, ids, who):
    client = Client(raise_request_exception=False)
    client.force_login(request.getfixturevalue(who))
    paths = [p for p in privileged_paths(ids) if p.startswith("/admin/")]

    answers = {path: _refused(client, path, "get").status_code for path in paths}

    assert {path: code for path, code in answers.items() if code not in REFUSED} == {}
