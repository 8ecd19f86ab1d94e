"""The lanes' words in the page's language: the diagram names its lanes as deploy requires (contract.Lane:
Client, Staff, System), the editor shows them as Klient, BOK, System, and a deploy rule's message names
a lane both ways so the analyst finds it in the editor and in the XML."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from workflows.contract import Lane

LANE_LABELS = {
    Lane.CLIENT: gettext_lazy("Client"),
    Lane.STAFF: gettext_lazy("Staff"),
    Lane.SYSTEM: gettext_lazy("System"),
}


def lane_labels() -> dict[str, str]:
    """Each lane's name on the diagram → its word on the page (Client → Klient)."""
    return {lane.value: str(label) for lane, label in LANE_LABELS.items()}


def lane_named(lane: Lane) -> str:
    """A lane as a message names it: its word on the page, followed by its name in the XML where the two
    differ ("BOK (Staff)"; "Staff" in English)."""
    label = str(LANE_LABELS[lane])
    return label if label == lane.value else f"{label} ({lane.value})"
