"""The engine facade: the only package that touches SpiffWorkflow.

Plain data in and out. Nothing here uses Django but gettext for the messages analysts read (translated
when the problem is raised, in the request's language), so the functions can be benchmarked bare:

    process = parse_bpmn(xml)                      # validated, parsed once per process version
    result = start_instance(process, data={...}, services=call)
    result = complete_user_task(process, result.state, task_id, {...}, services=call)
    result = fire_due_timers(process, result.state, services=call)   # due by now (or by `now=`)
    timer_due_times(process, result.state)        # the waiting timers and when each falls due
    fire_timers_due_by(process, state, at, ...)    # a simulated clock (the test run of workflows/simulation.py)

`state` is the JSON-ready serialized instance WITHOUT the spec (the spec lives once per process
version, cached by `get_cached_process`). `services(name, params, data) -> dict` runs the Python
function registered for a BPMN service task (see workflows/service_tasks.py).

Conventions the BPMN files follow (checked by `validate_bpmn`):
- every user task lies in a lane named Client, Staff or System and names its form with
  `<spiffworkflow:property name="formKey" value="<process>/<task>"/>`; the JSON Schema is
  bpmn/forms/<formKey>.json. `name` is the Polish title, property `titleEn` the English one;
- every exclusive gateway has a default flow or a condition on each outgoing flow;
- timer expressions are quoted ISO-8601 durations or dates ("P14D"): SpiffWorkflow evaluates them
  as Python expressions, so an unquoted P14D would only fail when the timer starts; a date timer may
  instead read a variable of the data (`complaint_clock["escalate_at"]`, see `is_data_reference`);
- service tasks use `<spiffworkflow:serviceTaskOperator id="<registered function>">`.
`migrate_state` keeps the clocks: a timer keeps its due time across a move to another version.
At deploy, `parse_bpmn(..., deploy_checks=...)` adds the request types' lifecycle contract and the rules
of workflows/deploy_rules.py (passed in: the engine imports no rule module). One engine call runs at
most STEP_BUDGET automatic steps.

Callers use this package (`from workflows import engine`; `engine.X`); its modules, by operation:
errors.py (what it raises), results.py (the plain data it returns), bpmn_xml.py (namespaces, lines,
properties), scripts.py (the restricted script environment), conventions.py (the portal's BPMN rules),
parsing.py (parse, validate, the per-version cache), serialization.py (the spec-less state),
running.py (start, complete, cancel, describe), repairs.py (an administrator's repairs),
timers.py (due times, firing them on the real or a given clock), migration.py (moving an instance to another version).
"""

from workflows.engine.bpmn_xml import BPMN_NS, NSMAP, SPIFF_NS, xml_syntax_message
from workflows.engine.conventions import (
    DATA_NAME,
    LANES,
    data_reference,
    is_data_reference,
    parse_timer_expression,
    timer_cycle,
    timer_duration,
)
from workflows.engine.errors import (
    BpmnProblem,
    BpmnValidationError,
    StepBudgetExceeded,
    TaskNotReadyError,
    UnsafeScriptError,
    WorkflowError,
)
from workflows.engine.migration import migrate_state
from workflows.engine.parsing import (
    DMN_NAMESPACES,
    clear_process_cache,
    dmn_schema_problems,
    executable_process_id,
    get_cached_process,
    parse_bpmn,
    validate_bpmn,
)
from workflows.engine.repairs import reset_to_task, run_pending_steps, update_ready_task_data
from workflows.engine.results import ParsedProcess, StepResult, UserTask
from workflows.engine.running import (
    STEP_BUDGET,
    WAITING_FOR_BY_LANE,
    cancel_instance,
    complete_user_task,
    describe,
    ready_task_data,
    ready_user_tasks,
    start_instance,
)
from workflows.engine.scripts import (
    SAFE_BUILTINS,
    SAFE_FUNCTIONS,
    TIMER_DUES_KEY,
    PortalScriptEngine,
    RestrictedEnvironment,
    ServiceCall,
    check_script_safety,
    describe_problem,
    expression_problem,
    no_services,
)
from workflows.engine.serialization import SERIALIZER_VERSION, deserialize, serialize
from workflows.engine.timers import TimerDue, fire_due_timers, fire_timers_due_by, timer_due_times

__all__ = [
    "BPMN_NS",
    "DATA_NAME",
    "DMN_NAMESPACES",
    "LANES",
    "NSMAP",
    "SAFE_BUILTINS",
    "SAFE_FUNCTIONS",
    "SERIALIZER_VERSION",
    "SPIFF_NS",
    "STEP_BUDGET",
    "TIMER_DUES_KEY",
    "WAITING_FOR_BY_LANE",
    "BpmnProblem",
    "BpmnValidationError",
    "ParsedProcess",
    "PortalScriptEngine",
    "RestrictedEnvironment",
    "ServiceCall",
    "StepBudgetExceeded",
    "StepResult",
    "TaskNotReadyError",
    "TimerDue",
    "UnsafeScriptError",
    "UserTask",
    "WorkflowError",
    "cancel_instance",
    "check_script_safety",
    "clear_process_cache",
    "complete_user_task",
    "describe",
    "describe_problem",
    "deserialize",
    "dmn_schema_problems",
    "fire_due_timers",
    "fire_timers_due_by",
    "get_cached_process",
    "data_reference",
    "is_data_reference",
    "migrate_state",
    "no_services",
    "executable_process_id",
    "expression_problem",
    "parse_bpmn",
    "parse_timer_expression",
    "ready_task_data",
    "ready_user_tasks",
    "reset_to_task",
    "run_pending_steps",
    "serialize",
    "start_instance",
    "timer_due_times",
    "timer_cycle",
    "timer_duration",
    "update_ready_task_data",
    "validate_bpmn",
    "xml_syntax_message",
]
