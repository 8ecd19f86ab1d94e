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

  // A page's own script may already have focused its error summary or an opened dialog: leave that.
  function focusFirstProblem() {
    var active = document.activeElement;
    if (active && active !== document.body && active.id !== "main") return;
    var problems = document.querySelectorAll(
      "[data-error-summary], #error-summary, form .alert.error, [aria-invalid=true], .messages .message.error"
    );
    var first = Array.prototype.find.call(problems, shown);
    if (!first) return;
    if (!first.matches("input, select, textarea, button, a[href], [tabindex]")) first.setAttribute("tabindex", "-1");
    first.focus();
  }
  // After the page's own deferred scripts, which run before DOMContentLoaded.
  if (document.readyState === "complete") focusFirstProblem();
  else document.addEventListener("DOMContentLoaded", focusFirstProblem);
})();
