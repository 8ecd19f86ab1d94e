/* Flow editor: the bpmn-js Modeler with the properties panel (vendor/portal-modeler.min.js, built from
   src/) on the current version's XML. Validate and Deploy go through the analyst API, and each problem
   names a BPMN element, which is marked on the canvas and selected on click. A BPMN file can be opened
   from disk; any version can be opened or downloaded; the heatmap shows per element the requests there
   now and the median time spent there (workflows/heatmap_apis.py). */
(function () {
  "use strict";
  var root = document.getElementById("flow-editor");
  if (!root || !window.PortalModeler) return;
  var texts = root.dataset;
  var result = document.getElementById("editor-result");
  var summary = document.getElementById("heatmap-summary");
  var versionSelect = document.getElementById("version-select");
  var heatmapButton = document.getElementById("toggle-heatmap");
  var xml = JSON.parse(document.getElementById("bpmn-xml").textContent);
  var panelTexts = document.getElementById("modeler-texts").dataset;
  // The panel reads these on every render; the lists arrive from the API after start-up.
  // The request type's contract (editor_panel.py) comes with the page: each task's form, fixed timers.
  var portal = {
    texts: Object.assign({}, panelTexts),
    options: { formKeys: [], operations: [], decisionTables: [] },
    contract: JSON.parse(document.getElementById("editor-contract").textContent)
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
  var heatmapOn = false;
  // The version that was current when the edit began: a deploy sends it, and the server refuses it
  // (409 version_changed) when someone made another version current since, instead of dropping theirs.
  var baseVersionId = texts.versionId;
  var knownCurrent = { id: texts.versionId, number: null };
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
  function show(kind, message, errors) {
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
    Object.keys(errors).forEach(function (id) {
      [].concat(errors[id]).forEach(function (text) {
        var item = el("li");
        if (REQUEST_FIELDS.indexOf(id) >= 0) {
          item.textContent = text;
          list.appendChild(item);
          return;
        }
        var element = elementFor(id);
        var cell = !element && tables ? tables.locate(id) : null;
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
          item.appendChild(el("code", id));
        }
        item.appendChild(document.createTextNode(": " + text));
        list.appendChild(item);
      });
    });
    result.appendChild(list);
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
  // Runs one toolbar action with the buttons disabled; whatever happens (a failed request, an error
  // while showing the answer) the buttons come back. Disabling the pressed button drops the keyboard's
  // focus to the page's start: it goes back to that button (`returnTo`: the one to go back to when the
  // focus was elsewhere, the deploy dialog's), unless the analyst moved it meanwhile.
  function run(action, returnTo) {
    var pressed = returnTo || document.activeElement;
    busy(true);
    var done = function () {
      busy(false);
      var now = document.activeElement;
      if (pressed && pressed.isConnected && typeof pressed.focus === "function" && (!now || now === document.body)) {
        pressed.focus();
      }
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
  // its natural size. Opened, a large diagram is not shrunk below READABLE_ZOOM, where its names could no
  // longer be read: the analyst scrolls it instead. "Fit to screen" shows the whole of it, down to
  // OVERVIEW_ZOOM. On a phone the palette is hidden (modeler.css: the page is for reading there).
  var READABLE_ZOOM = 0.7;
  var OVERVIEW_ZOOM = 0.3;
  var MARGIN = 16;
  function fit(minZoom) {
    var canvas = modeler.get("canvas");
    canvas.zoom("fit-viewport");
    var inner = canvas.viewbox().inner;
    var container = canvas.getContainer();
    var size = { width: container.clientWidth, height: container.clientHeight };
    var palette = container.querySelector(".djs-palette");
    var shown = palette && palette.getClientRects().length > 0;
    var left = (shown ? palette.getBoundingClientRect().right - container.getBoundingClientRect().left : 0) + MARGIN;
    if (!inner.width || !inner.height || !size.width || !size.height) return;
    var scale = Math.min((size.width - left - MARGIN) / inner.width, (size.height - 2 * MARGIN) / inner.height);
    scale = Math.max(minZoom || READABLE_ZOOM, Math.min(1, scale));
    canvas.viewbox({
      x: inner.x - left / scale, y: inner.y - MARGIN / scale, width: size.width / scale, height: size.height / scale
    });
  }

  function download(text, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "application/xml" }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  // Shows a diagram; on failure the previous one comes back and the error is reported.
  function importDiagram(text) {
    return modeler.saveXML({ format: false }).catch(function () { return { xml: null }; }).then(function (before) {
      return modeler.importXML(text).then(function () {
        fit();
        setClean();
        if (heatmapOn) return loadHeatmap();
      }, function (error) {
        var restore = before.xml ? modeler.importXML(before.xml) : Promise.resolve();
        return restore.then(function () {
          // The restored diagram's edits can no longer be undone: still unsaved until deployed or replaced.
          if (before.xml) setClean(dirty ? UNSAVED : stackTop());
          if (heatmapOn) return loadHeatmap();
        }).then(function () { throw error; });
      });
    });
  }

  document.getElementById("validate-flow").addEventListener("click", function () {
    run(function () {
      return post(texts.validateUrl).then(function (answer) {
        var data = answer.payload;
        if (answer.status === 200 && data.valid) show("ok", texts.textValid);
        else show("bad", data.message || texts.textInvalid, data.errors || data.fields);
      });
    });
  });

  // The requests on the current version (the page's data, editor_context.deploy_impact) and where they are:
  // a deploy leaves them there, which the confirmation says.
  function impact() { return JSON.parse(document.getElementById("deploy-impact").textContent); }
  function impactText(data) {
    if (!data.total) return format(texts.textImpactNone, { n: data.number });
    var tasks = data.tasks.map(function (task) { return task.label + " (" + task.count + ")"; }).join(", ");
    return format(plural("textImpact", data.total), { n: data.number, count: data.total, tasks: tasks }) +
      " " + format(texts.textImpactStay, { n: data.number });
  }
  function link(text, href, newTab) {
    var node = el("a", text);
    node.href = href;
    if (newTab) {
      node.target = "_blank";
      node.rel = "noopener";
    }
    return node;
  }
  function actions(nodes) {
    var line = el("p", undefined, "result-actions");
    nodes.forEach(function (node, index) {
      if (index) line.appendChild(document.createTextNode(" · "));
      line.appendChild(node);
    });
    result.appendChild(line);
  }
  function downloadEdited() {
    return modeler.saveXML({ format: true }).then(function (saved) {
      download(saved.xml, texts.processKey + ".bpmn");
    });
  }
  // The page's server-rendered parts that a deploy or a rollback changes (the intro naming the version
  // edited, the versions with their requests, the requests the next deploy leaves behind), read again.
  function refreshPage(withIntro) {
    return fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } }).then(function (response) {
      if (!response.ok) return;
      return response.text().then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var parts = ["#versions-card", "#deploy-impact"].concat(withIntro ? ['[data-testid="editing-version"]'] : []);
        parts.forEach(function (selector) {
          var now = document.querySelector(selector);
          var next = fresh.querySelector(selector);
          if (now && next) now.replaceWith(document.importNode(next, true));
        });
      });
    });
  }
  // The refusals of a deploy that keep the analyst's edits here and say what to do with them.
  function showRefusal(data) {
    show("bad", data.message || texts.textInvalid, data.fields);
    if (data.code === "version_changed") {
      var keep = el("button", texts.textKeep, "link-button");
      keep.type = "button";
      keep.addEventListener("click", downloadEdited);
      return loadVersions().then(function () {
        var number = knownCurrent.number;
        actions([
          keep,
          link(format(texts.textOpenCurrent, { n: number }), window.location.pathname, true),
          link(texts.textCompare, texts.versionsPageUrl + (number ? "#version-" + number : ""), true)
        ]);
        return refreshPage(false);
      });
    }
    if (data.code === "old_version_content") actions([link(texts.textRollbackPage, texts.versionsPageUrl)]);
  }

  // The confirmation as a dialog of the page: the requests the deploy leaves on the current version, task by
  // task, and a link to move them (the browser's confirm could hold neither a list nor a link). Its Deploy
  // button starts the deploy in its own click, Cancel and Esc just close it.
  var deployDialog = document.getElementById("deploy-dialog");
  var confirming = null;  // the impact the open dialog shows
  function showImpact(before) {
    var box = document.getElementById("deploy-dialog-impact");
    box.textContent = "";
    if (!before.total) {
      box.appendChild(el("p", format(texts.textImpactNone, { n: before.number })));
      return;
    }
    box.appendChild(el("p", format(plural("textImpactCount", before.total), { n: before.number, count: before.total })));
    var list = el("ul", undefined, "impact-tasks");
    before.tasks.forEach(function (task) { list.appendChild(el("li", task.label + ": " + task.count)); });
    box.appendChild(list);
    box.appendChild(el("p", format(texts.textImpactStay, { n: before.number })));
    var move = el("p");
    move.appendChild(link(texts.textMove, texts.migrationsUrl, true));
    box.appendChild(move);
  }

  document.getElementById("deploy-flow").addEventListener("click", function () {
    var before = impact();
    if (!deployDialog || typeof deployDialog.showModal !== "function") {
      if (window.confirm(texts.textConfirm + "\n\n" + impactText(before))) deploy(before);
      return;
    }
    confirming = before;
    showImpact(before);
    deployDialog.showModal();
  });
  if (deployDialog) {
    document.getElementById("deploy-confirm").addEventListener("click", function () {
      var before = confirming;
      confirming = null;
      if (before) deploy(before);  // the form (method=dialog) closes the dialog after this click
    });
    deployDialog.addEventListener("close", function () { confirming = null; });
  }

  function deploy(before) {
    var deployButton = document.getElementById("deploy-flow");
    run(function () {
      return post(texts.deployUrl, { base_version_id: Number(baseVersionId) }).then(function (answer) {
        var data = answer.payload;
        if (answer.status === 201 || answer.status === 200) {
          var template = answer.status === 201 ? texts.textDeployed : texts.textSame;
          // An edit made while it was on its way stays unsaved, in the diagram and in the tables.
          if (tables) tables.markSaved(answer.sentTables);
          setClean(answer.sent);
          baseVersionId = String(data.id);  // the next edit begins on the version just deployed
          show("ok", format(template, { n: data.number }));
          if (answer.status === 201 && before.total) {
            // Which requests stay, as the dialog said, in a sentence that names them.
            var tasks = before.tasks.map(function (task) { return task.label + ": " + task.count; }).join(", ");
            result.appendChild(el("p", format(plural("textDeployedStay", before.total), {
              count: before.total, n: before.number, tasks: tasks
            })));
            actions([link(texts.textMove, texts.migrationsUrl)]);
          }
          return Promise.all([loadVersions(data.id), refreshPage(true)]);
        }
        return showRefusal(data);
      });
    }, deployButton);
  }

  // Test run (workflows/apis.py BpmnTestRunApi): every path of the process's contract on this diagram.
  document.getElementById("test-flow").addEventListener("click", function () {
    run(function () {
      return post(texts.testRunUrl).then(function (answer) {
        var data = answer.payload;
        if (answer.status !== 200) {
          show("bad", data.message || texts.textInvalid, data.fields);
          return;
        }
        // Paths that stopped at the same element for the same reason (a broken table stops every path)
        // are one problem naming them all.
        var stopped = {};
        data.paths.forEach(function (path) {
          if (path.status !== "failed") return;
          var reasons = stopped[path.element_id || path.path] = stopped[path.element_id || path.path] || {};
          (reasons[path.reason] = reasons[path.reason] || []).push(path.label);
        });
        var problems = {};
        Object.keys(stopped).forEach(function (key) {
          problems[key] = Object.keys(stopped[key]).map(function (reason) {
            return stopped[key][reason].join("; ") + (reason ? " — " + reason : "");
          });
        });
        if (data.passed) show("ok", texts.textTestPassed);
        else show("bad", texts.textTestFailed, problems);
        var list = el("ul", undefined, "test-paths");
        data.paths.forEach(function (path) {
          var status = texts["textStatus" + path.status.charAt(0).toUpperCase() + path.status.slice(1)] || path.status;
          var reason = path.status === "skipped" && path.reason ? " (" + path.reason + ")" : "";
          var item = el("li", path.label + ": " + status + reason, "test-path " + path.status);
          item.dataset.path = path.path;
          list.appendChild(item);
        });
        result.appendChild(list);
      });
    });
  });

  document.getElementById("download-flow").addEventListener("click", downloadEdited);

  document.getElementById("fit-flow").addEventListener("click", function () {
    fit(OVERVIEW_ZOOM);
  });

  // --- opening a file from disk ---------------------------------------------------------------------
  // Why a file could not be shown, in the page's language: bpmn-js's parser message (English) only as a
  // folded technical detail, its line and column in the sentence.
  function showUnreadable(name, error) {
    var detail = error && error.message ? String(error.message) : "";
    var line = /line:\s*(\d+)/.exec(detail);
    var column = /column:\s*(\d+)/.exec(detail);
    var message = line
      ? format(texts.textUnreadableAt, { name: name, line: line[1], column: column ? column[1] : "?" })
      : format(texts.textUnreadable, { name: name });
    show("bad", message);
    if (!detail || error.notBpmn) return;
    var more = el("details", undefined, "technical-detail");
    more.appendChild(el("summary", texts.textDetail));
    more.appendChild(el("pre", detail));
    result.appendChild(more);
  }
  // A file's text in the encoding its XML declaration names (UTF-8 without one, as XML says); file.text()
  // would read an ISO-8859-2 file's Polish letters as garbage. An encoding the browser does not know is
  // refused in words rather than guessed.
  function readXml(file) {
    return file.arrayBuffer().then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      var utf16 = bytes.length > 1 && ((bytes[0] === 0xFF && bytes[1] === 0xFE) || (bytes[0] === 0xFE && bytes[1] === 0xFF));
      var head = new TextDecoder("latin1").decode(bytes.subarray(0, 200));
      var declared = /^(?:\uFEFF|\u00EF\u00BB\u00BF)?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z][\w.:-]*)["']/.exec(head);
      var label = utf16 ? (bytes[0] === 0xFF ? "utf-16le" : "utf-16be") : (declared ? declared[1] : "utf-8");
      var decoder;
      try {
        decoder = new TextDecoder(label);
      } catch (unknown) {
        var refused = new Error(label);
        refused.unknownEncoding = label;
        throw refused;
      }
      // The declaration is dropped: the text is decoded now, and the parser must not decode it again.
      return decoder.decode(bytes).replace(/^\uFEFF?<\?xml[^>]*\?>/, "");
    });
  }
  var upload = document.getElementById("upload-flow");
  var maxBytes = Number(texts.maxBytes) || Infinity;
  upload.addEventListener("change", function () {
    var file = upload.files && upload.files[0];
    if (!file) return;
    // Refused before it is read: drawing a huge file freezes the tab, and the server refuses it anyway.
    if (file.size > maxBytes) {
      show("bad", format(texts.textTooLarge, { name: file.name, limit: texts.maxMegabytes }));
      upload.value = "";
      return;
    }
    if (!mayReplace()) {
      upload.value = "";
      return;
    }
    run(function () {
      return readXml(file).then(function (text) {
        if (!/<([\w-]+:)?definitions[\s>]/.test(text) || text.indexOf("http://www.omg.org/spec/BPMN/20100524/MODEL") < 0) {
          var notBpmn = new Error("no bpmn:definitions");
          notBpmn.notBpmn = true;
          throw notBpmn;
        }
        return importDiagram(text);
      }).then(function () {
        show("ok", format(texts.textUploaded, { name: file.name }));
      }, function (error) {
        if (error && error.notBpmn) show("bad", format(texts.textNotBpmn, { name: file.name }));
        else if (error && error.unknownEncoding) {
          show("bad", format(texts.textEncoding, { name: file.name, encoding: error.unknownEncoding }));
        } else showUnreadable(file.name, error);
      });
    }).then(function () { upload.value = ""; });
  });

  // --- versions: open, download, heatmap ---------------------------------------------------------------
  // The options say which version is current (new requests start there) and which newer ones are not,
  // e.g. the one rolled back from.
  function loadVersions(selectId) {
    return getJson(texts.versionsUrl).then(function (versions) {
      var keep = String(selectId || versionSelect.value);
      var current = versions.filter(function (v) { return v.is_current; })[0];
      if (current) knownCurrent = { id: String(current.id), number: current.number };
      versionSelect.replaceChildren();
      versions.forEach(function (version) {
        var label = "v" + version.number;
        if (version.is_current) label = format(texts.textVersionCurrent, { n: version.number });
        else if (current && version.number > current.number) label = format(texts.textVersionNewer, { n: version.number });
        var option = el("option", label);
        option.value = String(version.id);
        option.dataset.number = String(version.number);
        versionSelect.appendChild(option);
      });
      if (versions.some(function (v) { return String(v.id) === keep; })) versionSelect.value = keep;
    });
  }
  function selectedVersion() {
    return getJson(apiUrl(texts.versionUrl, versionSelect.value));
  }

  document.getElementById("open-version").addEventListener("click", function () {
    if (!mayReplace()) return;
    run(function () {
      return selectedVersion().then(function (version) {
        return importDiagram(version.bpmn_xml).then(function () {
          // The current version opened: the edit begins on it (an older one opened on purpose keeps the
          // base, the current version the analyst knew of).
          if (version.is_current) baseVersionId = String(version.id);
          show("ok", format(texts.textOpened, { n: version.number }));
        });
      });
    });
  });

  document.getElementById("download-version").addEventListener("click", function () {
    run(function () {
      return selectedVersion().then(function (version) {
        download(version.bpmn_xml, version.process_key + "-v" + version.number + ".bpmn");
      });
    });
  });

  // Rollback (workflows/apis.py ProcessVersionRollbackApi): new requests start on the chosen version again.
  document.getElementById("rollback-version").addEventListener("click", function () {
    var option = versionSelect.options[versionSelect.selectedIndex];
    var reason = window.prompt(format(texts.textRollbackReason, { n: option ? option.dataset.number : "" }));
    if (!reason) return;
    run(function () {
      return fetch(apiUrl(texts.rollbackUrl, versionSelect.value), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify({ reason: reason })
      }).then(function (response) {
        return response.json().then(function (data) {
          checkSession(response.status, data);
          if (!response.ok) {
            show("bad", data.message || texts.textFailed, data.fields);
            return;
          }
          show("ok", format(texts.textRolledBack, { n: data.number }));
          // The analyst made it current: the edit here goes on from it, not from a change of someone else.
          baseVersionId = String(data.id);
          // the options' "current" and "newer" move with it, and so do the versions' list and the requests
          return Promise.all([loadVersions(), refreshPage(false)]);
        });
      });
    });
  });

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return "";
    var days = Math.floor(seconds / 86400);
    var hours = Math.floor((seconds % 86400) / 3600);
    var minutes = Math.max(1, Math.round((seconds % 3600) / 60));
    if (days) return format(texts.textDays, { n: days }) + (hours ? " " + format(texts.textHours, { n: hours }) : "");
    if (hours) return format(texts.textHours, { n: hours });
    return format(texts.textMinutes, { n: minutes });
  }
  function clearHeatmap() {
    modeler.get("overlays").remove({ type: "heatmap" });
    summary.textContent = "";
  }
  function loadHeatmap() {
    var versionId = versionSelect.value;
    return getJson(apiUrl(texts.heatmapUrl, versionId)).then(function (data) {
      if (!heatmapOn) return;
      clearHeatmap();
      var registry = modeler.get("elementRegistry");
      var overlays = modeler.get("overlays");
      var most = Math.max.apply(null, [1].concat(data.elements.map(function (e) { return e.running; })));
      var total = 0;
      data.elements.forEach(function (heat) {
        total += heat.running;
        if (!registry.get(heat.element_id)) return;  // not in the diagram shown (edited or another version)
        var level = heat.running ? Math.max(1, Math.ceil((4 * heat.running) / most)) : 0;
        var badge = el("div", undefined, "heat-badge heat-" + level);
        badge.dataset.elementId = heat.element_id;
        badge.dataset.running = String(heat.running);
        badge.appendChild(el("span", heat.running + " " + texts.textNow, "heat-count"));
        if (heat.median_seconds !== null) {
          badge.appendChild(el("span", texts.textMedian + " " + duration(heat.median_seconds), "heat-median"));
        }
        overlays.add(heat.element_id, "heatmap", { position: { top: -12, left: -12 }, html: badge });
      });
      summary.textContent = format(plural("textHeatmap", total), { n: data.number, count: total });
    });
  }
  heatmapButton.addEventListener("click", function () {
    heatmapOn = !heatmapOn;
    heatmapButton.setAttribute("aria-pressed", heatmapOn ? "true" : "false");
    if (!heatmapOn) {
      clearHeatmap();
      return;
    }
    run(loadHeatmap);
  });
  versionSelect.addEventListener("change", function () {
    if (heatmapOn) run(loadHeatmap);
  });

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
  // The element's lane: the lane whose flow node references hold it.
  function laneOf(element) {
    var bo = element.businessObject;
    var lane = modeler.get("elementRegistry").filter(function (e) {
      return e.type === "bpmn:Lane" && (e.businessObject.flowNodeRef || []).indexOf(bo) >= 0;
    })[0];
    return lane ? nameOf(lane) || lane.id : "";
  }
  function describe(element) {
    var name = nameOf(element);
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
  function nameToggles() {
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

  // --- start-up ------------------------------------------------------------------------------------------
  modeler.importXML(xml).then(function () {
    fit();
    setClean();
    root.dataset.loaded = "true";
  }).catch(function (error) {
    show("bad", texts.textImport + " " + error.message);
  });
  getJson(texts.optionsUrl).then(function (data) {
    // A user task names a form of its own process (<process>/<task>).
    portal.options.formKeys = data.form_keys.filter(function (key) { return key.indexOf(texts.processKey + "/") === 0; });
    portal.options.operations = data.service_operations;
    modeler.get("eventBus").fire("propertiesPanel.providersChanged");
  }).catch(function () { /* the selects still offer the values the diagram has */ });
  loadVersions(texts.versionId).catch(function () { /* the current version stays the only choice */ });
})();
