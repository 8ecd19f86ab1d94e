/* The "Portal" group of the properties panel: the few properties the portal's engine reads
   (workflows/engine.py), written in the SpiffWorkflow extension format the shipped flows use:
     user task      formKey, titleEn   <spiffworkflow:properties><spiffworkflow:property name=… value=…/>
     end event      outcome, titleEn
     timer event    ISO-8601 duration  <bpmn:timeDuration>"P14D"</bpmn:timeDuration> (quoted: the engine
                                       evaluates it as a Python expression)
     sequence flow  condition          <bpmn:conditionExpression>
     service task   operation          <spiffworkflow:serviceTaskOperator id=…>
     any flow node  lane (read only)
   Labels come from the page (config.portal.texts, translated there); the lists of form keys and service
   operations arrive from the analyst API after start-up (config.portal.options) and re-render the panel. */
import { SelectEntry, TextFieldEntry, isSelectEntryEdited, isTextFieldEntryEdited } from "@bpmn-io/properties-panel";
import { h } from "@bpmn-io/properties-panel/preact";
import { useService } from "bpmn-js-properties-panel";
import { getBusinessObject, is } from "bpmn-js/lib/util/ModelUtil";

export const OUTCOMES = ["approved", "rejected", "cancelled"];
// PnYnMnWnDTnHnMnS with at least one part; the engine accepts dates and cycles too, the panel only durations.
const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

export function isDuration(value) {
  return DURATION.test(value || "");
}

function text(injector, key, fallback) {
  const config = injector.get("config.portal", false) || {};
  return (config.texts && config.texts[key]) || fallback;
}

function options(injector, key) {
  const config = injector.get("config.portal", false) || {};
  return (config.options && config.options[key]) || [];
}

// --- reading and writing spiffworkflow:property -------------------------------------------------

function propertiesOf(bo) {
  const extension = bo.get("extensionElements");
  if (!extension) return null;
  return extension.get("values").find((value) => is(value, "spiffworkflow:Properties")) || null;
}

export function getSpiffProperty(element, name) {
  const properties = propertiesOf(getBusinessObject(element));
  if (!properties) return "";
  const found = properties.get("properties").find((property) => property.name === name);
  return found ? found.value || "" : "";
}

function update(element, moddleElement, properties) {
  return { cmd: "element.updateModdleProperties", context: { element, moddleElement, properties } };
}

export function setSpiffProperty(injector, element, name, value) {
  const bpmnFactory = injector.get("bpmnFactory");
  const bo = getBusinessObject(element);
  const commands = [];
  let extension = bo.get("extensionElements");
  if (!extension) {
    if (!value) return;
    extension = bpmnFactory.create("bpmn:ExtensionElements", { values: [] });
    extension.$parent = bo;
    commands.push(update(element, bo, { extensionElements: extension }));
  }
  let properties = propertiesOf(bo);
  if (!properties) {
    if (!value) return;
    properties = bpmnFactory.create("spiffworkflow:Properties", { properties: [] });
    properties.$parent = extension;
    commands.push(update(element, extension, { values: [...extension.get("values"), properties] }));
  }
  const list = properties.get("properties");
  const found = list.find((property) => property.name === name);
  if (!value) {
    if (found) commands.push(update(element, properties, { properties: list.filter((p) => p !== found) }));
  } else if (found) {
    commands.push(update(element, found, { value }));
  } else {
    const property = bpmnFactory.create("spiffworkflow:Property", { name, value });
    property.$parent = properties;
    commands.push(update(element, properties, { properties: [...list, property] }));
  }
  if (commands.length) injector.get("commandStack").execute("properties-panel.multi-command-executor", commands);
}

// --- the other places the engine reads ------------------------------------------------------------

function timerDefinition(element) {
  const definitions = getBusinessObject(element).get("eventDefinitions") || [];
  return definitions.find((definition) => is(definition, "bpmn:TimerEventDefinition")) || null;
}

export function getTimerDuration(element) {
  const definition = timerDefinition(element);
  const expression = definition && definition.get("timeDuration");
  const body = ((expression && expression.get("body")) || "").trim();
  return body.replace(/^["']|["']$/g, "");
}

function setTimerDuration(injector, element, value) {
  const definition = timerDefinition(element);
  if (!definition || !isDuration(value)) return;
  const body = JSON.stringify(value);  // "P14D", quoted for the engine
  const expression = definition.get("timeDuration");
  const modeling = injector.get("modeling");
  if (expression) {
    modeling.updateModdleProperties(element, expression, { body });
  } else {
    const created = injector.get("bpmnFactory").create("bpmn:FormalExpression", { body });
    created.$parent = definition;
    modeling.updateModdleProperties(element, definition, {
      timeDuration: created,
      timeDate: undefined,
      timeCycle: undefined,
    });
  }
}

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

export function getLane(element) {
  const lanes = getBusinessObject(element).get("lanes") || [];
  return lanes.map((lane) => lane.name || lane.id).join(", ");
}

// --- the entries ------------------------------------------------------------------------------------

function withCurrent(values, current) {
  // A value the lists do not know (an older form, a function not registered here) stays selectable.
  return current && !values.includes(current) ? [...values, current] : values;
}

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

function FormKeyEntry({ element, id }) {
  const injector = useService("injector");
  return h(SpiffSelect, {
    element,
    id,
    name: "formKey",
    label: text(injector, "formKey", "Form"),
    choices: (inj, current) =>
      withCurrent(options(inj, "formKeys"), current).map((key) => ({ value: key, label: key })),
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

function TimerEntry({ element, id }) {
  const injector = useService("injector");
  const debounce = useService("debounceInput");
  return h(TextFieldEntry, {
    element,
    id,
    label: text(injector, "timer", "Duration (ISO-8601)"),
    description: text(injector, "timerHelp", "e.g. P14D, PT12H"),
    debounce,
    getValue: () => getTimerDuration(element),
    setValue: (value, error) => {
      if (!error) setTimerDuration(injector, element, value || "");
    },
    validate: (value) => (isDuration(value) ? null : text(injector, "timerInvalid", "Enter a duration such as P14D.")),
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
    getValue: () => getLane(element) || "—",
    setValue: () => {},
  });
}

function isTimerEvent(element) {
  return is(element, "bpmn:Event") && timerDefinition(element) !== null;
}

export function portalEntries(element) {
  const entries = [];
  const add = (id, component, isEdited) => entries.push({ id, element, component, isEdited });
  if (is(element, "bpmn:UserTask")) {
    add("portal-formKey", FormKeyEntry, isSelectEntryEdited);
    add("portal-titleEn", TitleEnEntry, isTextFieldEntryEdited);
  }
  if (is(element, "bpmn:EndEvent")) {
    add("portal-outcome", OutcomeEntry, isSelectEntryEdited);
    add("portal-titleEn", TitleEnEntry, isTextFieldEntryEdited);
  }
  if (isTimerEvent(element)) add("portal-timer", TimerEntry, isTextFieldEntryEdited);
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
