"""How the repair pages name an incident's element: by the name the analyst gave it on the canvas (a stage in
the reader's language, as the Stage line names it), its id beside it, never the id alone."""

from __future__ import annotations

from collections.abc import Iterable

from backend.core.language import active_lang
from workflows import stage_labels
from workflows.models import Incident


def named_incidents(incidents: Iterable[Incident]) -> list[Incident]:
    """The incidents, each with `element_name` set: "" when its element has no name (or its version is gone),
    so that the page shows the id only then."""
    named = []
    for incident in incidents:
        incident.element_name = _element_name(incident.process_version_id, incident.element_id)
        named.append(incident)
    return named


def _element_name(version_id: int | None, element_id: str) -> str:
    if version_id is None or not element_id:
        return ""
    # A stage has an English title too (titleEn); another element only its name in the diagram.
    title = stage_labels.pick(stage_labels.version_titles(version_id).get(element_id), active_lang())
    if title and title != element_id:
        return title
    return stage_labels.element_names(version_id).get(element_id, "")
