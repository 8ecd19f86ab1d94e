"""Reading the BPMN file with lxml: namespaces, the line of an element, its spiffworkflow properties."""

from __future__ import annotations

from django.utils.translation import gettext as _
from lxml import etree

from workflows.engine.errors import BpmnProblem, BpmnValidationError

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NSMAP = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS}


def line_of(element) -> int | None:
    """The element's line in the file (the editor's and the deploy rules' messages point at it)."""
    return getattr(element, "sourceline", None)


def _element_at_line(root, line: int | None) -> str:
    if not line:
        return ""
    best = ""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.sourceline and element.sourceline <= line and element.get("id"):
            best = element.get("id")
        if element.sourceline and element.sourceline > line:
            break
    return best


def _to_bytes(xml: str | bytes) -> bytes:
    return xml.encode("utf-8") if isinstance(xml, str) else xml


def _parse_tree(xml: str | bytes):
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=False)
        return etree.fromstring(_to_bytes(xml), parser)
    except etree.XMLSyntaxError as exc:
        raise BpmnValidationError([BpmnProblem("", xml_syntax_message(exc), exc.lineno)]) from exc


def xml_syntax_message(exc: etree.XMLSyntaxError, *, dmn: bool = False) -> str:
    """A file lxml cannot read, in the analyst's words: libxml2's own text is English and technical
    ("Maximum entity amplification factor exceeded, see xmlCtxtSetMaxAmplification.")."""
    line, column = exc.position if exc.position else (exc.lineno or 0, 0)
    if "amplification" in (exc.msg or "") or "entity" in (exc.msg or "").lower():
        reason = _("it defines or uses XML entities, which the portal does not read")
    elif line and column:
        reason = _("the XML breaks off or is malformed at line %(line)d, column %(column)d") % {
            "line": line,
            "column": column,
        }
    else:
        reason = _("it is not XML")
    if dmn:
        return _("The DMN file cannot be read: %(reason)s.") % {"reason": reason}
    return _("The file cannot be read: %(reason)s.") % {"reason": reason}


def extension_properties(element) -> dict[str, str]:
    """The element's spiffworkflow:property name → value pairs (outcome, titleEn, …)."""
    return {
        prop.get("name"): prop.get("value", "")
        for prop in element.xpath(
            "./bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property", namespaces=NSMAP
        )
    }
