/* Flow editor: the bpmn-js Modeler with the properties panel (vendor/portal-modeler.min.js, built from
   src/) on the current version's XML, and what the editor's parts share through window.PortalFlowEditor:
   the result line, where each problem names a BPMN element, which is marked on the canvas and selected on
   click; the analyst API's calls; the toolbar's busy state; the unsaved edits. The parts come after this
   script (deferred scripts run in the page's order): flow_editor_versions.js (a file from disk, downloads,
   the versions, the heatmap), flow_editor_deploy.js (Validate, Test run, Deploy, rollback),
   flow_editor_keys.js (the keyboard's element tools) and palette_keys.js. */
(function () {
  "use strict";
  var root = document.getElementById("flow-editor");
  if (!root || !window.PortalModeler) return;
  var texts = root.dataset;
  var result = document.getElementById("editor-result");
  var xml = JSON.parse(document.getElementById("bpmn-xml").textContent);
  var panelTexts = document.getElementById("modeler-texts").dataset;
  // The panel reads these on every render; the lists arrive from the API after start-up.
  // The request type's contract (editor_panel.py) comes with the page: each task's form, fixed timers.
  var portal = {
    texts: Object.assign({}, panelTexts),
    options: { formKeys: [], operations: [], decisionTables: [] },
    contract: JSON.parse(document.getElementById("editor-contract").textContent),
    // The words a timer's name says its value with, in each language (src/timer_names.js).
    timerNames: JSON.parse(document.getElementById("timer-names").textContent)
  };
  // The panel's own headings and labels (bpmn-js calls its `translate` service for them) in the page's
  // language. The bundle's createModeler takes no modules of ours: the Modeler's module list gets the
  // translate module at its end, where it replaces diagram-js's (later modules win in didi).
  var dictionary = JSON.parse(document.getElementById("modeler-translations").textContent);
  var ModelerClass = window.PortalModeler.Modeler;
  if (ModelerClass && !ModelerClass.prototype.portalTranslated) {
    var baseModules = ModelerClass.prototype.getModules;
    ModelerClass.prototype.portalTranslated = true;
    ModelerClass.prototype.getModules = function (options) {
      return baseModules.call(this, options).concat([{ translate: ["value", function (template, replacements) {
        var text = dictionary[template] || template;
        return text.replace(/{([^}]+)}/g, function (all, key) {
          return replacements && key in replacements ? replacements[key] : "{" + key + "}";
        });
      }] }]);
    };
  }
  // Keyboard shortcuts (undo, delete, move the selection) act only while the canvas has the focus
  // (tabindex=0 in the template): bound to the document, an arrow on the version select or Delete on a
  // focused button would move or delete the selected element.
  var canvasElement = document.getElementById("bpmn-canvas");
  var modeler = window.PortalModeler.createModeler({
    container: canvasElement,
    propertiesParent: "#properties-panel",
    keyboard: { bindTo: canvasElement },
    portal: portal
  });
  // A click on the diagram gives it the focus, so its shortcuts follow the selection made there.
  canvasElement.addEventListener("mousedown", function () { canvasElement.focus({ preventScroll: true }); });
  // The bpmn.io logo stays on the canvas (its licence) but leaves the Tab order, where it came between the
  // diagram and its panel; the page's credit line below the editor links to bpmn.io in its place.
  canvasElement.querySelectorAll(".bjs-powered-by").forEach(function (logo) {
    logo.setAttribute("tabindex", "-1");
    logo.setAttribute("aria-hidden", "true");
  });
  root.modeler = modeler;  // for the browser tests and the console
  var marked = [];
  // Edits not deployed yet: the command stack's top is not the command it had when the diagram was shown
  // or last deployed. Undoing back to that point is no edit (its XML may still differ: bpmn-js leaves an
  // empty label behind); a new command after an undo replaces the top, so it is one. diagram-js keeps the
  // commands done in `_stack` up to `_stackIdx` (no public getter; the bundle pins its version).
  // Importing a diagram clears the stack (trigger "clear"), which is not an edit.
  var commandStack = modeler.get("commandStack");
  var UNSAVED = {};  // a top no command has: the diagram differs from the saved one whatever is undone
  var savedTop;
  var dirty = false;  // the diagram's edits (replacing the diagram loses them)
  // The decision tables' edits (dmn_tables.js) are unsaved work too: leaving the page loses them, while
  // opening another diagram keeps the tables.
  var tables = window.PortalDmnTables;
  function stackTop() { return commandStack._stack[commandStack._stackIdx]; }
  function unsaved() { return dirty || Boolean(tables && tables.isDirty()); }
  function setDirty(on) {
    dirty = on;
    root.dataset.dirty = unsaved() ? "true" : "false";
  }
  // The business-rule tasks choose among the tables below the editor: again when one is opened there.
  function listTables() {
    var next = tables ? tables.names() : [];
    if (JSON.stringify(next) === JSON.stringify(portal.options.decisionTables)) return;
    portal.options.decisionTables = next;
    modeler.get("eventBus").fire("propertiesPanel.providersChanged");
  }
  listTables();
  if (tables) tables.onChange(function () { setDirty(dirty); listTables(); });
  // The diagram as it was at `top` (default: as shown now) is the saved one.
  function setClean(top) {
    savedTop = arguments.length ? top : stackTop();
    setDirty(stackTop() !== savedTop);
  }
  modeler.on("commandStack.changed", function (event) {
    if (event.trigger !== "clear") setDirty(stackTop() !== savedTop);
  });
  // Before the diagram in the page is replaced by another one: may the edits be lost?
  function mayReplace() { return !dirty || window.confirm(texts.textUnsaved); }
  window.addEventListener("beforeunload", function (event) {
    if (!unsaved()) return;
    event.preventDefault();
    event.returnValue = "";  // older browsers show their own prompt only when it is set
  });
  // The request fields the API may name in an error (not BPMN elements): shown without the key.
  var REQUEST_FIELDS = ["bpmn_xml", "dmn", "process_key", "non_field_errors"];
  // The key of a problem of the file as a whole (workflows/deployment.py): its message says what it is.
  var FILE_KEY = "bpmn";

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function format(template, values) {
    return Object.keys(values).reduce(function (out, key) {
      return out.split("%(" + key + ")s").join(String(values[key]));
    }, template);
  }
  // The page carries a counted sentence in each plural category (editor_context.plural_texts).
  function plural(name, count) {
    var category = new Intl.PluralRules(document.documentElement.lang || "pl").select(count);
    return texts[name + category.charAt(0).toUpperCase() + category.slice(1)] || texts[name + "Other"];
  }
  function csrf() { return window.portalCsrfToken(root); }
  // The session expired or changed (401, or 403 for its token or second factor): the answer is not about
  // the diagram. Thrown to run(), which says how to keep the edits; never "reload", which loses them.
  function sessionLost(status, data) {
    var code = data && data.code;
    return status === 401 || (status === 403 && (code === "csrf_failed" || code === "second_factor_required"));
  }
  function checkSession(status, data) {
    if (sessionLost(status, data)) throw { sessionLost: true };
    return data;
  }
  function apiUrl(template, id) {
    return template.replace("/0/", "/" + encodeURIComponent(id) + "/");
  }
  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (response) {
      if (response.status === 401) throw { sessionLost: true };
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    });
  }
  function clearMarks() {
    // An element marked by the last validation may have been deleted since: only the ones still there.
    var canvas = modeler.get("canvas");
    var registry = modeler.get("elementRegistry");
    var ids = marked;
    marked = [];
    ids.forEach(function (id) { if (registry.get(id)) canvas.removeMarker(id, "has-error"); });
  }
  function focusElement(id) {
    var element = modeler.get("elementRegistry").get(id);
    if (!element) return;
    modeler.get("canvas").scrollToElement(element);
    modeler.get("selection").select(element);
    // The diagram takes the focus: the keys (Delete, arrows) now act on the element the problem named.
    canvasElement.focus({ preventScroll: true });
  }
  // The element a problem is keyed by: a diagram element, or the pool drawing a process (a process id).
  function elementFor(id) {
    var registry = modeler.get("elementRegistry");
    return registry.get(id) || registry.filter(function (e) {
      var process = e.type === "bpmn:Participant" && e.businessObject.processRef;
      return Boolean(process) && process.id === id;
    })[0] || null;
  }
  // How a problem names its element: by the name on the canvas; one without a name by its type (in the
  // panel's words) and its id in brackets.
  function elementLabel(element) {
    var name = nameOf(element);
    return name || typeLabel(element) + " (" + element.id + ")";
  }
  function nameOf(element) {
    return String((element.businessObject || {}).name || "").replace(/\s+/g, " ").trim();
  }
  // The element's type in the panel's words ("User task", "Timer on the task").
  function typeLabel(element) {
    var bo = element.businessObject || {};
    var type = String(element.type || "").split(":").pop().replace(/([a-z])([A-Z])/g, "$1 $2");
    var timer = (bo.eventDefinitions || []).some(function (d) { return d.$type === "bpmn:TimerEventDefinition"; });
    if (timer && !dictionary[type]) type = "Timer " + type;
    return dictionary[type] || type;
  }
  // The names of a diagram's elements by id, whether drawn or not: a file of another tool may hold
  // processes no pool draws (or a plane bpmn-js does not show); their problems still name the element.
  // The one reader of names, for the diagram open (its moddle tree) and for another version's XML (read
  // into a moddle tree of its own by elementNamesOfXml): every element the file contains, as in the XML
  // (the descriptors' containment properties; references and attributes are not children).
  function elementNames(definitions) {
    var names = {};
    (function visit(node) {
      if (!node || typeof node !== "object" || !node.$descriptor) return;
      var name = String(node.name || "").replace(/\s+/g, " ").trim();
      if (node.id && name) names[node.id] = name;
      node.$descriptor.properties.forEach(function (property) {
        if (property.isReference || property.isAttr) return;
        [].concat(node[property.name] || []).forEach(visit);  // not get(): it adds empty lists
      });
    })(definitions);
    return names;
  }
  // Another diagram's names (id → name) from its XML, read without touching the one open; none if it
  // cannot be read.
  function elementNamesOfXml(xml) {
    return modeler.get("moddle").fromXML(String(xml || ""), "bpmn:Definitions").then(function (read) {
      return elementNames(read.rootElement);
    }, function () { return {}; });
  }
  // `located` false: the problems belong to another diagram than the one open (a version not shown), so
  // they are neither looked up nor marked here; `names` (id → name, of that diagram) names them, else
  // they are listed by id.
  var shownCount = 0;  // answers shown so far: an action that showed none (a dialog opened) scrolls nowhere
  function show(kind, message, errors, located, names) {
    shownCount += 1;
    clearMarks();
    if (tables) tables.clearMarks();
    result.replaceChildren();
    result.className = "editor-result " + kind;
    var reasons = [];
    Object.keys(errors || {}).forEach(function (id) { reasons = reasons.concat(errors[id]); });
    // A refusal whose message is also its one reason says it once: in the list, where it is located.
    result.appendChild(el("p", reasons.indexOf(message) >= 0 ? texts.textInvalid : message));
    if (!errors) return;
    var canvas = modeler.get("canvas");
    var list = el("ul", undefined, "error-items");
    var undrawn = null;  // the open diagram's names, read once if a problem's element is not drawn
    Object.keys(errors).forEach(function (id) {
      [].concat(errors[id]).forEach(function (text) {
        var item = el("li");
        if (REQUEST_FIELDS.indexOf(id) >= 0 || id === FILE_KEY) {
          item.textContent = text;
          list.appendChild(item);
          return;
        }
        var element = located === false ? null : elementFor(id);
        var cell = located !== false && !element && tables ? tables.locate(id) : null;
        if (element || cell) {
          if (element) {
            canvas.addMarker(element.id, "has-error");
            marked.push(element.id);
          } else {
            cell.mark();
          }
          var button = el("button", element ? elementLabel(element) : cell.label, "link-button");
          button.type = "button";
          button.dataset.elementId = id;
          button.addEventListener("click", function () {
            if (element) focusElement(element.id);
            else cell.focus();
          });
          item.appendChild(button);
        } else {
          if (located !== false && !undrawn) undrawn = elementNames(modeler.getDefinitions());
          var name = (located === false ? names : undrawn) || {};
          var label = name[id] ? el("strong", name[id], "element-name") : el("code", id);
          if (name[id]) label.title = id;
          item.appendChild(label);
        }
        item.appendChild(document.createTextNode(": " + text));
        list.appendChild(item);
      });
    });
    result.appendChild(list);
  }

  // A diagram that cannot be shown: the message in the page's words, the library's own (English) words
  // folded under "Technical detail" for whoever fixes the file.
  function showDetailed(message, error) {
    show("bad", message);
    var detail = error && error.message ? String(error.message) : "";
    if (!detail) return;
    var more = el("details", undefined, "technical-detail");
    more.appendChild(el("summary", texts.textDetail));
    more.appendChild(el("pre", detail));
    result.appendChild(more);
  }

  // The current version could not be drawn, so the canvas is empty: what the analyst can do instead (open
  // another version or a file with a diagram, or go to the versions' page), with the way to each.
  function showNextStep() {
    var next = el("p", undefined, "result-actions");
    next.dataset.testid = "import-next-step";
    next.appendChild(document.createTextNode(texts.textImportNext + " "));
    var fromDisk = el("button", texts.textOpenFile, "link-button");
    fromDisk.type = "button";
    fromDisk.addEventListener("click", function () { document.getElementById("upload-flow").click(); });
    var versionsPage = el("a", texts.textRollbackPage);
    versionsPage.href = texts.versionsPageUrl;
    next.appendChild(fromDisk);
    next.appendChild(document.createTextNode(" · "));
    next.appendChild(versionsPage);
    // details (the technical detail) stays last: the next step comes before the library's words
    result.insertBefore(next, result.querySelector(".technical-detail"));
  }

  // Resolves to the answer's status and body, the command stack's top when the diagram was sent and the
  // decision tables sent with it. `extra`: more fields of the body (a deploy's base version).
  function post(url, extra) {
    var sent = stackTop();
    var sentTables = tables ? tables.current() : {};
    return modeler.saveXML({ format: true }).then(function (saved) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        // The DMN tables of the business-rule tasks (dmn_tables.js) go with the diagram; the server refuses
        // a diagram of another process than this page's.
        body: JSON.stringify(Object.assign(
          { bpmn_xml: saved.xml, process_key: texts.processKey },
          tables ? { dmn: sentTables } : {},
          extra || {}
        ))
      });
    }).then(function (response) {
      return response.json().then(function (payload) {
        checkSession(response.status, payload);
        return { status: response.status, payload: payload, sent: sent, sentTables: sentTables };
      });
    });
  }

  function busy(on) {
    root.setAttribute("aria-busy", on ? "true" : "false");
    root.querySelectorAll(".editor-toolbar button").forEach(function (b) { b.disabled = on; });
  }
  // On a phone the toolbars fill the first screen: the answer to a button below them was out of sight, as
  // if nothing had happened. It is scrolled into view when it is not there (its start, when it is taller
  // than the window).
  function revealResult() {
    var box = result.getBoundingClientRect();
    var height = window.innerHeight || document.documentElement.clientHeight;
    if (box.top >= -1 && box.bottom <= height + 1) return;  // (a fraction of a pixel is in sight)
    result.scrollIntoView({ block: box.height > height ? "start" : "nearest" });
  }
  // An action still running after PROGRESS_DELAY ms says so (a test run or a deploy takes seconds, with
  // only the greyed buttons to tell); a quick one shows nothing, which would only flicker. On a phone the
  // line (above the answer) is below the toolbars: it is brought into sight, where the answer will come.
  var PROGRESS_DELAY = 400;
  var progress = document.getElementById("editor-progress");
  function showProgress() {
    progress.hidden = false;
    var box = progress.getBoundingClientRect();
    var height = window.innerHeight || document.documentElement.clientHeight;
    if (box.top < 0 || box.bottom > height) progress.scrollIntoView({ block: "nearest" });
  }
  // Runs one toolbar action with the buttons disabled; whatever happens (a failed request, an error
  // while showing the answer) the buttons come back. Disabling the pressed button drops the keyboard's
  // focus to the page's start: it goes back to that button (`returnTo`: the one to go back to when the
  // focus was elsewhere, the deploy dialog's), unless the analyst moved it meanwhile.
  function run(action, returnTo) {
    var pressed = returnTo || document.activeElement;
    var shownBefore = shownCount;
    busy(true);
    var progressTimer = progress ? window.setTimeout(showProgress, PROGRESS_DELAY) : 0;
    var done = function () {
      window.clearTimeout(progressTimer);
      if (progress) progress.hidden = true;
      busy(false);
      var now = document.activeElement;
      if (pressed && pressed.isConnected && typeof pressed.focus === "function" && (!now || now === document.body)) {
        pressed.focus({ preventScroll: true });
      }
      if (shownCount !== shownBefore) revealResult();
    };
    return Promise.resolve().then(action).catch(function (error) {
      var text = error && error.sessionLost ? texts.textSession : texts.textFailed;
      try { show("bad", text); } catch (ignored) { /* the message itself could not be shown */ }
      if (error && error.sessionLost) return;
      if (window.console) window.console.error(error);
    }).then(done, done);
  }

  // Fits the diagram into the canvas right of the palette (one or two columns, depending on the canvas
  // height), which would hide the pool's and lanes' names otherwise; a small one is not blown up beyond
  // its natural size. Opened and "Fit to screen" alike show the whole of it, down to OVERVIEW_ZOOM (a
  // diagram cut off at the right edge on opening hid its last stage); the analyst zooms in to read. On a
  // phone the palette is hidden (modeler.css: the page is for reading there).
  var OVERVIEW_ZOOM = 0.3;
  var MARGIN = 16;
  // Where the last fit left the view (its corner and scale), or FIT_PENDING when the canvas had no size
  // to fit into: a window resize fits again while the view is still that one (null: nothing fitted yet).
  var FIT_PENDING = "pending";
  var fitted = null;
  function viewOf(canvas) {
    var box = canvas.viewbox();
    return { x: box.x, y: box.y, scale: box.scale };
  }
  function fit(minZoom) {
    var canvas = modeler.get("canvas");
    canvas.zoom("fit-viewport");
    var inner = canvas.viewbox().inner;
    var container = canvas.getContainer();
    var size = { width: container.clientWidth, height: container.clientHeight };
    var palette = container.querySelector(".djs-palette");
    var shown = palette && palette.getClientRects().length > 0;
    var left = (shown ? palette.getBoundingClientRect().right - container.getBoundingClientRect().left : 0) + MARGIN;
    if (!inner.width || !inner.height || !size.width || !size.height) {
      fitted = FIT_PENDING;
      return;
    }
    var scale = Math.min((size.width - left - MARGIN) / inner.width, (size.height - 2 * MARGIN) / inner.height);
    scale = Math.max(minZoom || OVERVIEW_ZOOM, Math.min(1, scale));
    canvas.viewbox({
      x: inner.x - left / scale, y: inner.y - MARGIN / scale, width: size.width / scale, height: size.height / scale
    });
    fitted = viewOf(canvas);
  }
  // Has the analyst zoomed or panned since the last fit? (A resize keeps the corner and the scale.)
  function stillFitted(canvas) {
    if (fitted === FIT_PENDING) return true;
    if (!fitted) return false;
    var now = viewOf(canvas);
    var near = function (a, b) { return Math.abs(a - b) < 1e-6 * Math.max(1, Math.abs(a)); };
    return near(now.x, fitted.x) && near(now.y, fitted.y) && near(now.scale, fitted.scale);
  }
  // A narrower window cut the diagram's right edge off until "Fit to screen" was pressed: as long as the
  // analyst has not zoomed or panned since the last fit, the diagram is fitted again to the new size;
  // otherwise their view stays, the canvas only told that its size changed (canvas.resized()). The
  // canvas's own size is watched (ResizeObserver), not only the window's: the layout around it (the panel
  // beside it, a scroll bar, a message above) changes it too; a browser without it has the window's.
  var resizeFrame = 0;
  var lastSize = null;
  function canvasResized() {
    if (resizeFrame) return;
    resizeFrame = window.requestAnimationFrame(function () {
      resizeFrame = 0;
      var size = canvasElement.clientWidth + "x" + canvasElement.clientHeight;
      if (size === lastSize) return;  // the observer's first call, or a change that left the size as it was
      lastSize = size;
      var canvas = modeler.get("canvas");
      var refit = stillFitted(canvas);
      canvas.resized();
      if (refit) fit();
    });
  }
  if (typeof window.ResizeObserver === "function") new window.ResizeObserver(canvasResized).observe(canvasElement);
  else window.addEventListener("resize", canvasResized);

  // Shows a diagram; on failure the previous one comes back and the error is reported.
  // `version` ({id, number}) is the stored version the diagram is, null for a file from disk: the heatmap
  // and a refused rollback's problems go on the diagram of their own version only.
  function importDiagram(text, version) {
    return modeler.saveXML({ format: false }).catch(function () { return { xml: null }; }).then(function (before) {
      return modeler.importXML(text).then(function () {
        fit();
        setClean();
        editor.openVersion = version || null;
        return editor.afterImport();
      }, function (error) {
        var restore = before.xml ? modeler.importXML(before.xml) : Promise.resolve();
        return restore.then(function () {
          // The restored diagram's edits can no longer be undone: still unsaved until deployed or replaced.
          if (before.xml) setClean(dirty ? UNSAVED : stackTop());
          return editor.afterImport();
        }).then(function () { throw error; });
      });
    });
  }

  document.getElementById("fit-flow").addEventListener("click", function () {
    fit();
  });

  // A lane's word on the page (the contract's "lanes", editor_panel.lane_labels: Staff → BOK), as the
  // panel says it; a lane the contract does not name keeps its name from the diagram.
  function laneLabel(name) {
    return (portal.contract.lanes || {})[name] || name;
  }

  var editor = window.PortalFlowEditor = {
    root: root,
    texts: texts,
    modeler: modeler,
    dictionary: dictionary,
    result: result,
    tables: tables,
    // The version that was current when the edit began: a deploy sends it, and the server refuses it
    // (409 version_changed) when someone made another version current since, instead of dropping theirs.
    baseVersionId: texts.versionId,
    // The stored version the diagram open here was drawn from ({id, number}; null: a file from disk, or
    // nothing could be drawn). Edits since keep it: their elements are still that version's.
    openVersion: null,
    // Called once a diagram replaced the one shown (or came back after a failure): the heatmap's redraw.
    afterImport: function () {},
    el: el,
    format: format,
    plural: plural,
    csrf: csrf,
    checkSession: checkSession,
    apiUrl: apiUrl,
    getJson: getJson,
    nameOf: nameOf,
    typeLabel: typeLabel,
    elementLabel: elementLabel,
    elementNames: elementNames,
    elementNamesOfXml: elementNamesOfXml,
    laneLabel: laneLabel,
    show: show,
    showDetailed: showDetailed,
    post: post,
    run: run,
    setClean: setClean,
    mayReplace: mayReplace,
    importDiagram: importDiagram
  };

  // --- start-up ------------------------------------------------------------------------------------------
  // Once every part of the editor has run (deferred scripts run before DOMContentLoaded): their listeners
  // (the element list's import.done) hear the first import.
  document.addEventListener("DOMContentLoaded", function () {
    modeler.importXML(xml).then(function () {
      fit();
      setClean();
      editor.openVersion = { id: String(texts.versionId), number: texts.versionNumber };
      root.dataset.loaded = "true";
    }).catch(function (error) {
      showDetailed(texts.textImport, error);
      showNextStep();
    });
    getJson(texts.optionsUrl).then(function (data) {
      // A user task names a form of its own process (<process>/<task>).
      portal.options.formKeys = data.form_keys.filter(function (key) { return key.indexOf(texts.processKey + "/") === 0; });
      portal.options.operations = data.service_operations;
      modeler.get("eventBus").fire("propertiesPanel.providersChanged");
    }).catch(function () { /* the selects still offer the values the diagram has */ });
  });
})();
