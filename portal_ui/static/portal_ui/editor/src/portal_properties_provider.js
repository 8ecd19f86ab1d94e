/* The "Portal" group of the properties panel: the few properties the portal's engine reads
   (workflows/engine.py), written in the SpiffWorkflow extension format the shipped flows use:
     user task           formKey (the contract's form, its fields listed), titleEn   <spiffworkflow:property>
     business-rule task  decision table    <spiffworkflow:calledDecisionId>   (portal_tasks.js)
     end event           outcome, titleEn
     timer event         a duration, a date or a cycle (ISO-8601)                 (portal_timers.js)
     sequence flow       condition         <bpmn:conditionExpression>
     service task        operation         <spiffworkflow:serviceTaskOperator id=…>
     any flow node       lane (read only)
   Labels come from the page (config.portal.texts, translated there); the lists of form keys, service
   operations and decision tables arrive after start-up (config.portal.options) and re-render the panel;
   the request type's contract comes with the page (config.portal.contract). */
import { SelectEntry, TextFieldEntry, isSelectEntryEdited, isTextFieldEntryEdited } from "@bpmn-io/properties-panel";
import { h } from "@bpmn-io/properties-panel/preact";
import { useService } from "bpmn-js-properties-panel";
import { getBusinessObject, is } from "bpmn-js/lib/util/ModelUtil";

import { laneLabel, options, text, update, withCurrent } from "./panel_config.js";
import { getSpiffProperty, setSpiffProperty } from "./spiff_properties.js";
import { DecisionEntry, FormFieldsEntry, FormKeyEntry } from "./portal_tasks.js";
import { TimerNameEntry, isTimerEvent, timerEntries } from "./portal_timers.js";

export { getSpiffProperty, setSpiffProperty };
export { getTimerValue as getTimerDuration, isDuration } from "./portal_timers.js";

export const OUTCOMES = ["approved", "rejected", "cancelled"];

// --- the other places the engine reads ------------------------------------------------------------

function getCondition(element) {
  const expression = getBusinessObject(element).get("conditionExpression");
  return (expression && expression.get("body")) || "";
}

function setCondition(injector, element, value) {
  const bo = getBusinessObject(element);
  const modeling = injector.get("modeling");
  const expression = bo.get("conditionExpression");
  if (!value) {
    modeling.updateModdleProperties(element, bo, { conditionExpression: undefined });
  } else if (expression) {
    modeling.updateModdleProperties(element, expression, { body: value });
  } else {
    const created = injector.get("bpmnFactory").create("bpmn:FormalExpression", { body: value });
    created.$parent = bo;
    modeling.updateModdleProperties(element, bo, { conditionExpression: created });
  }
}

function operatorOf(bo) {
  const extension = bo.get("extensionElements");
  if (!extension) return null;
  return extension.get("values").find((value) => is(value, "spiffworkflow:ServiceTaskOperator")) || null;
}

export function getOperation(element) {
  const operator = operatorOf(getBusinessObject(element));
  return (operator && operator.get("id")) || "";
}

function setOperation(injector, element, value) {
  const bo = getBusinessObject(element);
  const bpmnFactory = injector.get("bpmnFactory");
  const operator = operatorOf(bo);
  const commands = [];
  if (operator) {
    commands.push(update(element, operator, { id: value || undefined }));
  } else if (value) {
    let extension = bo.get("extensionElements");
    if (!extension) {
      extension = bpmnFactory.create("bpmn:ExtensionElements", { values: [] });
      extension.$parent = bo;
      commands.push(update(element, bo, { extensionElements: extension }));
    }
    const created = bpmnFactory.create("spiffworkflow:ServiceTaskOperator", {
      id: value,
      resultVariable: value + "_result",
    });
    created.$parent = extension;
    commands.push(update(element, extension, { values: [...extension.get("values"), created] }));
  }
  if (commands.length) injector.get("commandStack").execute("properties-panel.multi-command-executor", commands);
}

export function getLane(injector, element) {
  const lanes = getBusinessObject(element).get("lanes") || [];
  return lanes.map((lane) => (lane.name ? laneLabel(injector, lane.name) : lane.id)).join(", ");
}

// --- the entries ------------------------------------------------------------------------------------

function SpiffSelect(props) {
  const { element, id, name, label, choices } = props;
  const injector = useService("injector");
  return h(SelectEntry, {
    element,
    id,
    label,
    getValue: () => getSpiffProperty(element, name),
    setValue: (value) => setSpiffProperty(injector, element, name, value),
    getOptions: () => [{ value: "", label: "—" }, ...choices(injector, getSpiffProperty(element, name))],
  });
}

function OutcomeEntry({ element, id }) {
  const injector = useService("injector");
  return h(SpiffSelect, {
    element,
    id,
    name: "outcome",
    label: text(injector, "outcome", "Outcome"),
    choices: (inj, current) =>
      withCurrent(OUTCOMES, current).map((value) => ({ value, label: text(inj, "outcome" + value[0].toUpperCase() + value.slice(1), value) })),
  });
}

function TitleEnEntry({ element, id }) {
  const injector = useService("injector");
  const debounce = useService("debounceInput");
  return h(TextFieldEntry, {
    element,
    id,
    label: text(injector, "titleEn", "English title"),
    debounce,
    getValue: () => getSpiffProperty(element, "titleEn"),
    setValue: (value) => setSpiffProperty(injector, element, "titleEn", value || ""),
  });
}

function ConditionEntry({ element, id }) {
  const injector = useService("injector");
  const debounce = useService("debounceInput");
  return h(TextFieldEntry, {
    element,
    id,
    label: text(injector, "condition", "Condition"),
    description: text(injector, "conditionHelp", 'e.g. decision == "approve"'),
    debounce,
    getValue: () => getCondition(element),
    setValue: (value) => setCondition(injector, element, value || ""),
  });
}

function OperationEntry({ element, id }) {
  const injector = useService("injector");
  return h(SelectEntry, {
    element,
    id,
    label: text(injector, "operation", "Operation"),
    getValue: () => getOperation(element),
    setValue: (value) => setOperation(injector, element, value),
    getOptions: () => [
      { value: "", label: "—" },
      ...withCurrent(options(injector, "operations"), getOperation(element)).map((name) => ({
        value: name,
        label: name,
      })),
    ],
  });
}

function LaneEntry({ element, id }) {
  const injector = useService("injector");
  const debounce = useService("debounceInput");
  return h(TextFieldEntry, {
    element,
    id,
    label: text(injector, "lane", "Lane"),
    debounce,
    disabled: true,
    getValue: () => getLane(injector, element) || "—",
    setValue: () => {},
  });
}

export function portalEntries(element) {
  const entries = [];
  const add = (id, component, isEdited) => entries.push({ id, element, component, isEdited });
  if (is(element, "bpmn:UserTask")) {
    add("portal-formKey", FormKeyEntry, isSelectEntryEdited);
    add("portal-formFields", FormFieldsEntry, () => false);
    add("portal-titleEn", TitleEnEntry, isTextFieldEntryEdited);
  }
  if (is(element, "bpmn:BusinessRuleTask")) add("portal-decision", DecisionEntry, isSelectEntryEdited);
  if (is(element, "bpmn:EndEvent")) {
    add("portal-outcome", OutcomeEntry, isSelectEntryEdited);
    add("portal-titleEn", TitleEnEntry, isTextFieldEntryEdited);
  }
  timerEntries(element, add, isSelectEntryEdited, isTextFieldEntryEdited);
  if (is(element, "bpmn:SequenceFlow")) add("portal-condition", ConditionEntry, isTextFieldEntryEdited);
  if (is(element, "bpmn:ServiceTask")) add("portal-operation", OperationEntry, isSelectEntryEdited);
  if (is(element, "bpmn:FlowNode")) add("portal-lane", LaneEntry, isTextFieldEntryEdited);
  return entries;
}

class PortalPropertiesProvider {
  constructor(propertiesPanel, injector) {
    this._injector = injector;
    // After the default BPMN provider (priority 1000 runs first): the portal's group goes on top.
    propertiesPanel.registerProvider(500, this);
  }

  getGroups(element) {
    return (groups) => {
      const entries = portalEntries(element);
      // The generic timer group would show the raw, quoted expression; the Portal group replaces it.
      const kept = groups.filter((group) => group.id !== "timer");
      // Beside the name field too: a timer's name that says another value than the timer's.
      const general = kept.find((group) => group.id === "general");
      if (general && isTimerEvent(element)) {
        const at = general.entries.findIndex((entry) => entry.id === "name");
        general.entries.splice(at + 1, 0, { id: "portal-timerNameGeneral", element, component: TimerNameEntry, isEdited: () => false });
      }
      if (!entries.length) return kept;
      const label = text(this._injector, "group", "Portal");
      return [{ id: "portal", label, entries }, ...kept];
    };
  }
}

PortalPropertiesProvider.$inject = ["propertiesPanel", "injector"];

export default {
  __init__: ["portalPropertiesProvider"],
  portalPropertiesProvider: ["type", PortalPropertiesProvider],
};
