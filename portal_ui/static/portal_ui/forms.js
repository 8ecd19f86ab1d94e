/* Every page's forms: one-time sending and, when the server sends a form back with errors, focus on the
   first problem (so the keyboard and a screen reader start where the user has to act). Without this
   script the forms still post and show their errors. */
(function () {
  "use strict";

  // <form class="once">: a second click while it is sending does nothing (the server keys the write too).
  // Delegated, so a form a live update puts into the page is covered.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.once") || event.defaultPrevented) return;
    if (form.dataset.sending === "1") { event.preventDefault(); return; }
    form.dataset.sending = "1";
    form.setAttribute("aria-busy", "true");
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  });
  // Back to a page the browser kept in memory: its forms may be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form.once[data-sending='1']").forEach(function (form) {
      delete form.dataset.sending;
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
    });
  });

  function shown(element) {
    return element.getClientRects().length > 0 && !element.closest("[hidden], dialog:not([open])");
  }

  function focusOn(element) {
    if (!element.matches("input, select, textarea, button, a[href], [tabindex]")) element.setAttribute("tabindex", "-1");
    element.focus();
  }

  // The element the address's #fragment names, if the page has it.
  function fragmentTarget() {
    try {
      return window.location.hash ? document.getElementById(decodeURIComponent(window.location.hash.slice(1))) : null;
    } catch (e) { return null; }  // a malformed %-escape typed into the address
  }

  // A page's own script may already have focused its error summary or an opened dialog: leave that.
  function focusFirstProblem() {
    var active = document.activeElement;
    // The address's #fragment focuses its section (the accountant's ZIP form sent back with an error):
    // that is the browser's doing, not a script's, so a problem inside it still takes the keyboard.
    var target = fragmentTarget();
    if (active && active !== document.body && active.id !== "main" && active !== target) return true;
    var problems = document.querySelectorAll(
      "[data-error-summary], #error-summary, form .alert.error, [aria-invalid=true], .messages .message.error"
    );
    var first = Array.prototype.find.call(problems, shown);
    if (!first) return false;
    focusOn(first);
    return true;
  }

  // A page that marks where its work starts (data-focus-start: the staff task page and list) opens with
  // the keyboard on the message of what was just done (claimed, decided), else on its main heading, not
  // on <body>: a screen reader starts there too. An address whose #fragment names where the result is
  // (the internal note just added, far down the request's history or the thread's notes; the row of the
  // task list just claimed or released, at its link; the client's comment just sent) opens there instead,
  // with the message, far above, shown and said beside it.
  function focusStart() {
    var start = document.querySelector("[data-focus-start]");
    if (!start) return;
    var done = Array.prototype.find.call(document.querySelectorAll(".messages .message"), shown);
    var landed = fragmentTarget();
    if (landed && shown(landed)) {
      focusOn(landed);
      if (done) sayBeside(landed, done.textContent);
      return;
    }
    var heading = start.matches("h1, h2") ? start : start.querySelector("h1");
    if (done || heading) focusOn(done || heading);
  }
  function sayBeside(element, text) {
    var said = document.createElement("p");
    said.className = "alert success landed-said";
    said.setAttribute("role", "status");
    said.setAttribute("data-testid", "landed-said");
    // A link holds no paragraph (a list row's, in its table cell): said at the end of its cell, after the
    // row's other controls.
    (element.matches("a, button") ? element.parentNode : element).appendChild(said);
    // Filled once it is in the page, so a screen reader takes it as news after the focused element.
    setTimeout(function () { said.textContent = text.trim(); }, 150);
  }

  // <textarea data-counter="2000"> and its counter (_char_counter.html, #<id>-counter): "123 / 2000" as it
  // is typed, counted as the server counts (code points, a line break one character: core/text_fields.py);
  // over the limit it says so (the server still refuses the text). Its polite region (#<id>-counter-said)
  // speaks only near the limit and once typing pauses, never at every key.
  var SAY_AFTER_MS = 1000;
  var sayTimers = {};
  function characters(text) { return Array.from(text.replace(/\r\n?/g, "\n")).length; }
  function fillIn(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (whole, key) { return key in values ? String(values[key]) : whole; });
  }
  function countOf(field) {
    var limit = parseInt(field.dataset.counter, 10);
    var count = characters(field.value);
    return {
      count: count, limit: limit, over: count - limit, left: limit - count,
      isOver: count > limit,
      // The last tenth (at least 20 characters): where a screen reader is told what is left.
      isNear: count <= limit && limit - count <= Math.max(20, Math.round(limit / 10))
    };
  }
  function showCount(field, speak) {
    var counter = field.id ? document.getElementById(field.id + "-counter") : null;
    if (!counter || !(parseInt(field.dataset.counter, 10) > 0)) return;
    var now = countOf(field);
    counter.textContent = fillIn(now.isOver ? counter.dataset.overText : counter.dataset.countText, now);
    counter.classList.toggle("over", now.isOver);
    counter.classList.toggle("near", now.isNear);
    var said = document.getElementById(field.id + "-counter-said");
    if (!said || !speak) return;
    clearTimeout(sayTimers[field.id]);
    if (!now.isOver && !now.isNear) { said.textContent = ""; return; }
    sayTimers[field.id] = setTimeout(function () {
      var then = countOf(field);
      if (!then.isOver && !then.isNear) return;
      var text = fillIn(then.isOver ? counter.dataset.overSaid : counter.dataset.leftSaid, then);
      if (said.textContent !== text) said.textContent = text;
    }, SAY_AFTER_MS);
  }
  function counted(event) {
    var field = event.target;
    if (field.matches && field.matches("textarea[data-counter]")) showCount(field, event.type === "input");
  }
  // Delegated: a form a live update puts into the page counts from its first key.
  document.addEventListener("input", counted);
  document.addEventListener("change", counted);  // text put back (data-keep-typed above)
  function countAll() {
    document.querySelectorAll("textarea[data-counter]").forEach(function (field) { showCount(field, false); });
  }
  countAll();
  window.addEventListener("load", countAll);  // after a page's own script filled a field without an event

  // A page of several forms (data-keep-typed="<key>": the staff task page and inbox thread, the client's
  // users page): what was typed survives the page's round trip, for this tab only. The post of one form
  // keeps the other forms' text (the page comes back after it) and its own, which comes back only when the
  // page says that form was not sent (the session had expired: post_only_pages.py's note, tagged
  // form-not-sent); the language switch keeps all of it. Read back once, into fields the page left as it
  // sent them, and said over each form, with the files to choose again (a browser keeps no file).
  // Leaving the page any other way with typed text asks first.
  var keepRoot = document.querySelector("[data-keep-typed]");
  var keepKey = keepRoot ? "keep-typed:" + keepRoot.dataset.keepTyped : "";
  var store = null;
  try { store = window.sessionStorage; } catch (e) { store = null; }  // storage switched off
  var KEPT_FIELDS = "textarea, select, input[type=text], input[type=email], input[type=tel], input[type=number], " +
    "input[type=date], input[type=checkbox], input[type=radio]";
  function formName(form) { return form.id || form.getAttribute("action") || ""; }
  function fieldName(field) {
    return field.id || field.name + (field.type === "checkbox" || field.type === "radio" ? "=" + field.value : "");
  }
  // What a one-line select shows as the page sent it: its option marked selected (the last one, as the
  // browser takes), else the browser's own pick, the first enabled option (an unassigned thread's
  // "Choose a staff member"). Showing that is no choice of the user's, so it is kept nowhere.
  function defaultChoice(select) {
    var marked = Array.prototype.filter.call(select.options, function (o) { return o.defaultSelected; });
    var shown = marked[marked.length - 1] || Array.prototype.find.call(select.options, function (o) { return !o.disabled; });
    return shown ? shown.value : "";
  }
  function hasOption(select, value) {
    return Array.prototype.some.call(select.options, function (o) { return o.value === value; });
  }
  function changed(field) {
    if (field.readOnly || field.disabled) return false;
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    if (field.tagName === "SELECT" && (field.multiple || field.size > 1)) {
      return Array.prototype.some.call(field.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    if (field.tagName === "SELECT") return field.value !== defaultChoice(field);
    return field.value.trim() !== "" && field.value !== field.defaultValue;
  }
  function fileNames(form) {
    var names = [];
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) { names.push(file.name); });
    });
    return names;
  }
  // One entry per form with something typed or a file chosen; `sent`: the form whose post this is.
  function typedForms(sent) {
    var entries = [];
    keepRoot.querySelectorAll("form").forEach(function (form) {
      var values = {};
      form.querySelectorAll(KEPT_FIELDS).forEach(function (field) {
        if (fieldName(field) && changed(field)) {
          values[fieldName(field)] = field.type === "checkbox" || field.type === "radio" ? field.checked : field.value;
        }
      });
      var files = fileNames(form);
      if (Object.keys(values).length || files.length) {
        entries.push({ form: formName(form), sent: form === sent, values: values, files: files });
      }
    });
    return entries;
  }
  function anyTyped() {
    return Array.prototype.some.call(keepRoot.querySelectorAll(KEPT_FIELDS), function (field) {
      return field.type !== "checkbox" && field.type !== "radio" && field.tagName !== "SELECT" && changed(field);
    });
  }
  function putBack(form, values) {
    var restored = false;
    form.querySelectorAll(KEPT_FIELDS).forEach(function (field) {
      var value = values[fieldName(field)];
      if (value === undefined || changed(field)) return;
      if (typeof value === "boolean") field.checked = value;
      else if (typeof value === "string" && field.tagName === "SELECT") {
        // A choice the page no longer offers (or shows already) is not put back: that would blank the select.
        if (field.value === value || !hasOption(field, value)) return;
        field.value = value;
      } else if (typeof value === "string" && !field.value.trim()) field.value = value;
      else return;
      restored = true;
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
    return restored;
  }
  function sayKept(form, restored, files) {
    var lines = [];
    if (restored) lines.push(document.body.dataset.keptRestored || "");
    if (files.length) lines.push((document.body.dataset.keptFiles || "").replace("{files}", files.join(", ")));
    var note = document.createElement("p");
    note.className = "alert info kept-typed";
    note.setAttribute("data-testid", "kept-typed");
    note.textContent = lines.join(" ");
    form.parentNode.insertBefore(note, form);
  }
  var leaving = false; // a post or the language switch this script keeps the text of
  if (keepRoot) {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (event.defaultPrevented) return;
      var own = keepRoot.contains(form);
      if (!own && !form.matches(".lang-switch")) return;
      leaving = true;
      if (!store) return;
      var entries = typedForms(own ? form : null);
      try {
        if (entries.length) store.setItem(keepKey, JSON.stringify(entries));
        else store.removeItem(keepKey);
      } catch (e) { /* storage full or off: the post goes on without it */ }
    });
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) return;
      leaving = false; // back to this page as it was: nothing to read back
      try { if (store) store.removeItem(keepKey); } catch (e) { /* off */ }
    });
    // Leaving with typed text any other way (a link, the menu, closing the tab) loses it: asked first.
    window.addEventListener("beforeunload", function (event) {
      if (leaving || !anyTyped()) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }
  if (keepRoot && store) {
    var saved = null;
    try {
      saved = JSON.parse(store.getItem(keepKey) || "null");
      store.removeItem(keepKey);
    } catch (e) { saved = null; }
    var notSent = document.querySelector(".messages .message.form-not-sent") !== null;
    if (Array.isArray(saved)) {
      saved.forEach(function (entry) {
        if (!entry || typeof entry.values !== "object" || (entry.sent && !notSent)) return;
        var form = Array.prototype.find.call(keepRoot.querySelectorAll("form"), function (f) {
          return formName(f) === entry.form;
        });
        if (!form) return;
        var restored = putBack(form, entry.values);
        var files = Array.isArray(entry.files) ? entry.files.filter(function (n) { return typeof n === "string"; }) : [];
        if (restored || files.length) sayKept(form, restored, files);
      });
    }
  }

  // <details data-fold-narrow> (a list's filters): open on a desktop, folded on a phone, where its
  // summary says how many filters are on; data-fold-keep (a client list with a filter on or refused)
  // keeps it open there too.
  var narrow = window.matchMedia ? window.matchMedia("(max-width: 40rem)") : null;
  function fold() {
    document.querySelectorAll("details[data-fold-narrow]").forEach(function (details) {
      details.open = !narrow.matches || details.hasAttribute("data-fold-keep");
    });
  }
  if (narrow) {
    fold();
    if (narrow.addEventListener) narrow.addEventListener("change", fold);
  }

  function focusOnLoad() {
    if (!focusFirstProblem()) focusStart();
  }
  // After the page's own deferred scripts, which run before DOMContentLoaded.
  if (document.readyState === "complete") focusOnLoad();
  else document.addEventListener("DOMContentLoaded", focusOnLoad);
  // The browser focuses an address's #fragment target later than that (at load): when it took the
  // keyboard from a problem inside it, give it back to the problem.
  window.addEventListener("load", function () {
    setTimeout(function () {
      var target = fragmentTarget();
      if (target && document.activeElement === target) focusFirstProblem();
    }, 0);
  });
})();
