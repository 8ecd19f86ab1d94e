"""The request and workflow APIs are in the OpenAPI schema, and generate it without warnings."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, suppress

import yaml
from django.core.management import call_command

OUR_CODE = ("backend/requests_app", "workflows/")


def test_schema_has_our_endpoints_and_no_warnings_from_our_code(tmp_path):
    # when
    stderr = io.StringIO()
    with redirect_stderr(stderr), suppress(SystemExit):
        call_command("spectacular", "--validate", "--file", str(tmp_path / "schema.yml"))

    # then
    ours = [line for line in stderr.getvalue().splitlines() if any(part in line for part in OUR_CODE)]
    assert ours == []
    assert "enum naming encountered" not in stderr.getvalue()
    schema = yaml.safe_load((tmp_path / "schema.yml").read_text())
    paths = schema["paths"]
    for path in (
        "/api/requests/",
        "/api/requests/catalogue/",
        "/api/requests/{request_id}/reply/",
        "/api/requests/schedule-quote/",
        "/api/staff/tasks/",
        "/api/staff/requests/{request_id}/approve/",
        "/api/workflows/versions/",
    ):
        assert path in paths, path
    submit = paths["/api/requests/"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in submit["parameters"])
