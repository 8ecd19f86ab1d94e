"""Plain data returned by the facade: a parsed process, its user tasks, the result of a step."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID


@dataclass(frozen=True)
class UserTask:
    id: UUID
    name: str  # BPMN element id, e.g. "staff_review"
    lane: str  # "Client" | "Staff" | "System"
    form_key: str  # "payment_date_change/staff_review" → bpmn/forms/<form_key>.json
    title_pl: str
    title_en: str


@dataclass(frozen=True)
class ParsedProcess:
    """A parsed, validated process: the spec plus what the portal needs to know about its tasks."""

    process_key: str
    spec: Any = field(repr=False)
    subprocess_specs: dict = field(repr=False)
    user_tasks: dict[str, UserTask]  # element id → task template (id is a zero UUID)
    service_operations: dict[str, str]  # element id → registered function name
    form_keys: tuple[str, ...]
    # user task and end event id → (Polish `name`, English property `titleEn`): the stage labels
    stage_titles: dict[str, tuple[str, str]] = field(default_factory=dict)
    end_outcomes: dict[str, str] = field(default_factory=dict)  # end event id → outcome property


@dataclass(frozen=True)
class StepResult:
    state: dict
    stage: str  # id of the ready user task, or of the end event reached, or "cancelled"
    waiting_for: str  # client | staff | nobody
    ready_tasks: list[UserTask]
    next_timer_due: datetime | None
    completed: bool
    cancelled: bool
    ran: list[str]  # element ids run during this step, in order
    data: dict  # the data of the last task run (what the process knows now)
    outcome: str = ""  # the outcome property of the deciding end event, once completed
    decided_by: str = ""  # the timer or user task whose path reached that end event
    timer_dues: dict[str, datetime] = field(default_factory=dict)  # waiting timer's element id → due time
