/* The timer of an event in the Portal group: its kind (a duration, a date, a repeating cycle: the three
   SpiffWorkflow 3.2 runs) and its ISO-8601 value, written as the engine reads it:
     <bpmn:timeDuration>"P14D"</bpmn:timeDuration>       quoted: the engine evaluates a Python expression
     <bpmn:timeDate>"2027-01-31T09:00:00+01:00"</bpmn:timeDate>   or a read of the request's data, unquoted:
     <bpmn:timeDate>complaint_clock["reply_by_at"]</bpmn:timeDate>
     <bpmn:timeCycle>"R3/P7D"</bpmn:timeCycle>
   Each value is checked at the field as workflows/engine/conventions.py checks it at deploy, a reminder's
   cycle as workflows/deploy_rules_timers.py does. A timer the request type's terms fix (the 30-day cancel's
   length, the complaint's reply-by read) is shown read only, with why. */
import { SelectEntry, TextFieldEntry } from "@bpmn-io/properties-panel";
import { h } from "@bpmn-io/properties-panel/preact";
import { useService } from "bpmn-js-properties-panel";
import { getBusinessObject, is } from "bpmn-js/lib/util/ModelUtil";

import { contractOf, format, text, update } from "./panel_config.js";
import { nameAfterChange, nameFollows, nameMismatch } from "./timer_names.js";

// PnYnMnWnDTnHnMnS with at least one part.
const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
// A date and time with its zone: without one the server's own zone would decide when it fires.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
// A read of the request's data (engine conventions.is_data_reference): name, then ["key"] or [0] parts.
const DATA_REFERENCE = /^[a-z][a-z0-9_]*(\[("[^"\\]*"|'[^'\\]*'|\d+)\])*$/;
export const KINDS = ["timeDuration", "timeDate", "timeCycle"];

export function isDuration(value) {
  return DURATION.test(value || "");
}

export function isDateTime(value) {
  return DATE_TIME.test(value || "") && !Number.isNaN(Date.parse(value));
}

export function isDataReference(value) {
  return DATA_REFERENCE.test(value || "");
}

// R3/P7D, R/P7D (until the task ends), R3/2027-01-31T09:00:00+01:00/P7D (from that moment).
export function isCycle(value) {
  const parts = (value || "").split("/");
  if (!/^R\d*$/.test(parts[0])) return false;
  if (parts.length === 2) return isDuration(parts[1]);
  return parts.length === 3 && isDateTime(parts[1]) && isDuration(parts[2]);
}

// A duration's length in seconds, months counted short (28 days): only to compare with a bound of days.
const SECONDS = { Y: 365 * 86400, M: 28 * 86400, W: 7 * 86400, D: 86400 };
const TIME_SECONDS = { H: 3600, M: 60, S: 1 };
export function durationSeconds(duration) {
  const [date, time = ""] = duration.slice(1).split("T");
  let seconds = 0;
  for (const [, n, unit] of date.matchAll(/(\d+)([YMWD])/g)) seconds += Number(n) * SECONDS[unit];
  for (const [, n, unit] of time.matchAll(/(\d+(?:\.\d+)?)([HMS])/g)) seconds += Number(n) * TIME_SECONDS[unit];
  return seconds;
}

// A reminder to the client (the contract's "reminders", editor_panel.py) repeats a bounded number of times,
// not too often: each repetition mails the client. Deploy refuses the rest (workflows/deploy_rules_timers.py).
function reminderCycleProblem(injector, element, value) {
  const bounds = (contractOf(injector).reminders || {})[getBusinessObject(element).id];
  if (!bounds) return null;
  const parts = value.split("/");
  const repeats = parts[0].slice(1);
  const endless = repeats === "";
  if (endless || Number(repeats) > bounds.maxRepeats || durationSeconds(parts[parts.length - 1]) < bounds.minSeconds) {
    return bounds.rule;
  }
  return null;
}

const VALID = { timeDuration: isDuration, timeDate: (v) => isDateTime(v) || isDataReference(v), timeCycle: isCycle };

// "timeDate" → "TimeDate": the page's texts are data attributes, read as camelCase keys.
function cap(word) {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export function timerDefinition(element) {
  const definitions = getBusinessObject(element).get("eventDefinitions") || [];
  return definitions.find((definition) => is(definition, "bpmn:TimerEventDefinition")) || null;
}

export function isTimerEvent(element) {
  return is(element, "bpmn:Event") && timerDefinition(element) !== null;
}

export function getTimerKind(element) {
  const definition = timerDefinition(element);
  return (definition && KINDS.find((kind) => definition.get(kind))) || "timeDuration";
}

export function getTimerValue(element) {
  const definition = timerDefinition(element);
  const expression = definition && definition.get(getTimerKind(element));
  const body = ((expression && expression.get("body")) || "").trim();
  return body.replace(/^["']|["']$/g, "");
}

// A literal is quoted for the engine; a read of the data is an expression of its own.
function bodyOf(value) {
  if (!value) return "";
  return isDataReference(value) ? value : JSON.stringify(value);
}

// The commands that give the timer this kind and value, and its name the words of the new value when it
// said the old one (timer_names.js): one step of the undo history.
function setTimer(injector, element, kind, value) {
  const definition = timerDefinition(element);
  if (!definition) return;
  const body = bodyOf(value);
  const expression = definition.get(kind);
  const commands = [];
  if (expression) {
    commands.push(update(element, expression, { body }));
  } else {
    // Another kind: the definition gets this one alone (the engine reads the first it finds).
    const created = injector.get("bpmnFactory").create("bpmn:FormalExpression", { body });
    created.$parent = definition;
    const properties = { timeDuration: undefined, timeDate: undefined, timeCycle: undefined };
    properties[kind] = created;
    commands.push(update(element, definition, properties));
  }
  const name = getBusinessObject(element).get("name");
  const renamed = nameAfterChange(injector, name, { kind: getTimerKind(element), value: getTimerValue(element) }, { kind, value });
  if (renamed !== name) commands.push({ cmd: "element.updateProperties", context: { element, properties: { name: renamed } } });
  injector.get("commandStack").execute("properties-panel.multi-command-executor", commands);
}

// What the contract fixes of this timer: its length ({duration: "P30D", days: 30}) or the read of the
// request's data its date comes from ({reads: 'complaint_clock["reply_by_at"]', text: why}), or null.
function fixedTimer(injector, element) {
  return contractOf(injector).timers[getBusinessObject(element).id] || null;
}

// A read with its keys in double quotes, as deploy compares them (quotes aside).
function canonicalRead(value) {
  return (value || "").replace(/'([^'\\]*)'/g, '"$1"');
}

// Whether a kind and value are the ones the terms fix.
function isFixedValue(fixed, kind, value) {
  if (fixed.reads) return kind === "timeDate" && isDataReference(value) && canonicalRead(value) === canonicalRead(fixed.reads);
  return kind === "timeDuration" && value === fixed.duration;
}

// Locked while it has what the terms fix; a diagram that differs (a file opened) can be corrected.
function isLocked(injector, element) {
  const fixed = fixedTimer(injector, element);
  return Boolean(fixed) && isFixedValue(fixed, getTimerKind(element), getTimerValue(element));
}

// A cycle repeats while the task waits: on a non-interrupting timer on a task (an interrupting one ends
// the task at its first firing, an intermediate one would pass on more than once).
function cycleAllowed(element) {
  return is(element, "bpmn:BoundaryEvent") && getBusinessObject(element).get("cancelActivity") === false;
}

function fixedText(injector, fixed) {
  if (fixed.reads) return fixed.text;
  return format(
    text(injector, "timerFixed", "Fixed by the terms of this request type: exactly %(days)s days (%(duration)s). Deploy refuses another length or kind, so it cannot be changed here."),
    fixed
  );
}

function TimerKindEntry({ element, id }) {
  const injector = useService("injector");
  const kind = getTimerKind(element);
  const kinds = KINDS.filter((k) => k !== "timeCycle" || cycleAllowed(element) || kind === "timeCycle");
  return h(SelectEntry, {
    element,
    id,
    label: text(injector, "timerKind", "Timer type"),
    disabled: isLocked(injector, element),
    description: cycleAllowed(element) || isLocked(injector, element) ? undefined : text(injector, "timerCycleWhere", "A repeating cycle only on a non-interrupting timer on a task."),
    getValue: () => getTimerKind(element),
    // The value moves to the new kind when it fits it; otherwise the field asks for one.
    setValue: (value) => {
      const current = getTimerValue(element);
      setTimer(injector, element, value, VALID[value](current) ? current : "");
    },
    getOptions: () => kinds.map((k) => ({ value: k, label: text(injector, "timerKind" + cap(k), k) })),
  });
}

function TimerValueEntry({ element, id }) {
  const injector = useService("injector");
  const debounce = useService("debounceInput");
  const kind = getTimerKind(element);
  const fixed = fixedTimer(injector, element);
  const locked = isLocked(injector, element);
  return h(TextFieldEntry, {
    element,
    id,
    label: text(injector, "timer" + cap(kind), "Value (ISO-8601)"),
    // Hidden while an error says it again (modeler.css: the entry's has-error).
    description: fixed ? fixedText(injector, fixed) : text(injector, "timerHelp" + cap(kind), ""),
    disabled: locked,
    debounce,
    getValue: () => getTimerValue(element),
    setValue: (value, error) => {
      if (!error) setTimer(injector, element, getTimerKind(element), value || "");
    },
    validate: (value) => {
      if (locked) return null;
      const now = getTimerKind(element);
      // A timer the terms fix is told what they fix (its read, its length), whatever else was typed.
      if (fixed && !isFixedValue(fixed, now, value)) return fixedText(injector, fixed);
      if (!VALID[now](value || "")) return text(injector, "timerInvalid" + cap(now), "Enter a valid ISO-8601 value.");
      return now === "timeCycle" ? reminderCycleProblem(injector, element, value) : null;
    },
  });
}

// Under the value: whether the name on the diagram follows it, or says another value, with its new name
// one click away (a name typed by hand changes only then).
export function TimerNameEntry({ element, id }) {
  const injector = useService("injector");
  const name = getBusinessObject(element).get("name") || "";
  const current = { kind: getTimerKind(element), value: getTimerValue(element) };
  if (nameFollows(injector, name, current)) {
    return h("div", { class: "bio-properties-panel-entry portal-timer-name", "data-entry-id": id },
      h("p", { class: "portal-timer-name-note" }, format(text(injector, "timerNameFollows", "The name on the diagram, “%(name)s”, changes with the value."), { name })));
  }
  const mismatch = nameMismatch(injector, name, current);
  if (!mismatch) return null;
  const rename = () => injector.get("modeling").updateProperties(element, { name: mismatch.suggestion });
  return h("div", { class: "bio-properties-panel-entry portal-timer-name", "data-entry-id": id, role: "status" },
    h("p", { class: "portal-timer-name-warning" }, format(text(injector, "timerNameStale", "The name on the diagram, “%(name)s”, does not say this value."), { name })),
    mismatch.suggestion
      ? h("button", { type: "button", class: "button small portal-timer-rename", onClick: rename },
          format(text(injector, "timerNameRename", "Rename to “%(name)s”"), { name: mismatch.suggestion }))
      : null);
}

export function timerEntries(element, add, isSelectEntryEdited, isTextFieldEntryEdited) {
  if (!isTimerEvent(element)) return;
  add("portal-timerKind", TimerKindEntry, isSelectEntryEdited);
  add("portal-timer", TimerValueEntry, isTextFieldEntryEdited);
  add("portal-timerName", TimerNameEntry, () => false);
}
