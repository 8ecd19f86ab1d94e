/* The one-time key of a page form that writes (portal_ui/form_keys.py), kept across the browser's Back.
   Pages are no-store, so Back fetches the form again with a fresh key while the browser refills the fields
   (and the file input) with what was sent: a second send would make a second request or message. Each
   send remembers its key with what it carried for this tab (sessionStorage, per form address); a page
   reached by Back or reload that is sent with exactly that content sends the remembered key, and the
   server answers with what the first send made. Anything changed is a new send with the page's own key.
   Without this script (or storage) every page's key is fresh, as before. */
(function () {
  "use strict";
  var PREFIX = "portal-form-key:";
  var store = null;
  try { store = window.sessionStorage; } catch (e) { store = null; } // storage switched off
  if (!store) return;
  var navigation = (performance.getEntriesByType && performance.getEntriesByType("navigation")[0]) || {};
  // Only a page the browser may have refilled: Back/Forward or reload, never a form opened afresh.
  var refilled = navigation.type === "back_forward" || navigation.type === "reload";

  // What the form carries, but its CSRF token and key: files by name, size and date (a refilled file
  // input holds the same file).
  function content(form) {
    var entries = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "idempotency_key") return;
      var text = typeof value === "string" ? value : [value.name, value.size, value.lastModified].join("/");
      entries.push([name, text]);
    });
    return JSON.stringify(entries);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var keyInput = form.querySelector && form.querySelector("input[name=idempotency_key]");
    if (!keyInput || event.defaultPrevented) return;
    var name = PREFIX + new URL(form.action, window.location.href).pathname;
    var carried = content(form);
    try {
      var sent = JSON.parse(store.getItem(name) || "null");
      if (refilled && sent && sent.content === carried && sent.key) keyInput.value = sent.key;
      else store.setItem(name, JSON.stringify({ key: keyInput.value, content: carried }));
    } catch (e) { /* unreadable or full: the page's own key goes */ }
  });
})();
