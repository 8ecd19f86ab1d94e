/* What a task does in the Portal group, as the request type's contract allows it (editor_panel.py):
     user task           its form: the one the contract gives the task (deploy refuses another), with the
                         form's fields listed read only (what the client or staff fill in)
     business-rule task  its decision table, <spiffworkflow:calledDecisionId>, one of the tables below the
                         editor (deploy ships them with the version), with a link to the table */
import { SelectEntry } from "@bpmn-io/properties-panel";
import { h } from "@bpmn-io/properties-panel/preact";
import { useService } from "bpmn-js-properties-panel";
import { getBusinessObject, is } from "bpmn-js/lib/util/ModelUtil";

import { contractOf, format, laneLabel, options, text, update, withCurrent } from "./panel_config.js";
import { getSpiffProperty, setSpiffProperty } from "./spiff_properties.js";

// --- the form of a user task -------------------------------------------------------------------------

function formLabel(injector, key) {
  const form = contractOf(injector).forms[key];
  // The title alone fits the narrow panel; the key is said below the select.
  return form ? form.title : key;
}

// The forms the task may show: the contract's one for a stage of the type; without a contract (none is
// declared for the type) the forms of the process, as before.
function allowedForms(injector, element) {
  const contract = contractOf(injector);
  const task = contract.tasks[getBusinessObject(element).id];
  if (task) return [task.form];
  return Object.keys(contract.tasks).length ? [] : options(injector, "formKeys");
}

export function FormKeyEntry({ element, id }) {
  const injector = useService("injector");
  const contract = contractOf(injector);
  const task = contract.tasks[getBusinessObject(element).id];
  const stages = Object.keys(contract.tasks).join(", ");
  const allowed = allowedForms(injector, element);
  let description;
  if (task) {
    description = format(text(injector, "formFor", "The form of this stage (lane %(lane)s): %(form)s."), { lane: laneLabel(injector, task.lane), form: task.form });
  }
  else if (stages) {
    description = format(text(injector, "formNotStage", "This task is not a stage of this request type, so deploy refuses it: give it the ID of a stage (%(stages)s) under General."), { stages });
  }
  return h(SelectEntry, {
    element,
    id,
    label: text(injector, "formKey", "Form"),
    description,
    getValue: () => getSpiffProperty(element, "formKey"),
    setValue: (value) => setSpiffProperty(injector, element, "formKey", value),
    getOptions: () => {
      const current = getSpiffProperty(element, "formKey");
      const choices = allowed.map((key) => ({ value: key, label: formLabel(injector, key) }));
      if (current && !allowed.includes(current)) {
        choices.push({ value: current, label: formLabel(injector, current) + " — " + text(injector, "formRefused", "refused at deploy") });
      }
      return [{ value: "", label: "—" }, ...choices];
    },
    validate: (value) => {
      if (!value) return text(injector, "formMissing", "Choose the form: deploy refuses a user task without one.");
      if (allowed.length && !allowed.includes(value)) {
        return format(text(injector, "formWrong", "Deploy refuses this form: this stage shows %(form)s."), { form: formLabel(injector, allowed[0]) });
      }
      return null;
    },
  });
}

// The chosen form's fields, read only: what the client or staff will fill in at this task.
export function FormFieldsEntry({ element, id }) {
  const injector = useService("injector");
  const form = contractOf(injector).forms[getSpiffProperty(element, "formKey")];
  if (!form) return null;
  const head = ["fieldName", "fieldType", "fieldRequired"].map((key) => h("th", { scope: "col" }, text(injector, key, key)));
  const rows = form.fields.map((field) =>
    h("tr", { key: field.name },
      h("th", { scope: "row" }, field.label, " ", h("code", null, field.name)),
      h("td", null, field.type),
      h("td", null, text(injector, "required" + field.required.charAt(0).toUpperCase() + field.required.slice(1), field.required)))
  );
  return h("div", { class: "bio-properties-panel-entry portal-form-fields", "data-entry-id": id },
    h("table", { class: "portal-fields" },
      h("caption", null, format(text(injector, "formFields", "Fields of the form %(form)s"), { form: form.title })),
      h("thead", null, h("tr", null, head)),
      h("tbody", null, rows)));
}

// --- the decision table of a business-rule task ------------------------------------------------------

function calledDecision(bo) {
  const extension = bo.get("extensionElements");
  if (!extension) return null;
  return extension.get("values").find((value) => is(value, "spiffworkflow:CalledDecisionId")) || null;
}

export function getDecision(element) {
  const called = calledDecision(getBusinessObject(element));
  return ((called && called.get("value")) || "").trim();
}

function setDecision(injector, element, value) {
  const bo = getBusinessObject(element);
  const bpmnFactory = injector.get("bpmnFactory");
  const called = calledDecision(bo);
  const commands = [];
  let extension = bo.get("extensionElements");
  if (called && value) {
    commands.push(update(element, called, { value }));
  } else if (called) {
    commands.push(update(element, extension, { values: extension.get("values").filter((v) => v !== called) }));
  } else if (value) {
    if (!extension) {
      extension = bpmnFactory.create("bpmn:ExtensionElements", { values: [] });
      extension.$parent = bo;
      commands.push(update(element, bo, { extensionElements: extension }));
    }
    const created = bpmnFactory.create("spiffworkflow:CalledDecisionId", { value });
    created.$parent = extension;
    commands.push(update(element, extension, { values: [...extension.get("values"), created] }));
  }
  if (commands.length) injector.get("commandStack").execute("properties-panel.multi-command-executor", commands);
}

// The tables below the editor (dmn_tables.js: decision id → its name), which deploy ships with the version.
function tables(injector) {
  return options(injector, "decisionTables");
}

function tableLabel(injector, id) {
  const found = tables(injector).find((table) => table.id === id);
  return found && found.name && found.name !== id ? found.name + " (" + id + ")" : id;
}

export function DecisionEntry({ element, id }) {
  const injector = useService("injector");
  const shipped = tables(injector).map((table) => table.id);
  const needed = contractOf(injector).decisions;
  const current = getDecision(element);
  const parts = [];
  if (current && shipped.includes(current)) {
    // The table's card below the editor (dmn_tables.js gives it this id and takes the focus).
    parts.push(h("a", { href: "#dmn-table-" + current, class: "portal-table-link" }, format(text(injector, "decisionOpen", "Open the table %(table)s"), { table: current })));
  }
  if (needed.length) {
    parts.push(h("span", { class: "portal-needs" }, format(text(injector, "decisionNeeded", "This request type needs a business-rule task calling %(tables)s."), { tables: needed.join(", ") })));
  }
  return h(SelectEntry, {
    element,
    id,
    label: text(injector, "decision", "Decision table"),
    description: parts.length ? h("span", { class: "portal-decision-help" }, parts) : undefined,
    getValue: () => getDecision(element),
    setValue: (value) => setDecision(injector, element, value),
    getOptions: () => [
      { value: "", label: "—" },
      ...withCurrent(shipped, current).map((value) => ({ value, label: tableLabel(injector, value) })),
    ],
    validate: (value) => {
      if (!value) return text(injector, "decisionMissing", "Choose the decision table: deploy refuses a business-rule task without one.");
      if (!shipped.includes(value)) {
        return format(text(injector, "decisionUnknown", "The table %(table)s is not among this flow's decision tables (below the editor): deploy refuses it."), { table: value });
      }
      return null;
    },
  });
}
