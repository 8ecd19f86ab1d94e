/* Flow editor (flow_editor.js): diagrams into and out of the page. A BPMN file can be opened from disk and
   the edited diagram downloaded; any version can be opened or downloaded; the heatmap shows on the version open per
   element the requests there now and the median time spent there (workflows/heatmap_apis.py). */
(function () {
  "use strict";
  var editor = window.PortalFlowEditor;
  if (!editor) return;
  var texts = editor.texts;
  var modeler = editor.modeler;
  var result = editor.result;
  var el = editor.el;
  var format = editor.format;
  var plural = editor.plural;
  var show = editor.show;
  var run = editor.run;
  var getJson = editor.getJson;
  var apiUrl = editor.apiUrl;
  var summary = document.getElementById("heatmap-summary");
  var versionSelect = document.getElementById("version-select");
  var heatmapButton = document.getElementById("toggle-heatmap");
  var heatmapOn = false;
  // The current version as the versions' list last said (a refused deploy links to it).
  editor.knownCurrent = { id: texts.versionId, number: null };

  function download(text, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "application/xml" }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }
  function downloadEdited() {
    return modeler.saveXML({ format: true }).then(function (saved) {
      download(saved.xml, texts.processKey + ".bpmn");
    });
  }

  document.getElementById("download-flow").addEventListener("click", downloadEdited);

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
    editor.showDetailed(message, error && !error.notBpmn ? error : null);
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
    if (!editor.mayReplace()) {
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
        return editor.importDiagram(text, null);
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
      if (current) editor.knownCurrent = { id: String(current.id), number: current.number };
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
  function optionOf(id) {
    return [].filter.call(versionSelect.options, function (option) { return option.value === String(id); })[0];
  }

  // Opens a stored version in the editor (after the analyst agreed to lose the edits); resolves to whether
  // it was drawn. One that cannot be drawn leaves the diagram open before, and says so.
  function openStoredVersion(id) {
    return getJson(apiUrl(texts.versionUrl, id)).then(function (version) {
      var opened = { id: String(version.id), number: version.number };
      return editor.importDiagram(version.bpmn_xml, opened).then(function () {
        // The current version opened: the edit begins on it (an older one opened on purpose keeps the
        // base, the current version the analyst knew of).
        if (version.is_current) editor.baseVersionId = String(version.id);
        show("ok", format(texts.textOpened, { n: version.number }));
        return true;
      }, function (error) {
        // The server answered: its version is what cannot be drawn (e.g. a file without its layout), and
        // the diagram open before is back (importDiagram).
        editor.showDetailed(format(texts.textNotShown, { n: version.number }), error);
        return false;
      });
    });
  }

  document.getElementById("open-version").addEventListener("click", function () {
    if (!editor.mayReplace()) return;
    run(function () { return openStoredVersion(versionSelect.value); });
  });

  document.getElementById("download-version").addEventListener("click", function () {
    run(function () {
      return selectedVersion().then(function (version) {
        download(version.bpmn_xml, version.process_key + "-v" + version.number + ".bpmn");
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
    heatmapText = "";
    summary.textContent = "";
  }
  // The heatmap is of the diagram open here, never of another version: its counts are by element id, and
  // another version's ids on this drawing would put its requests on the wrong steps. The Version list
  // only chooses what to open; a diagram from disk is no version and has no requests.
  var heatmapText = "";
  function heatmapSummary() {
    var open = editor.openVersion;
    var chosen = optionOf(versionSelect.value);
    var text = heatmapText;
    if (open && chosen && chosen.value !== open.id) {
      text += " " + format(texts.textHeatmapOpenOther, { n: chosen.dataset.number });
    }
    summary.textContent = text;
  }
  function loadHeatmap() {
    var open = editor.openVersion;
    if (!open) {
      clearHeatmap();
      heatmapText = texts.textHeatmapNoVersion;
      heatmapSummary();
      return Promise.resolve();
    }
    return getJson(apiUrl(texts.heatmapUrl, open.id)).then(function (data) {
      // Off meanwhile, or another diagram opened while the counts were on their way: not painted.
      if (!heatmapOn || editor.openVersion !== open) return;
      clearHeatmap();
      var registry = modeler.get("elementRegistry");
      var overlays = modeler.get("overlays");
      var most = Math.max.apply(null, [1].concat(data.elements.map(function (e) { return e.running; })));
      var total = 0;
      data.elements.forEach(function (heat) {
        total += heat.running;
        if (!registry.get(heat.element_id)) return;  // deleted in the edits since it was opened
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
      heatmapText = format(plural("textHeatmap", total), { n: data.number, count: total });
      heatmapSummary();
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
  // Choosing another version does not repaint the diagram open; the summary says how to see its heatmap.
  versionSelect.addEventListener("change", function () {
    if (heatmapOn) heatmapSummary();
  });

  // What the other parts use: the heatmap follows a new diagram, a deploy reads the versions again.
  editor.afterImport = function () {
    if (heatmapOn) return loadHeatmap();
  };
  editor.loadVersions = loadVersions;
  editor.openStoredVersion = openStoredVersion;
  editor.downloadEdited = downloadEdited;
  document.addEventListener("DOMContentLoaded", function () {
    loadVersions(texts.versionId).catch(function () { /* the current version stays the only choice */ });
  });
})();
