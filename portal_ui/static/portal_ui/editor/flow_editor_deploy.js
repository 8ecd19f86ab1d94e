/* Flow editor (flow_editor.js): what the analyst API checks or changes. Validate and Test run check the
   diagram, Deploy makes it a new version after a confirmation naming the requests it leaves on the current
   one, and a rollback makes another version current again. */
(function () {
  "use strict";
  var editor = window.PortalFlowEditor;
  if (!editor) return;
  var texts = editor.texts;
  var result = editor.result;
  var tables = editor.tables;
  var el = editor.el;
  var format = editor.format;
  var plural = editor.plural;
  var show = editor.show;
  var post = editor.post;
  var run = editor.run;
  var versionSelect = document.getElementById("version-select");

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
  // Where they can be moved: below the editor when the flow has other versions; with the current one
  // alone, nowhere yet (the link below the editor appears after the deploy, and the sentence says so).
  function stayText(data) {
    return format(plural(data.only_version ? "textImpactStayFirst" : "textImpactStay", data.total), { n: data.number });
  }
  function impactText(data) {
    if (!data.total) return format(texts.textImpactNone, { n: data.number });
    var tasks = data.tasks.map(function (task) { return task.label + " (" + task.count + ")"; }).join(", ");
    return format(plural("textImpact", data.total), { n: data.number, count: data.total, tasks: tasks }) +
      " " + stayText(data);
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
      keep.addEventListener("click", editor.downloadEdited);
      return editor.loadVersions().then(function () {
        var number = editor.knownCurrent.number;
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
  // task, and a link to move them where the flow has another version to move them to (the browser's confirm
  // could hold neither a list nor a link). Its Deploy button starts the deploy in its own click, Cancel and
  // Esc just close it.
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
    box.appendChild(el("p", stayText(before)));
    if (before.only_version) return;
    var move = el("p");
    move.appendChild(link(texts.textMove, texts.migrationsUrl, true));
    box.appendChild(move);
  }

  // The dialog of a diagram some version already holds (the server's rule, workflows/deployment.py
  // deployed_version_of, asked before it opens): it says so, and its Deploy button is off, since a deploy
  // would store nothing (the current version) or be refused (an older one: a rollback).
  var dialogTitle = document.getElementById("deploy-dialog-title");
  var dialogTitleText = dialogTitle ? dialogTitle.textContent : "";
  var dialogNew = document.getElementById("deploy-dialog-new");
  var confirmButton = document.getElementById("deploy-confirm");
  function deployedText(version) {
    if (!version) return "";
    return format(version.is_current ? texts.textUnchanged : texts.textOldContent, { n: version.number });
  }
  function openDialog(before, version) {
    var same = deployedText(version);
    dialogTitle.textContent = same ? texts.textNothingToDeploy : dialogTitleText;
    dialogNew.hidden = Boolean(same);
    confirmButton.disabled = Boolean(same);
    if (same) {
      var box = document.getElementById("deploy-dialog-impact");
      box.replaceChildren(el("p", same));
      if (!version.is_current) {
        var rollback = el("p");
        rollback.appendChild(link(texts.textRollbackPage, texts.versionsPageUrl + "#version-" + version.number));
        box.appendChild(rollback);
      }
      confirming = null;
    } else {
      confirming = before;
      showImpact(before);
    }
    deployDialog.showModal();
  }

  document.getElementById("deploy-flow").addEventListener("click", function () {
    var before = impact();
    run(function () {
      return post(texts.deployedContentUrl).then(function (answer) {
        return answer.status === 200 ? answer.payload.version : null;
      }, function (error) {
        if (error && error.sessionLost) throw error;
        return null;  // not known: the deploy itself still says so
      }).then(function (version) {
        if (!deployDialog || typeof deployDialog.showModal !== "function") {
          if (version) show("ok", deployedText(version));
          else if (window.confirm(texts.textConfirm + "\n\n" + impactText(before))) deploy(before);
          return;
        }
        openDialog(before, version);
      });
    });
  });
  if (deployDialog) {
    document.getElementById("deploy-confirm").addEventListener("click", function () {
      var before = confirming;
      confirming = null;
      if (before) deploy(before);  // the form (method=dialog) closes the dialog after this click
    });
    deployDialog.addEventListener("close", function () {
      confirming = null;
      // The dialog opened after the check, while the toolbar was busy (its button disabled), so the
      // browser has no button to give the focus back to: it goes back to Deploy, not to the page's start.
      var now = document.activeElement;
      if (!now || now === document.body || deployDialog.contains(now)) {
        document.getElementById("deploy-flow").focus();
      }
    });
  }

  function deploy(before) {
    var deployButton = document.getElementById("deploy-flow");
    run(function () {
      return post(texts.deployUrl, { base_version_id: Number(editor.baseVersionId) }).then(function (answer) {
        var data = answer.payload;
        if (answer.status === 201 || answer.status === 200) {
          var template = answer.status === 201 ? texts.textDeployed : texts.textSame;
          // An edit made while it was on its way stays unsaved, in the diagram and in the tables.
          if (tables) tables.markSaved(answer.sentTables);
          editor.setClean(answer.sent);
          editor.baseVersionId = String(data.id);  // the next edit begins on the version just deployed
          editor.openVersion = { id: String(data.id), number: data.number };  // the diagram open is it now
          show("ok", format(template, { n: data.number }));
          if (answer.status === 201 && before.total) {
            // Which requests stay, as the dialog said, in a sentence that names them.
            var tasks = before.tasks.map(function (task) { return task.label + ": " + task.count; }).join(", ");
            result.appendChild(el("p", format(plural("textDeployedStay", before.total), {
              count: before.total, n: before.number, tasks: tasks
            })));
            actions([link(texts.textMove, texts.migrationsUrl)]);
          }
          return Promise.all([editor.loadVersions(data.id), refreshPage(true), editor.afterImport()]);
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

  // Rollback (workflows/apis.py ProcessVersionRollbackApi): new requests start on the chosen version again.
  // A refusal's reasons about the diagram (a failed test run) are listed under their elements; those about
  // the request itself (the version, the reason) are its message already, not "errors of the diagram".
  function diagramReasons(fields) {
    var found = {};
    Object.keys(fields || {}).forEach(function (key) {
      if (key !== "version_id" && key !== "reason") found[key] = fields[key];
    });
    return Object.keys(found).length ? found : undefined;
  }
  // A refused rollback's test run failed on the chosen version's diagram: its problems are marked there
  // when that diagram is the one open; otherwise they are listed (not marked on the wrong drawing, where
  // the same ids may be other steps), with the way to open that version and see them marked.
  function showRollbackRefusal(data, chosen) {
    var message = data.message || texts.textFailed;
    var reasons = diagramReasons(data.fields);
    var open = editor.openVersion;
    if (!reasons || (open && open.id === String(chosen.id))) {
      show("bad", message, reasons);
      return;
    }
    return namesOfVersion(chosen.id).then(function (names) {
      show("bad", message + " " + format(texts.textProblemsElsewhere, { n: chosen.number }), reasons, false, names);
      actions([openRefused(chosen, message, reasons)]);
    });
  }
  // A stored version's elements by name (id → name), read as the open diagram's are (editor.elementNames);
  // none if it cannot be read.
  function namesOfVersion(id) {
    return editor.getJson(editor.apiUrl(texts.versionUrl, id)).then(function (version) {
      return editor.elementNamesOfXml(version.bpmn_xml);
    }, function () { return {}; });
  }
  function openRefused(chosen, message, reasons) {
    var opener = el("button", format(texts.textOpenToSee, { n: chosen.number }), "link-button");
    opener.type = "button";
    opener.dataset.testid = "open-refused-version";
    opener.addEventListener("click", function () {
      if (!editor.mayReplace()) return;
      run(function () {
        return editor.openStoredVersion(chosen.id).then(function (opened) {
          if (opened) show("bad", message, reasons);
        });
      });
    });
    return opener;
  }

  document.getElementById("rollback-version").addEventListener("click", function () {
    var option = versionSelect.options[versionSelect.selectedIndex];
    // The current version already is: said at once, before a reason is asked for in vain.
    if (option && option.value === String(editor.knownCurrent.id)) {
      show("bad", format(texts.textAlreadyCurrent, { n: option.dataset.number }));
      return;
    }
    var reason = window.prompt(format(texts.textRollbackReason, { n: option ? option.dataset.number : "" }));
    if (!reason) return;
    var chosen = { id: versionSelect.value, number: option ? option.dataset.number : "" };
    run(function () {
      return fetch(editor.apiUrl(texts.rollbackUrl, chosen.id), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": editor.csrf() },
        body: JSON.stringify({ reason: reason })
      }).then(function (response) {
        return response.json().then(function (data) {
          editor.checkSession(response.status, data);
          if (!response.ok) return showRollbackRefusal(data, chosen);
          show("ok", format(texts.textRolledBack, { n: data.number }));
          // The analyst made it current: the edit here goes on from it, not from a change of someone else.
          editor.baseVersionId = String(data.id);
          // the options' "current" and "newer" move with it, and so do the versions' list and the requests
          return Promise.all([editor.loadVersions(), refreshPage(false)]);
        });
      });
    });
  });
})();
