/* The inactivity warning (WCAG 2.2.1 Timing Adjustable). A session ends SESSION_COOKIE_AGE after the last
   request of any of the user's tabs; without a word, a slow typist lost the session mid-message. Shortly
   before it ends, the alert at the top of <main> says so and offers "Stay logged in" (POST /session/renew/);
   once it has ended, it says so with a link to log in again in a new tab. Nothing here reloads the page or
   takes the focus from a field: what was typed stays.

   The tabs share the expected end in localStorage (every page load and every renewal in any tab moves it;
   the `storage` event tells the others), so a tab left open does not warn while another one is in use.
   Configured by the region's data attributes (base.html): seconds left for this page, the warning's lead,
   the length of a renewed session, the least any request leaves, the texts. */
(function () {
  "use strict";
  var box = document.querySelector("[data-session-timeout]");
  if (!box || !window.fetch) return;
  var KEY = "portal.sessionEndsAt";
  var data = box.dataset;
  var idleMs = Number(data.idleSeconds) * 1000;
  var warnMs = Number(data.warnBefore) * 1000;
  var afterRequestMs = Number(data.afterRequest) * 1000;
  var store;
  try { store = window.localStorage; } catch (e) { store = null; } // storage switched off: this tab only
  var endsAt = 0;
  var shown = "";  // "", "warning" or "ended"
  var lastFocus = null;  // where the keyboard was before it went to the alert's button

  function shared() {
    var value = store ? Number(store.getItem(KEY)) : 0;
    return value > 0 ? value : 0;
  }

  // A request of this tab moved the end: the later of it and what the other tabs know.
  function moved(at) {
    endsAt = Math.max(at, endsAt, shared());
    if (store) {
      try { store.setItem(KEY, String(endsAt)); } catch (e) { /* full or refused: this tab only */ }
    }
  }

  function paragraph(text) {
    var p = document.createElement("p");
    p.textContent = text;
    return p;
  }

  function show(state, extra) {
    box.textContent = "";
    box.classList.toggle("alert", state !== "");
    box.classList.toggle("warning", state !== "");
    if (state === "warning") {
      box.appendChild(paragraph(data.textWarning));
      var stay = document.createElement("button");
      stay.type = "button";
      stay.className = "button small";
      stay.textContent = data.textStay;
      stay.addEventListener("click", renew);
      box.appendChild(stay);
      if (extra) box.appendChild(paragraph(extra));
    } else if (state === "ended") {
      box.appendChild(paragraph(data.textEnded));
      var login = document.createElement("a");
      login.href = data.loginUrl;
      login.target = "_blank";
      login.rel = "noopener";
      login.textContent = data.textLogin;
      box.appendChild(login);
    }
    if (shown === "ended" && state !== "ended") {
      // Logged in again in another tab: this page's forms carry the new session's token.
      var token = window.portalCsrfToken ? window.portalCsrfToken() : "";
      if (token) {
        document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
          input.value = token;
        });
      }
    }
    shown = state;
  }

  // Redraw without losing the keyboard: the alert's button that had the focus is replaced by what the alert
  // offers now (the new button or the login link), or else the focus goes back to where the user was.
  function present(state, extra) {
    var hadFocus = box.contains(document.activeElement);
    show(state, extra);
    if (!hadFocus) return;
    var next = box.querySelector("button, a") ||
      (lastFocus && document.contains(lastFocus) ? lastFocus : document.getElementById("main"));
    next.focus();
  }

  function check() {
    endsAt = Math.max(endsAt, shared());
    var left = endsAt - Date.now();
    var state = left <= 0 ? "ended" : left <= warnMs ? "warning" : "";
    if (state !== shown) present(state);
  }

  function renew() {
    var sentAt = Date.now();
    fetch(data.renewUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",  // an outlived session is sent to the login page: not followed, it has ended
      headers: { "X-CSRFToken": window.portalCsrfToken ? window.portalCsrfToken() : "" },
    }).then(function (response) {
      if (response.status === 204) {
        moved(sentAt + idleMs);
        check();
      } else {
        // 401: it had ended already (the end was later than this tab knew, or a logout elsewhere).
        endsAt = 0;
        if (store) store.removeItem(KEY);
        present("ended");
      }
    }).catch(function () {
      present("warning", data.textFailed);  // offline: the button stays for another try
    });
  }

  // The page's own requests (a draft saved while typing, a list's update) slide the session too, by at
  // least `afterRequest` (the server slides it at most once a minute). Observed, not wrapped: no script
  // changes. Static files never reach the session.
  if (window.PerformanceObserver) {
    try {
      new PerformanceObserver(function (list) {
        list.getEntries().forEach(function (entry) {
          var status = entry.responseStatus;  // 0 or missing where the browser does not tell
          if (entry.name.indexOf(location.origin + "/") !== 0 || entry.name.indexOf(location.origin + "/static/") === 0) return;
          if (status === 401 || status === 403) return;
          moved(performance.timeOrigin + entry.startTime + afterRequestMs);
        });
        check();
      }).observe({ type: "resource" });
    } catch (e) { /* an old browser: page loads and renewals only */ }
  }
  document.addEventListener("focusin", function (event) {
    if (!box.contains(event.target)) lastFocus = event.target;
  });
  window.addEventListener("storage", function (event) {
    if (event.key === KEY || event.key === null) check();
  });
  moved(Date.now() + Number(data.secondsLeft) * 1000);
  // A clock, not one long timer: timers of a background tab or a sleeping laptop run late.
  window.setInterval(check, 1000);
  check();
})();
