/* Entry of the editor bundle (vendor/portal-modeler.min.js, built by ../build.sh): the bpmn-js Modeler with
   the properties panel, the portal's own group and the spiffworkflow moddle extension, exposed as
   window.PortalModeler.createModeler(options). */
import Modeler from "bpmn-js/lib/Modeler";
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from "bpmn-js-properties-panel";

import PortalPropertiesProviderModule, { isDuration } from "./portal_properties_provider.js";
import spiffworkflow from "./spiffworkflow.json";

export { Modeler, isDuration };

// options: container, propertiesParent (selector or element), keyboard, portal ({texts, options}).
export function createModeler(options) {
  return new Modeler({
    container: options.container,
    keyboard: options.keyboard,
    // The Portal group (what the engine reads) starts open; the generic ones stay folded.
    propertiesPanel: { parent: options.propertiesParent, layout: { groups: { portal: { open: true } } } },
    portal: options.portal || {},
    additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, PortalPropertiesProviderModule],
    moddleExtensions: { spiffworkflow },
  });
}
