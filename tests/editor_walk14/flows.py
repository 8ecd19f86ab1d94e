"""The shipped flows as an analyst edits them in these tests."""

from __future__ import annotations

import re
from pathlib import Path

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
PAYMENT_XML = (BPMN_DIR / "payment_date_change.bpmn").read_text(encoding="utf-8")
PERMIT_XML = (BPMN_DIR / "vehicle_abroad_permit.bpmn").read_text(encoding="utf-8")
PERMIT_DMN = (BPMN_DIR / "dmn" / "vehicle_abroad_permit.dmn").read_text(encoding="utf-8")


def without_apply_change(xml: str = PAYMENT_XML) -> str:
    """The payment day flow with its "Wprowadzenie nowej daty płatności" task deleted in the editor: the
    approve flow reconnected to the document task, the task's shape, lines and lane entry gone."""
    start = xml.index('<bpmn:serviceTask id="apply_change"')
    xml = xml[:start] + xml[xml.index("</bpmn:serviceTask>", start) + len("</bpmn:serviceTask>") :]
    xml = xml.replace(
        '<bpmn:sequenceFlow id="flow_change_applied" sourceRef="apply_change" targetRef="issue_decision_document" />',
        "",
    )
    xml = xml.replace('targetRef="apply_change"', 'targetRef="issue_decision_document"')
    xml = xml.replace(
        "<bpmn:incoming>flow_change_applied</bpmn:incoming>", "<bpmn:incoming>flow_approve</bpmn:incoming>"
    )
    xml = xml.replace("<bpmn:flowNodeRef>apply_change</bpmn:flowNodeRef>", "")
    xml = re.sub(r'<bpmndi:BPMNShape id="apply_change_di".*?</bpmndi:BPMNShape>', "", xml, flags=re.S)
    xml = re.sub(r'<bpmndi:BPMNEdge id="flow_change_applied_di".*?</bpmndi:BPMNEdge>', "", xml, flags=re.S)
    assert "apply_change" not in xml
    return xml


def bypassing_apply_change(xml: str = PAYMENT_XML) -> str:
    """The approve flow led straight to the document task; "Wprowadzenie nowej daty płatności" stays in
    the diagram, on no path."""
    return xml.replace(
        'name="Zatwierdź" sourceRef="decision_gateway" targetRef="apply_change"',
        'name="Zatwierdź" sourceRef="decision_gateway" targetRef="issue_decision_document"',
    )


def with_cell(old: str, new: str, dmn: str = PERMIT_DMN) -> str:
    """The permit table with one cell's text edited in the table editor."""
    assert dmn.count(f"<text>{old}</text>") == 1, old
    return dmn.replace(f"<text>{old}</text>", f"<text>{new}</text>")
