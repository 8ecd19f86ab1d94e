/* Flow editor: bpmn-js Modeler on the newest version's XML; Validate and Deploy go through the analyst
   API, and each error names a BPMN element, which is marked on the canvas and can be jumped to. */
(function () {
  "use strict";
  var root = document.getElementById("flow-editor");
  if (!root || typeof window.BpmnJS !== "function") return;
  var texts = root.dataset;
  var result = document.getElementById("editor-result");
  var xml = JSON.parse(document.getElementById("bpmn-xml").textContent);
  // Keyboard shortcuts (undo, delete, move the selection) work while focus is anywhere on the page.
  var modeler = new window.BpmnJS({ container: "#bpmn-canvas", keyboard: { bindTo: document } });
  root.modeler = modeler;  // for the browser tests and the console
  var marked = [];

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function csrf() {
    var input = root.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function clearMarks() {
    var canvas = modeler.get("canvas");
    marked.forEach(function (id) { canvas.removeMarker(id, "has-error"); });
    marked = [];
  }
  function focusElement(id) {
    var element = modeler.get("elementRegistry").get(id);
    if (!element) return;
    var canvas = modeler.get("canvas");
    if (typeof canvas.scrollToElement === "function") canvas.scrollToElement(element);
    modeler.get("selection").select(element);
  }
  function show(kind, message, errors) {
    clearMarks();
    result.replaceChildren();
    result.className = "editor-result " + kind;
    result.appendChild(el("p", message));
    if (!errors) return;
    var registry = modeler.get("elementRegistry");
    var canvas = modeler.get("canvas");
    var list = el("ul", undefined, "error-items");
    Object.keys(errors).forEach(function (id) {
      errors[id].forEach(function (text) {
        var item = el("li");
        if (registry.get(id)) {
          canvas.addMarker(id, "has-error");
          marked.push(id);
          var button = el("button", id, "link-button");
          button.type = "button";
          button.dataset.elementId = id;
          button.addEventListener("click", function () { focusElement(id); });
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

  function post(url) {
    return modeler.saveXML({ format: true }).then(function (saved) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify({ bpmn_xml: saved.xml })
      });
    }).then(function (response) {
      return response.json().then(function (payload) { return { status: response.status, payload: payload }; });
    });
  }

  function busy(on) {
    root.setAttribute("aria-busy", on ? "true" : "false");
    root.querySelectorAll(".editor-toolbar button").forEach(function (b) { b.disabled = on; });
  }

  document.getElementById("validate-flow").addEventListener("click", function () {
    busy(true);
    post(texts.validateUrl).then(function (answer) {
      var data = answer.payload;
      if (answer.status === 200 && data.valid) show("ok", texts.textValid);
      else show("bad", data.message || texts.textInvalid, data.errors || data.fields);
    }).catch(function () { show("bad", texts.textFailed); }).then(function () { busy(false); });
  });

  document.getElementById("deploy-flow").addEventListener("click", function () {
    if (!window.confirm(texts.textConfirm)) return;
    busy(true);
    post(texts.deployUrl).then(function (answer) {
      var data = answer.payload;
      if (answer.status === 201 || answer.status === 200) {
        var template = answer.status === 201 ? texts.textDeployed : texts.textSame;
        show("ok", template.replace("%(n)s", data.number));
        var link = el("a", texts.textReload);
        link.href = window.location.pathname;
        result.appendChild(link);
      } else {
        show("bad", data.message || texts.textInvalid, data.fields);
      }
    }).catch(function () { show("bad", texts.textFailed); }).then(function () { busy(false); });
  });

  document.getElementById("download-flow").addEventListener("click", function () {
    modeler.saveXML({ format: true }).then(function (saved) {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([saved.xml], { type: "application/xml" }));
      link.download = root.dataset.processKey + ".bpmn";
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  });

  document.getElementById("fit-flow").addEventListener("click", function () {
    modeler.get("canvas").zoom("fit-viewport");
  });

  modeler.importXML(xml).then(function () {
    modeler.get("canvas").zoom("fit-viewport");
    root.dataset.loaded = "true";
  }).catch(function (error) {
    show("bad", texts.textImport + " " + error.message);
  });
})();
