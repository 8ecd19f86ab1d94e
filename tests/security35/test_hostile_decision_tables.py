"""The deploy takes the analyst's own DMN decision tables beside the diagram (`dmn`): a table that declares
entities (an external file, or a billion-laughs expansion) is read without resolving them, so no file of
the server reaches any answer and nothing expands; every entry point answers with a refusal, never a 500."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db
BPMN = Path(settings.BASE_DIR) / "bpmn"
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'


def _table(doctype: str, entity: str) -> str:
    dmn = (BPMN / "dmn" / "vehicle_abroad_permit.dmn").read_text(encoding="utf-8")
    dmn = dmn.replace(DECLARATION, DECLARATION + doctype, 1)
    return dmn.replace('label="Kraje wyjazdu / Countries"', f'label="{entity}"', 1)


LAUGHS = (
    '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(8))
    + "]>"
)
TABLES = {
    "external_file": _table('<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;"),
    "external_url": _table('<!DOCTYPE d [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>', "&x;"),
    "billion_laughs": _table(LAUGHS, "&i;"),
}


@pytest.mark.parametrize("path", ["/api/workflows/validate/", "/api/workflows/versions/"])
@pytest.mark.parametrize("name", TABLES)
def test_a_decision_table_with_entities_is_refused_and_reads_no_file(api_as, analyst, path, name):
    bpmn = (BPMN / "vehicle_abroad_permit.bpmn").read_text(encoding="utf-8")

    response = api_as(analyst).post(
        path,
        {
            "bpmn_xml": bpmn,
            "process_key": "vehicle_abroad_permit",
            "dmn": {"vehicle_abroad_permit": TABLES[name]},
        },
        format="json",
    )

    assert response.status_code in {200, 400}, response.content[:1000]
    body = response.content.decode()
    assert "root:" not in body and "aaaaaaaaaaaaaaaaaaaa" not in body
    if path.endswith("versions/"):
        assert response.status_code == 400  # not deployed
