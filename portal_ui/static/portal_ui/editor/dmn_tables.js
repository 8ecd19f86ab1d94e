/* The DMN decision tables of the flow (its business-rule tasks) as editable tables: each cell of each
   rule is a text field, rules can be added and removed, a table can be downloaded as a .dmn file or
   replaced from one. The flow editor sends the tables with Validate, Test run and Deploy
   (window.PortalDmnTables.current()), so a table is checked and deployed together with its process;
   it counts the tables' edits as unsaved until a deploy (onChange, isDirty, markSaved), and a problem
   keyed by a rule, a column or a table selects it (locate). */
(function () {
  "use strict";
  var root = document.getElementById("dmn-tables");
  if (!root) return;
  var texts = root.dataset;
  var list = document.getElementById("dmn-table-list");
  var status = document.getElementById("dmn-status");
  var docs = {};  // decision id → XML document being edited
  var saved = "";  // the tables as last deployed (or shown), serialized: what "no edits" means
  var listeners = [];

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function kids(node, local) {
    return Array.prototype.filter.call(node.children, function (c) { return c.localName === local; });
  }
  function textOf(node) {
    var t = kids(node, "text")[0];
    return t ? t.textContent : "";
  }
  function setText(node, value) {
    var t = kids(node, "text")[0];
    if (!t) {
      t = node.ownerDocument.createElementNS(node.namespaceURI, "text");
      node.appendChild(t);
    }
    t.textContent = value;
  }
  function parse(xml) {
    var doc = new DOMParser().parseFromString(xml, "application/xml");
    if (doc.getElementsByTagName("parsererror").length) throw new Error("not XML");
    var decision = kids(doc.documentElement, "decision")[0];
    if (!decision || !kids(decision, "decisionTable")[0]) throw new Error("no decision table");
    return doc;
  }
  function serialize(doc) {
    return new XMLSerializer().serializeToString(doc);
  }
  function download(text, name) {
    var link = el("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "application/xml" }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }
  function say(message) { status.textContent = message; }
  function newId(prefix) { return prefix + "_" + Date.now().toString(36) + Math.floor(Math.random() * 1e6).toString(36); }

  function cell(entry, label, onChange) {
    var input = el("input");
    input.type = "text";
    input.value = entry ? textOf(entry) : "";
    input.setAttribute("aria-label", label);
    input.addEventListener("input", function () { onChange(input.value); changed(); });
    return input;
  }

  function current() {
    var out = {};
    Object.keys(docs).forEach(function (id) { out[id] = serialize(docs[id]); });
    return out;
  }
  // Edited means different from the saved tables: typing a cell back to its value is no edit.
  function isDirty() { return JSON.stringify(current()) !== saved; }
  function changed() {
    root.dataset.dirty = isDirty() ? "true" : "false";
    listeners.forEach(function (listener) { listener(); });
  }

  function render(id) {
    var doc = docs[id];
    var decision = kids(doc.documentElement, "decision")[0];
    var table = kids(decision, "decisionTable")[0];
    var inputs = kids(table, "input");
    var outputs = kids(table, "output");
    var section = el("section", undefined, "dmn-table-card");
    section.dataset.decisionId = id;
    // The properties panel's business-rule task links here; the link moves the focus to the table.
    section.id = "dmn-table-" + id;
    section.tabIndex = -1;
    section.dataset.dmnIds = [id, decision.getAttribute("id"), table.getAttribute("id")].join(" ");
    var head = el("h3");
    head.appendChild(document.createTextNode((decision.getAttribute("name") || id) + " "));
    head.appendChild(el("code", id));
    section.appendChild(head);
    section.appendChild(el("p", texts.textHitPolicy + ": " + (table.getAttribute("hitPolicy") || "UNIQUE"), "muted"));

    var tools = el("div", undefined, "editor-toolbar");
    var add = el("button", texts.textAddRule, "button");
    add.type = "button";
    add.addEventListener("click", function () {
      var rules = kids(table, "rule");
      var rule = doc.createElementNS(table.namespaceURI, "rule");
      rule.setAttribute("id", newId("rule"));
      inputs.forEach(function () {
        var entry = doc.createElementNS(table.namespaceURI, "inputEntry");
        entry.setAttribute("id", newId("in"));
        setText(entry, "-");
        rule.appendChild(entry);
      });
      outputs.forEach(function () {
        var entry = doc.createElementNS(table.namespaceURI, "outputEntry");
        entry.setAttribute("id", newId("out"));
        setText(entry, "");
        rule.appendChild(entry);
      });
      // Before the last rule: with hit policy FIRST the last row is usually the catch-all.
      table.insertBefore(rule, rules.length ? rules[rules.length - 1] : null);
      rerender();
      changed();
    });
    var save = el("button", texts.textDownload, "button");
    save.type = "button";
    save.addEventListener("click", function () { download(serialize(doc), id + ".dmn"); });
    tools.appendChild(add);
    tools.appendChild(save);
    section.appendChild(tools);

    var wrap = el("div", undefined, "table-wrap");
    var grid = el("table", undefined, "dmn-table");
    var caption = el("caption", texts.textCaption);
    grid.appendChild(caption);
    var thead = el("thead");
    var row = el("tr");
    row.appendChild(el("th", "#"));
    inputs.forEach(function (input) {
      var th = el("th", input.getAttribute("label") || input.getAttribute("id"), "dmn-input");
      th.dataset.dmnIds = input.getAttribute("id") || "";
      var expr = kids(input, "inputExpression")[0];
      th.appendChild(el("code", expr ? textOf(expr) : ""));
      th.scope = "col";
      row.appendChild(th);
    });
    outputs.forEach(function (output) {
      var th = el("th", output.getAttribute("label") || "", "dmn-output");
      th.dataset.dmnIds = output.getAttribute("id") || "";
      th.appendChild(el("code", output.getAttribute("name") || ""));
      th.scope = "col";
      row.appendChild(th);
    });
    row.appendChild(el("th", texts.textDescription));
    row.appendChild(el("th", ""));
    thead.appendChild(row);
    grid.appendChild(thead);
    var tbody = el("tbody");
    kids(table, "rule").forEach(function (rule, index) {
      var tr = el("tr");
      tr.dataset.ruleId = rule.getAttribute("id");
      tr.dataset.dmnIds = rule.getAttribute("id") || "";
      tr.appendChild(el("th", String(index + 1)));
      var ins = kids(rule, "inputEntry");
      var outs = kids(rule, "outputEntry");
      inputs.forEach(function (input, i) {
        var td = el("td");
        var label = texts.textRule + " " + (index + 1) + ", " + (input.getAttribute("label") || "");
        td.appendChild(cell(ins[i], label, function (value) { setText(ins[i], value); }));
        tr.appendChild(td);
      });
      outputs.forEach(function (output, i) {
        var td = el("td");
        var label = texts.textRule + " " + (index + 1) + ", " + (output.getAttribute("name") || "");
        td.appendChild(cell(outs[i], label, function (value) { setText(outs[i], value); }));
        tr.appendChild(td);
      });
      var desc = kids(rule, "description")[0];
      var td = el("td");
      var input = el("input");
      input.type = "text";
      input.value = desc ? desc.textContent : "";
      input.setAttribute("aria-label", texts.textRule + " " + (index + 1) + ", " + texts.textDescription);
      input.addEventListener("input", function () {
        if (!desc) {
          desc = doc.createElementNS(table.namespaceURI, "description");
          rule.insertBefore(desc, rule.firstChild);
        }
        desc.textContent = input.value;
        changed();
      });
      td.appendChild(input);
      tr.appendChild(td);
      var remove = el("button", texts.textRemove, "link-button");
      remove.type = "button";
      remove.addEventListener("click", function () { rule.remove(); rerender(); changed(); });
      var last = el("td");
      last.appendChild(remove);
      tr.appendChild(last);
      tbody.appendChild(tr);
    });
    grid.appendChild(tbody);
    wrap.appendChild(grid);
    section.appendChild(wrap);
    return section;
  }

  function rerender() {
    list.replaceChildren();
    var ids = Object.keys(docs);
    if (!ids.length) list.appendChild(el("p", texts.textNone, "muted"));
    ids.forEach(function (id) { list.appendChild(render(id)); });
  }

  function load(xml, key) {
    var doc = parse(xml);
    var decision = kids(doc.documentElement, "decision")[0];
    var id = decision.getAttribute("id") || key;
    docs[id] = doc;
    return id;
  }

  var shipped = JSON.parse(document.getElementById("dmn-xml").textContent || "{}");
  Object.keys(shipped).forEach(function (key) {
    try { load(shipped[key], key); } catch (error) { say(texts.textNotDmn + " " + key); }
  });
  rerender();
  saved = JSON.stringify(current());
  root.dataset.dirty = "false";

  document.getElementById("upload-dmn").addEventListener("change", function (event) {
    var file = event.target.files && event.target.files[0];
    if (!file) return;
    file.text().then(function (xml) {
      try {
        var id = load(xml, file.name.replace(/\.dmn$/, ""));
        rerender();
        changed();
        say(texts.textUploaded.split("%(name)s").join(id));
      } catch (error) {
        say(texts.textNotDmn + " " + file.name);
      }
      event.target.value = "";
    });
  });

  // The rule row, column header or table a problem is keyed by (workflows/dmn.py keys them so), with
  // how the problem list names it: the table by its name, the id in brackets.
  function locate(id) {
    var node = Array.prototype.filter.call(list.querySelectorAll("[data-dmn-ids]"), function (candidate) {
      return candidate.dataset.dmnIds.split(" ").indexOf(id) >= 0;
    })[0];
    if (!node) return null;
    var card = node.closest(".dmn-table-card");
    var name = card ? card.querySelector("h3").firstChild.textContent.trim() : "";
    return {
      label: texts.textTable + " „" + name + "” (" + id + ")",
      mark: function () { node.classList.add("has-error"); },
      focus: function () {
        node.scrollIntoView({ block: "center" });
        var field = node.querySelector("input");
        if (field) field.focus();
      }
    };
  }

  // Each table's decision id and name, for the business-rule tasks' select in the properties panel.
  function names() {
    return Object.keys(docs).map(function (id) {
      var decision = kids(docs[id].documentElement, "decision")[0];
      return { id: id, name: decision.getAttribute("name") || id };
    });
  }

  window.PortalDmnTables = {
    current: current,
    names: names,
    isDirty: isDirty,
    // The tables sent with a deploy that succeeded are the saved ones (an edit made meanwhile is not).
    markSaved: function (tables) {
      saved = JSON.stringify(tables);
      changed();
    },
    onChange: function (listener) { listeners.push(listener); },
    locate: locate,
    clearMarks: function () {
      list.querySelectorAll(".has-error").forEach(function (node) { node.classList.remove("has-error"); });
    }
  };
})();
