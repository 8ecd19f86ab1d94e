"""What makes two diagrams the same content: the canonical form of a BPMN file (its serialization aside),
the checksum a version is stored under, and the version of a process holding given content."""

from __future__ import annotations

import hashlib
import json

from lxml import etree

from workflows.models import ProcessVersion

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
# DI coordinates as bpmn-js writes them ("100") and as files may hold them ("100.0") compare equal.
_DI_NAMESPACES = frozenset(
    {"http://www.omg.org/spec/DD/20100524/DC", "http://www.omg.org/spec/DD/20100524/DI"}
)
# The BPMN schema's attribute defaults: bpmn-js leaves out an attribute that holds its default, which
# means the same as writing it.
_BPMN_DEFAULTS = {
    "cancelActivity": "true",
    "isInterrupting": "true",
    "isForCompensation": "false",
    "startQuantity": "1",
    "completionQuantity": "1",
    "parallelMultiple": "false",
    "gatewayDirection": "Unspecified",
    "processType": "None",
    "isClosed": "false",
    "triggeredByEvent": "false",
    "isSequential": "false",
    "instantiate": "false",
    "testBefore": "false",
    "isCollection": "false",
    "waitForCompletion": "true",
    "associationDirection": "None",
}


def canonical_xml(xml: str) -> bytes:
    """The diagram without its serialization: what two files must share to be the same content.

    The editor re-serializes the diagram it shows (indentation, attribute order, quoting, where the
    namespaces are declared, comments, attributes at their default, the order of the drawn shapes), so
    the stored text and the text sent back differ although nothing was edited. This form removes those
    differences and nothing else: exclusive C14N of the tree without blank text and comments, schema
    defaults dropped, DI numbers spelled one way, the shapes of the diagram part in id order. Where the
    shapes and lines are drawn stays in: moving a shape is a change an analyst may deploy on purpose.
    A file that is not XML stays as it is.
    """
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, remove_blank_text=True, remove_comments=True, remove_pis=True
    )
    try:
        root = etree.fromstring(xml.encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return xml.encode("utf-8")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        # Indentation left inside an element without children (<parameters>\n  </parameters>).
        if element.text is not None and not element.text.strip():
            element.text = None
        if element.tail is not None and not element.tail.strip():
            element.tail = None
        namespace = etree.QName(element).namespace
        if namespace == BPMN_NS:
            for name, default in _BPMN_DEFAULTS.items():
                if element.get(name) == default:
                    del element.attrib[name]
        elif namespace in _DI_NAMESPACES:
            for name, value in element.attrib.items():
                try:
                    element.set(name, repr(float(value)))
                except ValueError:
                    continue
    for plane in root.iter(f"{{{_BPMNDI_NS}}}BPMNPlane"):
        plane[:] = sorted(plane, key=lambda shape: shape.get("id", ""))
    return etree.tostring(root, method="c14n", exclusive=True, with_comments=False)


def content_checksum(xml: str, forms: dict, dmn: dict[str, str] | None) -> str:
    """The checksum of a version's content: its canonical diagram, its forms and its decision tables."""
    return hashlib.sha256(
        canonical_xml(xml)
        + (
            json.dumps(forms, sort_keys=True, ensure_ascii=False)
            + (json.dumps(dmn, sort_keys=True, ensure_ascii=False) if dmn else "")
        ).encode("utf-8")
    ).hexdigest()


def version_with_content(process_key: str, checksum: str) -> ProcessVersion | None:
    """The process's version with this content (any version, not only the current one), or None."""
    found = ProcessVersion.objects.filter(process_key=process_key, checksum=checksum).first()
    if found is not None:
        return found
    # Versions stored before the checksum was canonical carry their raw text's: compared here instead.
    for version in ProcessVersion.objects.filter(process_key=process_key).order_by("-number"):
        if content_checksum(version.bpmn_xml, version.forms, version.dmn or None) == checksum:
            return version
    return None
