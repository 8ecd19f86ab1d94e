"""Foreign and mutilated BPMN files an analyst may upload, built from the shipped payment day flow."""

from __future__ import annotations

from pathlib import Path

from tests.editor_walk14.flows import PAYMENT_XML, PERMIT_XML

MIWG_DIR = Path("/work/shared/bpmn-miwg/reference")
MIWG_FILES = sorted(MIWG_DIR.glob("*.bpmn"))
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
KEY = "payment_date_change"


def truncated() -> str:
    return PAYMENT_XML[: len(PAYMENT_XML) // 2]


def wrong_namespace() -> str:
    return PAYMENT_XML.replace(BPMN_NS, "http://www.omg.org/spec/BPMN/20100501/MODEL")


def five_megabytes() -> str:
    padding = "<!-- " + "x" * (5 * 1024 * 1024) + " -->"
    return PAYMENT_XML.replace("<bpmn:collaboration", padding + "<bpmn:collaboration", 1)


def many_tasks(
    count: int = 2000, tag: str = "scriptTask", body: str = "<bpmn:script>x = 1</bpmn:script>"
) -> str:
    """`count` tasks chained between the start event and the staff review, in the staff lane."""
    ids = [f"step_{n}" for n in range(count)]
    refs = "".join(f"<bpmn:flowNodeRef>{i}</bpmn:flowNodeRef>" for i in ids)
    chain = [*ids, "staff_review"]
    tasks = "".join(
        f'<bpmn:{tag} id="{i}" name="Krok {n}"><bpmn:incoming>in_{i}</bpmn:incoming>'
        f"<bpmn:outgoing>in_{chain[n + 1]}</bpmn:outgoing>{body}</bpmn:{tag}>"
        for n, i in enumerate(ids)
    )
    flows = "".join(
        f'<bpmn:sequenceFlow id="in_{chain[n + 1]}" sourceRef="{i}" targetRef="{chain[n + 1]}" />'
        for n, i in enumerate(ids)
    )
    xml = PAYMENT_XML.replace(
        "<bpmn:flowNodeRef>staff_review</bpmn:flowNodeRef>",
        "<bpmn:flowNodeRef>staff_review</bpmn:flowNodeRef>" + refs,
    )
    xml = xml.replace(
        '<bpmn:sequenceFlow id="flow_submitted" sourceRef="start_event" targetRef="staff_review" />',
        f'<bpmn:sequenceFlow id="flow_submitted" sourceRef="start_event" targetRef="{ids[0]}" />{flows}',
    )
    xml = xml.replace(
        "<bpmn:incoming>flow_submitted</bpmn:incoming>", "<bpmn:incoming>in_staff_review</bpmn:incoming>"
    )
    xml = xml.replace(
        f'<bpmn:{tag} id="{ids[0]}" name="Krok 0"><bpmn:incoming>in_{ids[0]}</bpmn:incoming>',
        f'<bpmn:{tag} id="{ids[0]}" name="Krok 0"><bpmn:incoming>flow_submitted</bpmn:incoming>',
    )
    return xml.replace("</bpmn:laneSet>", "</bpmn:laneSet>" + tasks, 1)


def collaboration_without_processes() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<bpmn:definitions xmlns:bpmn="{BPMN_NS}" id="defs" targetNamespace="http://example.com/bpmn">'
        '<bpmn:collaboration id="collab"><bpmn:participant id="p1" name="Bank" />'
        '<bpmn:participant id="p2" name="Klient" /></bpmn:collaboration></bpmn:definitions>'
    )


def permit_flow() -> str:
    """Another request type's flow (its process id names another existing flow)."""
    return PERMIT_XML


def payment_as_permit() -> str:
    """The payment day flow under the id of the permit flow (another request type's)."""
    return PAYMENT_XML.replace(f'"{KEY}"', '"vehicle_abroad_permit"')


def utf16_declared() -> str:
    return PAYMENT_XML.replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)


def entity_expansion() -> str:
    lol = (
        '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(8))
        + "]>"
    )
    xml = PAYMENT_XML.replace(
        '<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="UTF-8"?>' + lol
    )
    return xml.replace('name="Weryfikacja przez BOK"', 'name="&i;"', 1)


def external_entity() -> str:
    dtd = '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    xml = PAYMENT_XML.replace(
        '<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="UTF-8"?>' + dtd
    )
    return xml.replace('name="Weryfikacja przez BOK"', 'name="&x;"', 1)


def deep_nesting(depth: int = 5000) -> str:
    inner = "<bpmn:extensionElements>" * depth + "</bpmn:extensionElements>" * depth
    return PAYMENT_XML.replace(
        '<bpmn:userTask id="staff_review" name="Weryfikacja przez BOK">',
        '<bpmn:userTask id="staff_review" name="Weryfikacja przez BOK">' + inner,
        1,
    )


def empty() -> str:
    return "   "


def parallel_blocks(blocks: int = 1, branches: int = 150) -> str:
    """`blocks` parallel gateways one after the other before the staff review, each splitting into
    `branches` script tasks and joining them again."""
    nodes, refs = [], []
    source = "start_event"
    for block in range(blocks):
        fork, join = f"fork_{block}", f"join_{block}"
        ids = [f"b{block}_{n}" for n in range(branches)]
        nodes.append(
            f'<bpmn:sequenceFlow id="into_{fork}" sourceRef="{source}" targetRef="{fork}" />'
            f'<bpmn:parallelGateway id="{fork}"><bpmn:incoming>into_{fork}</bpmn:incoming>'
            + "".join(f"<bpmn:outgoing>f_{i}</bpmn:outgoing>" for i in ids)
            + f'</bpmn:parallelGateway><bpmn:parallelGateway id="{join}">'
            + "".join(f"<bpmn:incoming>g_{i}</bpmn:incoming>" for i in ids)
            + "</bpmn:parallelGateway>"
            + "".join(
                f'<bpmn:scriptTask id="{i}" name="Gałąź {i}"><bpmn:incoming>f_{i}</bpmn:incoming>'
                f"<bpmn:outgoing>g_{i}</bpmn:outgoing><bpmn:script>x_{i} = 1</bpmn:script></bpmn:scriptTask>"
                f'<bpmn:sequenceFlow id="f_{i}" sourceRef="{fork}" targetRef="{i}" />'
                f'<bpmn:sequenceFlow id="g_{i}" sourceRef="{i}" targetRef="{join}" />'
                for i in ids
            )
        )
        refs += [fork, join, *ids]
        source = join
    nodes.append(f'<bpmn:sequenceFlow id="to_review" sourceRef="{source}" targetRef="staff_review" />')
    xml = PAYMENT_XML.replace(
        '<bpmn:sequenceFlow id="flow_submitted" sourceRef="start_event" targetRef="staff_review" />', ""
    )
    xml = xml.replace(
        "<bpmn:outgoing>flow_submitted</bpmn:outgoing>", "<bpmn:outgoing>into_fork_0</bpmn:outgoing>"
    )
    xml = xml.replace(
        "<bpmn:incoming>flow_submitted</bpmn:incoming>", "<bpmn:incoming>to_review</bpmn:incoming>"
    )
    xml = xml.replace('bpmnElement="flow_submitted"', 'bpmnElement="to_review"')
    xml = xml.replace(
        "<bpmn:flowNodeRef>staff_review</bpmn:flowNodeRef>",
        "<bpmn:flowNodeRef>staff_review</bpmn:flowNodeRef>"
        + "".join(f"<bpmn:flowNodeRef>{ref}</bpmn:flowNodeRef>" for ref in refs),
    )
    return xml.replace("</bpmn:laneSet>", "</bpmn:laneSet>" + "".join(nodes), 1)
