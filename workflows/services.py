"""Process versions and instances in the database: deploy, start, complete, fire timers, cancel.

Every path that changes an instance goes through `_step`: one transaction that locks the row
(SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions already serialize writers),
runs the engine on the stored state, saves it with `UPDATE ... WHERE version = <read version>` and
calls the step listeners (the domain's one mapping to its own state) before commit. A crash anywhere
in the step leaves the last committed state.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.core.exceptions import Conflict, PortalError, PortalValidationError, TaskNotReady
from workflows import engine
from workflows.contract import CONTRACTS
from workflows.forms import form_exists, load_form, validate_form_data
from workflows.incidents import WorkflowIncident, record_incident, records_incidents, resolve_incidents
from workflows.models import IncidentState, ProcessInstance, ProcessVersion
from workflows.service_tasks import call_service, domain_errors, registered_names

logger = logging.getLogger(__name__)

StepListener = Callable[..., None]
_step_listeners: list[StepListener] = []


class InstanceSuspended(PortalError):
    """An administrator suspended the instance (workflows/repair.py): no step runs until it is resumed."""

    code, status = "instance_suspended", 409

    def default_message(self) -> str:
        return _(
            "This request's process is suspended by an administrator; no step can run until it is resumed."
        )


def refuse_if_suspended(instance: ProcessInstance) -> None:
    if instance.suspended:
        raise InstanceSuspended()


def on_instance_step(listener: StepListener) -> None:
    """Register `listener(instance, result, actor=..., action=...)`, called inside each step's transaction."""
    if listener not in _step_listeners:
        _step_listeners.append(listener)


def bpmn_dir() -> Path:
    return Path(settings.BASE_DIR) / "bpmn"


# --------------------------------------------------------------------------------------------------
# Versions


def bpmn_problems_error(problems: list[engine.BpmnProblem]) -> PortalValidationError:
    fields: dict[str, list[str]] = {}
    for problem in problems:
        fields.setdefault(problem.element_id or "bpmn", []).append(problem.message)
    return PortalValidationError(_("The BPMN file has errors."), fields=fields)


def _form_schema(form_key: str) -> dict | None:
    return load_form(form_key) if form_exists(form_key) else None


def parse_for_deploy(xml: str) -> engine.ParsedProcess:
    """Parse with every check a deploy needs; raise PortalValidationError keyed by element id.

    Besides the engine's checks, the file must keep its request type's lifecycle contract
    (workflows/contract.py) and pass the deploy rules (workflows/deploy_rules.py).
    """
    try:
        return engine.parse_bpmn(
            xml,
            form_exists=form_exists,
            known_services=registered_names(),
            contracts=CONTRACTS,
            form_schema=_form_schema,
        )
    except engine.BpmnValidationError as exc:
        raise bpmn_problems_error(exc.problems) from exc


def deploy_bpmn_version(*, xml: str, by=None, request=None) -> ProcessVersion:
    """Validate, test-run and store the BPMN as the next version of its process, and make it current.

    The same content gives the same version (made current again). A failed test run refuses the deploy
    (PortalValidationError keyed by the element each failing path stopped at); the version's test run
    result is kept on it (`test_run`).
    """
    from workflows import versioning

    process = parse_for_deploy(xml)
    forms = {key: load_form(key) for key in process.form_keys}
    run = versioning.run_test(process, forms)
    if not run.passed:
        raise versioning.test_run_error(run)
    checksum = hashlib.sha256(
        (xml + json.dumps(forms, sort_keys=True, ensure_ascii=False)).encode("utf-8")
    ).hexdigest()
    existing = ProcessVersion.objects.filter(process_key=process.process_key, checksum=checksum).first()
    if existing is not None:
        return _reactivate(existing, run=run, by=by, request=request)
    try:
        with transaction.atomic():
            last = ProcessVersion.objects.filter(process_key=process.process_key).aggregate(n=Max("number"))[
                "n"
            ]
            version = ProcessVersion.objects.create(
                process_key=process.process_key,
                number=(last or 0) + 1,
                bpmn_xml=xml,
                forms=forms,
                checksum=checksum,
                deployed_by=by if getattr(by, "pk", None) else None,
                test_run=run.to_dict(),
            )
            versioning.make_current(
                version=version, by=by, action=versioning.Activation.DEPLOY, request=request
            )
            return version
    except IntegrityError:
        # A concurrent deploy of the same file won the race.
        existing = ProcessVersion.objects.filter(process_key=process.process_key, checksum=checksum).first()
        if existing is None:
            raise Conflict() from None
        return _reactivate(existing, run=run, by=by, request=request)


def _reactivate(version: ProcessVersion, *, run, by, request) -> ProcessVersion:
    """Deploying existing content makes that version current again (audited when it changes anything)."""
    from workflows import versioning

    ProcessVersion.objects.filter(pk=version.pk).update(test_run=run.to_dict())
    version.test_run = run.to_dict()
    versioning.make_current(version=version, by=by, action=versioning.Activation.REACTIVATE, request=request)
    return version


def builtin_process_files() -> dict[str, Path]:
    return {path.stem: path for path in sorted(bpmn_dir().glob("*.bpmn"))}


def deploy_builtin_processes(**kwargs) -> list[ProcessVersion]:
    """Deploy each bpmn/*.bpmn as version 1 of its process when that process has no version yet.

    Idempotent; called after migrate (post_migrate) and lazily by `get_current_version`. A process
    that already has versions is left alone: new versions come from analysts, not from start-up.
    """
    deployed = []
    for key, path in builtin_process_files().items():
        if not ProcessVersion.objects.filter(process_key=key).exists():
            deployed.append(deploy_bpmn_version(xml=path.read_text(encoding="utf-8")))
    return deployed


# Deployed versions never change, so each process keeps the rows it has read: a step then reads only
# its instance row and the version's checksum, not the BPMN text and forms. The checksum is part of the
# key because an id can come back after a rolled-back deploy (SQLite reuses the highest rowid).
_versions: dict[tuple[int, str], ProcessVersion] = {}


def get_version(version_id: int, checksum: str) -> ProcessVersion:
    """Return the deployed version (id, checksum), from this process's cache after the first read."""
    version = _versions.get((version_id, checksum))
    if version is None:
        version = ProcessVersion.objects.filter(pk=version_id, checksum=checksum).first()
        if version is None:
            raise ProcessVersion.DoesNotExist(version_id)
        _versions[(version_id, checksum)] = version
    return version


def get_current_version(process_key: str) -> ProcessVersion:
    """Return the version new instances start on (deploying the built-in file if none exists yet).

    That is the current version (workflows/versioning.py), not necessarily the newest one.
    """
    from workflows import versioning

    current = versioning.current_version_id(process_key)
    if current is None:
        path = builtin_process_files().get(process_key)
        if path is None:
            raise LookupError(process_key)
        return deploy_bpmn_version(xml=path.read_text(encoding="utf-8"))
    return get_version(*current)


def parsed(version: ProcessVersion) -> engine.ParsedProcess:
    # The checksum is part of the key: an id reused after a rolled-back deploy never hits a stale spec.
    return engine.get_cached_process(("process_version", version.pk, version.checksum), version.bpmn_xml)


def stage_title(stage_id: str, *, language: str = "pl") -> str | None:
    """The BPMN's own label of a stage (user task or end event): `name` in Polish, `titleEn` in English.

    Looks through the deployed versions, newest first (parsed specs are cached per version); None when
    no version has such an element.
    """
    if not stage_id:
        return None
    for pk, checksum in ProcessVersion.objects.order_by("-pk").values_list("pk", "checksum"):
        titles = parsed(get_version(pk, checksum)).stage_titles
        if stage_id in titles:
            polish, english = titles[stage_id]
            return english if language == "en" else polish
    return None


# --------------------------------------------------------------------------------------------------
# Instances


def _upgrade_state(instance: ProcessInstance) -> dict:
    """Return the stored state in the current format (SpiffWorkflow migrates its own part on load)."""
    if instance.serializer_version != engine.SERIALIZER_VERSION:
        logger.info("Upgrading instance %s state from %s", instance.pk, instance.serializer_version)
    return instance.state


def _apply_result(instance: ProcessInstance, result: engine.StepResult) -> None:
    instance.state = result.state
    instance.serializer_version = engine.SERIALIZER_VERSION
    instance.stage = result.stage
    instance.waiting_for = result.waiting_for
    instance.current_task_id = result.ready_tasks[0].id if result.ready_tasks else None
    instance.current_task_name = result.ready_tasks[0].name if result.ready_tasks else ""
    instance.next_timer_due = result.next_timer_due
    if result.cancelled:
        instance.status = ProcessInstance.Status.CANCELLED
    elif result.completed:
        instance.status = ProcessInstance.Status.COMPLETED
    else:
        instance.status = ProcessInstance.Status.RUNNING


def _is_incident(exc: BaseException) -> bool:
    """Is this failure of an engine step the process's fault (an incident), not the caller's?"""
    if isinstance(exc, engine.TaskNotReadyError | PortalError):
        return False
    if isinstance(exc, engine.WorkflowError):
        return True
    # A service task raised: a declared domain error is a refusal the caller shows; anything else fails.
    return getattr(exc, "bpmn_element_id", None) is not None and not isinstance(exc, domain_errors())


def _incident(
    exc: BaseException, *, instance: ProcessInstance | None, version: ProcessVersion, action: str
) -> WorkflowIncident:
    element_id = getattr(exc, "element_id", "") or getattr(exc, "bpmn_element_id", "") or ""
    logger.warning(
        "Workflow step %s of instance %s failed at %s",
        action,
        getattr(instance, "pk", None),
        element_id,
        exc_info=exc,
    )
    return WorkflowIncident(
        instance_id=getattr(instance, "pk", None),
        process_version_id=version.pk,
        action=action,
        element_id=element_id,
        error=exc,
        retry=action == "timer",
    )


def _save(instance: ProcessInstance, result: engine.StepResult) -> None:
    read_version = instance.version
    had_incident = bool(instance.incident_state)
    _apply_result(instance, result)
    updated = ProcessInstance.objects.filter(pk=instance.pk, version=read_version).update(
        process_version=instance.process_version,
        state=instance.state,
        serializer_version=instance.serializer_version,
        stage=instance.stage,
        waiting_for=instance.waiting_for,
        current_task_id=instance.current_task_id,
        current_task_name=instance.current_task_name,
        next_timer_due=instance.next_timer_due,
        status=instance.status,
        incident_state=IncidentState.NONE,
        next_retry_at=None,
        version=read_version + 1,
        updated_at=timezone.now(),
    )
    if updated != 1:
        raise Conflict()
    instance.version = read_version + 1
    if had_incident:
        resolve_incidents(instance.pk)
    instance.incident_state, instance.next_retry_at = IncidentState.NONE, None


def _notify(instance: ProcessInstance, result: engine.StepResult, *, actor, action: str, **extra) -> None:
    for listener in list(_step_listeners):
        listener(instance, result, actor=actor, action=action, **extra)


@records_incidents
@transaction.atomic
def start_process(*, process_key: str, data: dict, actor=None) -> tuple[ProcessInstance, engine.StepResult]:
    """Start an instance of the current version of a process and run it to its first wait."""
    version = get_current_version(process_key)
    try:
        result = engine.start_instance(parsed(version), data=data, services=call_service)
    except Exception as exc:
        if _is_incident(exc):
            raise _incident(exc, instance=None, version=version, action="start") from exc
        raise
    instance = ProcessInstance(process_version=version, serializer_version=engine.SERIALIZER_VERSION)
    _apply_result(instance, result)
    instance.save()
    return instance, result


def notify_started(instance: ProcessInstance, result: engine.StepResult, *, actor=None) -> None:
    """Tell the step listeners about the first step (after the domain object points at the instance)."""
    _notify(instance, result, actor=actor, action="start")


def _lock(instance_id: int) -> ProcessInstance:
    # Lock only the instance row: versions are immutable and shared by every instance of a process.
    instance = (
        ProcessInstance.objects.select_for_update(of=("self",))
        .annotate(version_checksum=F("process_version__checksum"))
        .get(pk=instance_id)
    )
    instance.process_version = get_version(instance.process_version_id, instance.version_checksum)
    return instance


def ready_tasks(instance: ProcessInstance, *, lane: str | None = None) -> list[engine.UserTask]:
    """Return the user tasks of the instance waiting for a person (optionally one lane's)."""
    return engine.ready_user_tasks(parsed(instance.process_version), instance.state, lane=lane)


def get_task_form(instance: ProcessInstance, task_name: str) -> dict:
    process = parsed(instance.process_version)
    template = process.user_tasks.get(task_name)
    if template is None:
        return {}
    return instance.process_version.forms.get(template.form_key, {})


@records_incidents
@transaction.atomic
def complete_task(
    *,
    instance_id: int,
    task_id: UUID | str | None,
    data: dict,
    lane: str,
    actor=None,
    action: str = "complete",
) -> tuple[ProcessInstance, engine.StepResult]:
    """Complete the instance's ready task in `lane` with data validated against the task's form."""
    instance = _lock(instance_id)
    refuse_if_suspended(instance)
    process = parsed(instance.process_version)
    state = _upgrade_state(instance)
    # The row names the ready task, so no extra deserialization is needed to find it.
    template = process.user_tasks.get(instance.current_task_name)
    if (
        instance.current_task_id is None
        or template is None
        or template.lane != lane
        or (task_id is not None and str(task_id) != str(instance.current_task_id))
    ):
        raise TaskNotReady()
    task = engine.UserTask(
        instance.current_task_id,
        template.name,
        template.lane,
        template.form_key,
        template.title_pl,
        template.title_en,
    )
    validate_form_data(instance.process_version.forms.get(task.form_key, {}), data)
    try:
        result = engine.complete_user_task(process, state, task.id, data, services=call_service)
    except engine.TaskNotReadyError as exc:
        raise TaskNotReady() from exc
    except Exception as exc:
        if _is_incident(exc):
            raise _incident(exc, instance=instance, version=instance.process_version, action=action) from exc
        raise
    _save(instance, result)
    _notify(instance, result, actor=actor, action=action)
    return instance, result


@records_incidents
@transaction.atomic
def fire_timers(*, instance_id: int) -> tuple[ProcessInstance, engine.StepResult] | None:
    """Fire the due timers of one instance (no-op when nothing is due any more)."""
    instance = _lock(instance_id)
    if instance.suspended or instance.next_timer_due is None or instance.next_timer_due > timezone.now():
        return None
    process = parsed(instance.process_version)
    try:
        result = engine.fire_due_timers(process, _upgrade_state(instance), services=call_service)
    except Exception as exc:
        # Whatever fails in a timer step is retried with back-off by the sweep, then becomes an incident.
        raise _incident(exc, instance=instance, version=instance.process_version, action="timer") from exc
    _save(instance, result)
    _notify(instance, result, actor=None, action="timer")
    return instance, result


@transaction.atomic
def cancel_process(*, instance_id: int, actor=None) -> tuple[ProcessInstance, engine.StepResult]:
    instance = _lock(instance_id)
    if instance.status != ProcessInstance.Status.RUNNING:
        raise TaskNotReady()
    result = engine.cancel_instance(parsed(instance.process_version), _upgrade_state(instance))
    _save(instance, result)
    _notify(instance, result, actor=actor, action="cancel")
    return instance, result


def _due_times(process: engine.ParsedProcess, state: dict) -> dict[str, str]:
    return {t.element_id: t.due.isoformat() for t in engine.timer_due_times(process, state) if t.due}


@transaction.atomic
def migrate_instance(
    *, instance_id: int, to_version: ProcessVersion, by=None, request=None
) -> ProcessInstance:
    """Move a running instance to another version of its process (explicit and audited).

    The clocks are kept: a timer due on day 14 of waiting stays due then (engine.migrate_state re-anchors
    it). The step listeners write the request's history row (action "migrate", with `migration`).
    """
    from backend.core.services import record_audit

    instance = _lock(instance_id)
    if instance.status != ProcessInstance.Status.RUNNING:
        raise TaskNotReady()
    from_version = instance.process_version
    if to_version.pk == from_version.pk:
        return instance
    state = _upgrade_state(instance)
    old, new = parsed(from_version), parsed(to_version)
    timers_before = _due_times(old, state)
    try:
        result = engine.migrate_state(old, new, state, services=call_service)
    except engine.WorkflowError as exc:
        message = _("The instance cannot move to this version: %(reason)s") % {"reason": exc}
        raise PortalValidationError(message, fields={exc.element_id or "version_id": [message]}) from exc
    migration = {
        "process_key": to_version.process_key,
        "from_version": from_version.number,
        "to_version": to_version.number,
        "timers_before": timers_before,
        "timers_after": _due_times(new, result.state),
    }
    instance.process_version = to_version
    _save(instance, result)
    _notify(instance, result, actor=by, action="migrate", migration=migration)
    record_audit(
        action="workflow.migrate_instance", request=request, user=by, instance_id=instance.pk, **migration
    )
    return instance


def sweep_due_timers(*, now=None, limit: int = 500) -> int:
    """Fire timers of instances whose next timer is due; each instance in its own transaction.

    Healthy due instances go first; instances whose timer step failed come after, once their back-off
    (workflows/incidents.py) has passed, and stop being retried when their incident opens. A failure
    never stops the sweep.
    """
    now = now or timezone.now()
    # One query: healthy instances ("" sorts first), then failing ones whose back-off has passed.
    due_ids = list(
        ProcessInstance.objects.filter(status=ProcessInstance.Status.RUNNING, next_timer_due__lte=now)
        .filter(suspended=False)  # suspended by an administrator (workflows/repair.py)
        .filter(
            Q(incident_state=IncidentState.NONE)
            | Q(incident_state=IncidentState.RETRYING, next_retry_at__lte=now)
        )
        .order_by("incident_state", "next_timer_due", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    fired = 0
    for instance_id in due_ids:
        try:
            if fire_timers(instance_id=instance_id) is not None:
                fired += 1
        except WorkflowIncident as exc:
            if not exc.recorded:
                _record_quietly(exc)
        except Exception as exc:
            # Not a step failure (e.g. a lost lock race): count it like one, so it backs off too.
            logger.exception("Timer sweep failed for process instance %s", instance_id)
            version_id = (
                ProcessInstance.objects.filter(pk=instance_id)
                .values_list("process_version_id", flat=True)
                .first()
            )
            _record_quietly(
                WorkflowIncident(
                    instance_id=instance_id,
                    process_version_id=version_id,
                    action="timer",
                    element_id="",
                    error=exc,
                    retry=True,
                )
            )
    return fired


def _record_quietly(incident: WorkflowIncident) -> None:
    try:
        record_incident(incident)
    except Exception:
        logger.exception("Could not record the incident of process instance %s", incident.instance_id)
