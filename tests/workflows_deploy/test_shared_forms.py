"""Forms every request type shares live once in bpmn/forms/shared/: a kind's `<kind>/client_reply` key
(what the BPMN and the modeler name) finds the shared file unless the kind has its own, and the deployed
version stores the form under the kind's key as before."""

from __future__ import annotations

import json

import pytest

from workflows import forms
from workflows.contract import CONTRACTS
from workflows.models import ProcessVersion
from workflows.services import deploy_builtin_processes

SHARED_REPLY = forms.forms_dir() / "shared" / "client_reply.json"


def test_every_kind_finds_the_shared_client_reply_form():
    for key in CONTRACTS:
        form_key = f"{key}/client_reply"
        assert forms.form_path(form_key) == SHARED_REPLY.resolve(), form_key
        assert form_key in forms.form_keys()
    assert not any(key.startswith("shared/") for key in forms.form_keys())


def test_a_kind_s_own_file_wins_and_unknown_kinds_or_paths_find_nothing(settings, tmp_path):
    (tmp_path / "bpmn" / "forms" / "shared").mkdir(parents=True)
    (tmp_path / "bpmn" / "forms" / "shared" / "client_reply.json").write_text("{}")
    (tmp_path / "bpmn" / "forms" / "own_kind").mkdir()
    (tmp_path / "bpmn" / "forms" / "own_kind" / "client_reply.json").write_text('{"own": true}')
    (tmp_path / "bpmn" / "forms" / "plain_kind").mkdir()
    settings.BASE_DIR = tmp_path

    assert forms.load_form("own_kind/client_reply") == {"own": True}
    assert forms.load_form("plain_kind/client_reply") == {}
    assert not forms.form_exists("no_such_kind/client_reply")
    assert not forms.form_exists("plain_kind/staff_review")
    assert not forms.form_exists("../plain_kind/client_reply")
    assert forms.form_keys() == ["own_kind/client_reply", "plain_kind/client_reply"]


@pytest.mark.django_db
def test_a_deployed_version_stores_the_shared_form_under_the_kind_s_key():
    shared = json.loads(SHARED_REPLY.read_text(encoding="utf-8"))
    deploy_builtin_processes()
    versions = list(ProcessVersion.objects.all())
    assert {version.process_key for version in versions} == set(CONTRACTS)
    for version in versions:
        assert version.forms[f"{version.process_key}/client_reply"] == shared
