"""The whole OpenAPI schema generates and validates with no warning and no error from any app."""

from __future__ import annotations

import io
from contextlib import redirect_stderr

from django.core.management import call_command


def test_whole_schema_generates_without_warnings_or_errors(tmp_path):
    # given
    stderr = io.StringIO()

    # when: --fail-on-warn turns any warning or error into SystemExit / SchemaGenerationError
    with redirect_stderr(stderr):
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))

    # then
    assert "Error" not in stderr.getvalue()
    assert "Warning" not in stderr.getvalue()
    assert (tmp_path / "schema.yml").read_text().startswith("openapi:")
