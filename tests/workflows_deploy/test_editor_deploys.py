"""What the flow editor's Validate / Test / Deploy send reaches the right flow once: a diagram of another
process is refused on one flow's page, the same content re-serialized is not a new version, an oversized
diagram is refused in words (not by field name), and a refusal names the root cause only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from backend.core.exceptions import PortalValidationError
from workflows.models import ProcessVersion
from workflows.services import MAX_BPMN_CHARS, deploy_bpmn_version, get_current_version, parse_for_deploy
from workflows.version_content import canonical_xml

pytestmark = pytest.mark.django_db

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
PAYMENT_XML = (BPMN_DIR / "payment_date_change.bpmn").read_text(encoding="utf-8")
COMPLAINT_XML = (BPMN_DIR / "complaint.bpmn").read_text(encoding="utf-8")
CLIENT_DATA_XML = (BPMN_DIR / "client_data_change.bpmn").read_text(encoding="utf-8")


def reserialized(xml: str) -> str:
    """The same diagram written another way, as the editor does: no indentation, attributes in another
    order, the xsi namespace declared on the root, &#34; for quotes, a comment, no XML declaration."""
    root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(remove_blank_text=True))
    for element in root.iter():
        if isinstance(element.tag, str) and len(element.attrib) > 1:
            items = list(element.attrib.items())
            element.attrib.clear()
            for name, value in reversed(items):
                element.set(name, value)
    nsmap = {**root.nsmap, "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
    hoisted = etree.Element(root.tag, nsmap=nsmap, attrib=dict(root.attrib))
    hoisted.extend(list(root))
    hoisted.insert(0, etree.Comment(" saved by the editor "))
    text = etree.tostring(hoisted, encoding="unicode")
    return text.replace("&quot;", "&#34;")


# --------------------------------------------------------------------------------------------------
# Defect 1: a diagram of another process on one flow's page


@pytest.mark.parametrize(
    "path", ["/api/workflows/validate/", "/api/workflows/test-run/", "/api/workflows/versions/"]
)
def test_a_diagram_of_another_process_is_refused_on_a_flows_page(api_as, analyst, path):
    # given the complaint flow's valid diagram sent from the payment day flow's editor
    get_current_version("complaint")
    versions = ProcessVersion.objects.count()

    # when the editor validates, test-runs or deploys it
    response = api_as(analyst).post(
        path, {"bpmn_xml": COMPLAINT_XML, "process_key": "payment_date_change"}, format="json"
    )

    # then it is refused under the diagram's process id, naming both flows, and nothing is deployed
    body = response.json()
    errors = body.get("errors") if path.endswith("validate/") else body["fields"]
    assert (response.status_code, body.get("valid")) == (
        (200, False) if path.endswith("validate/") else (400, None)
    )
    assert list(errors) == ["complaint"]
    assert "complaint" in errors["complaint"][0] and "payment_date_change" in errors["complaint"][0]
    assert ProcessVersion.objects.count() == versions
    assert ProcessVersion.objects.filter(process_key="complaint").count() == 1


def test_the_flows_own_diagram_still_deploys_from_its_page(api_as, analyst):
    response = api_as(analyst).post(
        "/api/workflows/versions/",
        {
            "bpmn_xml": PAYMENT_XML.replace("Weryfikacja przez BOK", "Ocena"),
            "process_key": "payment_date_change",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["process_key"] == "payment_date_change"


def test_without_a_process_key_the_api_deploys_any_known_flow(analyst):
    # (API clients that deploy files of several flows name none)
    version = deploy_bpmn_version(
        xml=COMPLAINT_XML.replace("</bpmn:definitions>", "<!-- x --></bpmn:definitions>")
    )

    assert version.process_key == "complaint"


def test_service_refuses_another_process_before_parsing_it():
    with pytest.raises(PortalValidationError) as caught:
        parse_for_deploy(COMPLAINT_XML, process_key="payment_date_change")

    assert list(caught.value.fields) == ["complaint"]


def test_a_diagram_of_another_tool_is_told_which_process_id_it_needs(api_as, analyst):
    # given a diagram whose process id is no flow of the portal (as BPMN files of other tools have)
    foreign = PAYMENT_XML.replace('"payment_date_change"', '"WFP-6-"')

    # when the payment day flow's editor validates it
    response = api_as(analyst).post(
        "/api/workflows/validate/", {"bpmn_xml": foreign, "process_key": "payment_date_change"}, format="json"
    )

    # then it says what the process id must be and where to change it, not to open a flow that does not exist
    message = response.json()["errors"]["WFP-6-"][0]
    assert "musi on brzmieć payment_date_change" in message and "panelu właściwości" in message
    assert "otwórz przepływ WFP-6-" not in message


# --------------------------------------------------------------------------------------------------
# Defect 2: the same content written another way is not a new version


def test_the_same_diagram_reserialized_is_the_deployed_version_not_a_new_one(api_as, analyst):
    # given version 1 of the client data flow, deployed from the shipped file
    v1 = get_current_version("client_data_change")
    editor_xml = reserialized(CLIENT_DATA_XML)
    assert editor_xml != CLIENT_DATA_XML

    # when the editor deploys the unchanged diagram as it serializes it
    response = api_as(analyst).post(
        "/api/workflows/versions/",
        {"bpmn_xml": editor_xml, "process_key": "client_data_change"},
        format="json",
    )

    # then it is "already deployed as version 1" (200), no version 2
    assert response.status_code == 200, response.json()
    assert response.json()["number"] == 1
    assert ProcessVersion.objects.filter(process_key="client_data_change").count() == 1
    assert get_current_version("client_data_change") == v1


def test_a_version_stored_with_a_raw_checksum_is_still_found(analyst):
    # given a version stored before checksums were canonical (the checksum of its raw text)
    v1 = get_current_version("client_data_change")
    ProcessVersion.objects.filter(pk=v1.pk).update(checksum="0" * 64)

    # when the same diagram is deployed written another way
    version = deploy_bpmn_version(xml=reserialized(CLIENT_DATA_XML), by=analyst)

    # then that version is found
    assert version.pk == v1.pk


@pytest.mark.parametrize(
    "change",
    [
        # a real change of the process
        lambda xml: xml.replace("&quot;P14D&quot;", "&quot;P10D&quot;"),
        # a moved shape only (the diagram part): an analyst may deploy a tidier picture on purpose
        lambda xml: re.sub(
            r'(<bpmndi:BPMNShape id="staff_review_di"[^>]*>\s*<dc:Bounds x=")(\d+)',
            lambda m: m[1] + str(int(m[2]) + 40),
            xml,
        ),
    ],
    ids=["timer", "moved-shape"],
)
def test_a_real_change_is_a_new_version(analyst, change):
    get_current_version("client_data_change")
    changed = change(CLIENT_DATA_XML)
    assert changed != CLIENT_DATA_XML

    version = deploy_bpmn_version(xml=reserialized(changed), by=analyst)

    assert version.number == 2
    assert canonical_xml(changed) != canonical_xml(CLIENT_DATA_XML)


def test_canonical_form_ignores_number_spelling_in_the_diagram_part():
    # bpmn-js writes x="100" where a file may say x="100.0"
    spelled = re.sub(r'(<dc:Bounds x=")(\d+)(")', r"\1\2.0\3", CLIENT_DATA_XML, count=3)
    assert spelled != CLIENT_DATA_XML

    assert canonical_xml(spelled) == canonical_xml(CLIENT_DATA_XML)


# --------------------------------------------------------------------------------------------------
# Defect 4: an oversized diagram


def test_an_oversized_diagram_is_refused_in_words_with_the_limit_in_mb(api_as, analyst):
    huge = PAYMENT_XML.replace(
        "</bpmn:definitions>", "<!--" + "x" * MAX_BPMN_CHARS + "--></bpmn:definitions>"
    )

    response = api_as(analyst).post("/api/workflows/validate/", {"bpmn_xml": huge}, format="json")

    assert response.status_code == 400
    message = response.json()["fields"]["bpmn_xml"][0]
    assert message == "Diagram jest za duży: może mieć najwyżej 2 MB."
    assert "bpmn_xml" not in message and "2000000" not in message


# --------------------------------------------------------------------------------------------------
# Defect 6: the root cause only


def refusal(xml: str) -> dict[str, list[str]]:
    with pytest.raises(PortalValidationError) as caught:
        parse_for_deploy(xml)
    return caught.value.fields


def test_a_wrong_form_key_is_reported_on_its_task_only():
    # given the staff review task naming a form that does not exist
    xml = PAYMENT_XML.replace(
        'value="payment_date_change/staff_review"', 'value="payment_date_change/staff_review_v2"'
    )

    fields = refusal(xml)

    # then only the task: not the conditions reading `decision` (its form would provide it), nor the gateway
    assert list(fields) == ["staff_review"]
    assert len(fields["staff_review"]) == 2


def test_an_unsafe_condition_is_reported_as_not_allowed_only():
    xml = PAYMENT_XML.replace("decision == &quot;ask_client&quot;", "__import__(&quot;os&quot;)")

    fields = refusal(xml)

    assert list(fields) == ["flow_ask_client"]
    assert len(fields["flow_ask_client"]) == 1
    assert "nie są dozwolone" in fields["flow_ask_client"][0]


def test_a_misspelled_variable_is_still_reported_when_every_form_is_known():
    # (the check the two above must not weaken)
    xml = PAYMENT_XML.replace("decision == &quot;approve&quot;", "decison == &quot;approve&quot;")

    fields = refusal(xml)

    assert "decison" in fields["flow_approve"][0]
    assert "decision_gateway" in fields
