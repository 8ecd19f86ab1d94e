/* The spiffworkflow:property values of an element (formKey, titleEn, outcome), as the shipped flows carry
   them: <bpmn:extensionElements><spiffworkflow:properties><spiffworkflow:property name=… value=…/>. */
import { getBusinessObject, is } from "bpmn-js/lib/util/ModelUtil";

import { update } from "./panel_config.js";

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
