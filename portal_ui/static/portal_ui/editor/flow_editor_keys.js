/* Flow editor (flow_editor.js): the diagram and its properties panel for the keyboard and the screen
   reader: the element list and its tools, N / P and Enter on the diagram, the panel's named toggles and
   titled selects. The palette's entries are palette_keys.js's. */
(function () {
  "use strict";
  var editor = window.PortalFlowEditor;
  if (!editor) return;
  var root = editor.root;
  var texts = editor.texts;
  var modeler = editor.modeler;
  var dictionary = editor.dictionary;
  var el = editor.el;
  var format = editor.format;
  var nameOf = editor.nameOf;
  var typeLabel = editor.typeLabel;
  var elementLabel = editor.elementLabel;
  var laneLabel = editor.laneLabel;

  // A select of the panel shows its whole value on hover, however narrow the panel (modeler.css).
  var panel = document.getElementById("properties-panel");
  function titleSelects() {
    panel.querySelectorAll("select").forEach(function (select) {
      var option = select.options[select.selectedIndex];
      var title = option ? option.text : "";
      if (select.title !== title) select.title = title;
    });
  }
  new MutationObserver(titleSelects).observe(panel, { childList: true, subtree: true });
  panel.addEventListener("change", titleSelects);

  // --- the keyboard's way into the diagram ----------------------------------------------------------------
  // bpmn-js selects and connects with the mouse only. The element list beside the toolbar selects an element
  // (and its properties fill the panel), "Edit properties" and Enter on the diagram take the focus there;
  // N and P on the diagram select the next and the previous element of the same list; a new element is
  // appended after the selected one (autoPlace, as the context pad does) or a flow drawn from it; the
  // palette's entries create one of their own (palette_keys.js).
  var elementSelect = document.getElementById("element-select");
  var connectSelect = document.getElementById("connect-target");
  var selectionStatus = document.getElementById("selection-status");
  var selection = modeler.get("selection");
  // The element's lane: the lane whose flow node references hold it, in the page's word for it.
  function laneOf(element) {
    var bo = element.businessObject;
    var lane = modeler.get("elementRegistry").filter(function (e) {
      return e.type === "bpmn:Lane" && (e.businessObject.flowNodeRef || []).indexOf(bo) >= 0;
    })[0];
    return lane ? laneLabel(nameOf(lane)) || lane.id : "";
  }
  function describe(element) {
    // A lane is listed by the page's word for it, as the panel and its help say it (Client → Klient).
    var name = element.type === "bpmn:Lane" ? laneLabel(nameOf(element)) : nameOf(element);
    if (!name && element.waypoints && element.source && element.target) {
      name = format(texts.textFlow, { source: elementLabel(element.source), target: elementLabel(element.target) });
    }
    var parts = [name || element.id, typeLabel(element)];
    var lane = element.waypoints ? "" : laneOf(element);
    if (lane) parts.push(format(texts.textLane, { name: lane }));
    return parts.join(" — ");
  }
  // Pools and lanes, then the flow's nodes as they are drawn (left to right, then top to bottom), then its
  // flows: labels and the diagram's root are no elements of their own.
  function listedElements() {
    var rank = function (e) {
      if (e.type === "bpmn:Participant") return 0;
      if (e.type === "bpmn:Lane") return 1;
      return e.waypoints ? 3 : 2;
    };
    return modeler.get("elementRegistry").filter(function (e) {
      return e.parent && e.type !== "label" && e.businessObject && e.type.indexOf("bpmn:") === 0;
    }).sort(function (a, b) {
      return rank(a) - rank(b) || (a.x || 0) - (b.x || 0) || (a.y || 0) - (b.y || 0) || (a.id < b.id ? -1 : 1);
    });
  }
  function fillElementLists() {
    var elements = listedElements();
    var chosen = selection.get().length === 1 ? selection.get()[0].id : elementSelect.value;
    var target = connectSelect.value;
    elementSelect.replaceChildren();
    connectSelect.replaceChildren();
    elements.forEach(function (element) {
      var option = el("option", describe(element));
      option.value = element.id;
      elementSelect.appendChild(option);
      // A flow connects nodes: pools, lanes and flows are no targets.
      if (rank(element) === 2) connectSelect.appendChild(option.cloneNode(true));
    });
    function rank(element) { return element.waypoints || /Participant|Lane/.test(element.type) ? 0 : 2; }
    if (elements.some(function (e) { return e.id === chosen; })) elementSelect.value = chosen;
    if (target && elements.some(function (e) { return e.id === target; })) connectSelect.value = target;
  }
  var refill = null;
  function refillSoon() {
    if (refill) return;
    refill = window.setTimeout(function () { refill = null; fillElementLists(); }, 0);
  }
  modeler.on(["import.done", "commandStack.changed"], refillSoon);
  function chosenElement() { return modeler.get("elementRegistry").get(elementSelect.value); }
  function selectElement(element, announce) {
    modeler.get("canvas").scrollToElement(element);
    selection.select(element);
    if (announce) selectionStatus.textContent = describe(element);
  }
  // Picking in the list selects in the diagram (the panel follows); the focus stays in the list.
  elementSelect.addEventListener("change", function () {
    var element = chosenElement();
    if (element) selectElement(element, false);
  });
  // A selection made on the canvas shows in the list, and is said when it was made with the keys.
  modeler.on("selection.changed", function (event) {
    var selected = event.newSelection || [];
    if (selected.length === 1 && elementSelect.querySelector('option[value="' + CSS.escape(selected[0].id) + '"]')) {
      elementSelect.value = selected[0].id;
    }
  });
  // The first field of the panel's open groups (else its first control) takes the focus.
  function focusPanel() {
    var field = panel.querySelector(".bio-properties-panel-group-entries.open :is(input, select, textarea, [contenteditable='true']):not([disabled])") ||
      panel.querySelector("input:not([disabled]), select:not([disabled]), textarea, button");
    if (field) field.focus();
  }
  document.getElementById("element-edit").addEventListener("click", function () {
    var element = chosenElement();
    if (!element) return;
    if (selection.get().length !== 1 || selection.get()[0] !== element) selectElement(element, false);
    focusPanel();
  });
  document.getElementById("element-append").addEventListener("click", function () {
    var source = chosenElement();
    if (!source || source.waypoints || /Participant|Lane/.test(source.type)) return;
    var shape = modeler.get("elementFactory").createShape({ type: document.getElementById("append-type").value });
    var appended = modeler.get("autoPlace").append(source, shape);
    fillElementLists();
    selectElement(appended, true);
    elementSelect.value = appended.id;
  });
  // What the keyboard's palette created (palette_keys.js) is listed, selected and said, as an appended one.
  root.selectCreated = function (element) {
    fillElementLists();
    selectElement(element, true);
    elementSelect.value = element.id;
  };
  document.getElementById("element-connect").addEventListener("click", function () {
    var registry = modeler.get("elementRegistry");
    var source = chosenElement();
    var target = registry.get(connectSelect.value);
    if (!source || !target || source === target || source.waypoints) return;
    var flow = modeler.get("modeling").connect(source, target);
    fillElementLists();
    if (flow) selectElement(flow, true);
  });
  // N / P (Shift+N) on the diagram: the next / previous element of the list, said by the status line;
  // Enter: its properties. The letters are free in bpmn-js's bindings (E edits a name, C connects…). A key
  // left to the others returns nothing: `false` would stop every other binding (diagram-js's event bus).
  modeler.get("keyboard").addListener(2000, function (context) {
    var event = context.keyEvent;
    var keyboard = modeler.get("keyboard");
    if (keyboard.isKey(["Enter"], event) && !keyboard.hasModifier(event)) {
      if (selection.get().length !== 1) return undefined;
      focusPanel();
      return true;
    }
    var next = keyboard.isKey(["n", "N"], event) && !keyboard.isCmd(event) && !event.altKey;
    var previous = keyboard.isKey(["p", "P"], event) && !keyboard.hasModifier(event);
    if (!next && !previous) return undefined;
    var elements = listedElements();
    if (!elements.length) return true;
    var at = elements.indexOf(selection.get()[0]);
    var step = previous || keyboard.isShift(event) ? -1 : 1;
    var index = at < 0 ? (step > 0 ? 0 : elements.length - 1) : (at + step + elements.length) % elements.length;
    selectElement(elements[index], true);
    return true;
  });
  // The panel's fold buttons are all "Toggle section": each names its group and says whether it is open.
  // Their tooltips and the other buttons' and marks' ones (the pop-up editor, a section's edits) are
  // the panel's English: translated here, as bpmn-js-properties-panel does not hand its groups our
  // translate service.
  function nameToggles() {
    panel.querySelectorAll("button[title], .bio-properties-panel-dot[title]").forEach(function (node) {
      var translated = dictionary[node.getAttribute("title")];
      if (translated) node.setAttribute("title", translated);
    });
    panel.querySelectorAll(".bio-properties-panel-group-header").forEach(function (header) {
      var button = header.querySelector(".bio-properties-panel-group-header-button.bio-properties-panel-arrow");
      var title = header.querySelector(".bio-properties-panel-group-header-title");
      if (!button || !title) return;
      var label = (dictionary["Toggle section"] || "Toggle section") + ": " + title.textContent.trim();
      var open = header.classList.contains("open") ? "true" : "false";
      if (button.getAttribute("aria-label") !== label) button.setAttribute("aria-label", label);
      if (button.getAttribute("aria-expanded") !== open) button.setAttribute("aria-expanded", open);
    });
  }
  new MutationObserver(nameToggles).observe(panel, { childList: true, subtree: true, attributes: true, attributeFilter: ["class"] });
})();
