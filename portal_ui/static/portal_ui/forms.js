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

  // A page's own script may already have focused its error summary or an opened dialog: leave that.
  function focusFirstProblem() {
    var active = document.activeElement;
    if (active && active !== document.body && active.id !== "main") return true;
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
  // on <body>: a screen reader starts there too.
  function focusStart() {
    var start = document.querySelector("[data-focus-start]");
    if (!start) return;
    var done = Array.prototype.find.call(document.querySelectorAll(".messages .message"), shown);
    var heading = start.matches("h1, h2") ? start : start.querySelector("h1");
    if (done || heading) focusOn(done || heading);
  }

  // A page of several forms (data-keep-typed="<key>", the staff task page): what was typed in its other
  // forms survives the post of one (the page comes back after it) for this tab only. Read back once, into
  // fields the page left empty.
  var keepRoot = document.querySelector("[data-keep-typed]");
  var keepKey = keepRoot ? "keep-typed:" + keepRoot.dataset.keepTyped : "";
  var store = null;
  try { store = window.sessionStorage; } catch (e) { store = null; }  // storage switched off
  function typed(form) {
    var kept = {};
    keepRoot.querySelectorAll("form").forEach(function (other) {
      if (other === form) return;
      other.querySelectorAll("textarea, input[type=text], input[type=date]").forEach(function (field) {
        if (field.id && !field.readOnly && field.value.trim() && field.value !== field.defaultValue) kept[field.id] = field.value;
      });
    });
    return kept;
  }
  if (keepRoot && store) {
    document.addEventListener("submit", function (event) {
      if (!keepRoot.contains(event.target) || event.defaultPrevented) return;
      var kept = typed(event.target);
      try {
        if (Object.keys(kept).length) store.setItem(keepKey, JSON.stringify(kept));
        else store.removeItem(keepKey);
      } catch (e) { /* storage full or off: the post goes on without it */ }
    });
    var saved = null;
    try {
      saved = JSON.parse(store.getItem(keepKey) || "null");
      store.removeItem(keepKey);
    } catch (e) { saved = null; }
    if (saved) {
      Object.keys(saved).forEach(function (id) {
        var field = document.getElementById(id);
        if (field && keepRoot.contains(field) && !field.value && typeof saved[id] === "string") field.value = saved[id];
      });
    }
  }

  // <details data-fold-narrow> (a list's filters): open on a desktop, folded on a phone, where its
  // summary says how many filters are on.
  var narrow = window.matchMedia ? window.matchMedia("(max-width: 40rem)") : null;
  function fold() {
    document.querySelectorAll("details[data-fold-narrow]").forEach(function (details) { details.open = !narrow.matches; });
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
})();
