"""The outcomes' words in the page's language: an end event carries its outcome as deploy requires
(contract.Outcome: approved, rejected, cancelled), the editor's panel offers it by its label (zatwierdzony),
and a deploy refusal, a test run's reason or an incident names it by that label followed by the value in
the XML where the two differ ("„zatwierdzony” (approved)"; “approved” in English), as lanes are named
(lane_labels.lane_named). The panel's choices come from here too (flow_editor.html), so both say the same.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import pgettext_lazy

from backend.core.language import quoted
from workflows.contract import Outcome

OUTCOME_LABELS = {
    Outcome.APPROVED: pgettext_lazy("outcome", "approved"),
    Outcome.REJECTED: pgettext_lazy("outcome", "rejected"),
    Outcome.CANCELLED: pgettext_lazy("outcome", "cancelled"),
}
# The parameters of the messages kept as an id and parameters (a stored test run's reason, an incident's)
# that hold an outcome's value: named when read, in the reader's language (reason_words names them in
# every message). "stage" holds one where the test run says where a request ended (its outcome, else its
# end event's id).
OUTCOME_PARAMS = frozenset({"outcome", "expected", "actual", "stage"})


def outcome_labels() -> dict[str, str]:
    """Each outcome's value in the XML → its word on the page (approved → zatwierdzony)."""
    return {outcome.value: str(label) for outcome, label in OUTCOME_LABELS.items()}


def outcome_named(value: str) -> str:
    """An outcome as a message names it: its word on the page in quotation marks, followed by its value in
    the XML where the two differ. A value deploy does not know stays as it is, quoted."""
    try:
        outcome = Outcome(value)
    except ValueError:
        return quoted(value)
    label = str(OUTCOME_LABELS[outcome])
    return quoted(label) if label == value else f"{quoted(label)} ({value})"


def outcomes_named(values: Iterable[str]) -> str:
    """Several outcomes, in the order of their values, as a message lists them."""
    return ", ".join(outcome_named(value) for value in sorted(values))


def outcome_param_named(value: str) -> str:
    """A parameter that may hold an outcome's value (OUTCOME_PARAMS): named as outcome_named does when it
    is one, as it is otherwise (a stage's end event id)."""
    return outcome_named(value) if value in _OUTCOME_VALUES else value


_OUTCOME_VALUES = frozenset(outcome.value for outcome in Outcome)
