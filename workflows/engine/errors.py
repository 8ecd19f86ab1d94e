"""What the engine raises: a BPMN file's problems, and the failures of a step."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class BpmnProblem:
    element_id: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"[{self.element_id}] " if self.element_id else ""
        if self.line:
            return _("%(problem)s (line %(line)d)") % {"problem": f"{where}{self.message}", "line": self.line}
        return f"{where}{self.message}"


class BpmnValidationError(Exception):
    """The BPMN cannot be deployed; each problem names the element."""

    def __init__(self, problems: list[BpmnProblem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class WorkflowError(Exception):
    """An engine step failed; `element_id` names the BPMN element that failed. `message` is the text
    for a reader (elements named as on the canvas); str() prefixes the id for logs and incidents."""

    def __init__(self, message: str, *, element_id: str = ""):
        self.element_id = element_id
        self.message = message
        super().__init__(f"[{element_id}] {message}" if element_id else message)


class TaskNotReadyError(WorkflowError):
    """The task does not exist or is not ready (already completed by someone else)."""


class UnsafeScriptError(WorkflowError):
    """A BPMN script or expression uses something the restricted environment forbids."""


class StepBudgetExceeded(WorkflowError):
    """The engine ran more automatic steps in one call than any sane flow needs (an endless loop)."""


# Incidents store the failed step's error class by name (workflows/incidents.py): keep the facade's path,
# "workflows.engine.WorkflowError", which the stored incidents and their admin filters use.
for _error in (BpmnValidationError, WorkflowError, TaskNotReadyError, UnsafeScriptError, StepBudgetExceeded):
    _error.__module__ = "workflows.engine"
