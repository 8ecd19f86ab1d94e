/* The inactivity warning (WCAG 2.2.1 Timing Adjustable). A session ends SESSION_COOKIE_AGE after the last
   request of any of the user's tabs; without a word, a slow typist lost the session mid-message. Shortly
   before it ends, the alert at the top of <main> says so and offers "Stay logged in" (POST /session/renew/);
   once it has ended, it says so with a link to log in again in a new tab. Nothing here reloads the page or
   takes the focus from a field: what was typed stays.

   A session also ends SESSION_ABSOLUTE_AGE after its login, however active (the server's end, exact; no
   renewal moves it). A few minutes before, the same alert says at what time, that it cannot be extended,
   whether this page keeps what is typed as a draft, and offers "Log in again now": the pending drafts are
   saved, then the logout leads to the login page, which leads back here. "Stay logged in" is offered only
   while the inactivity end comes first.

   The tabs share the expected ends in localStorage (every page load and every renewal in any tab moves the
   inactivity end; a new login moves the absolute one; the `storage` event tells the others), so a tab left
   open does not warn while another one is in use, and a renewal in one tab leaves the others' warning of
   the absolute end as it is. Configured by the region's data attributes (base.html): seconds left for this
   page (of inactivity and in all), the warnings' leads, the length of a renewed session, the least any
   request leaves, the end's time as the server formats it, the texts. */
(function () {
  "use strict";
  var box = document.querySelector("[data-session-timeout]");
  if (!box || !window.fetch) return;
  var KEY = "portal.sessionEndsAt";
  var ABSOLUTE_KEY = "portal.sessionAbsoluteEnd";  // {"at": ms, "time": "14:05"}
  var data = box.dataset;
  var idleMs = Number(data.idleSeconds) * 1000;
  var warnMs = Number(data.warnBefore) * 1000;
  var absoluteWarnMs = Number(data.absoluteWarnBefore || 0) * 1000;
  var afterRequestMs = Number(data.afterRequest) * 1000;
  var store;
  try { store = window.localStorage; } catch (e) { store = null; } // storage switched off: this tab only
  var endsAt = 0;
  var absolute = { at: 0, time: "" };  // 0: no absolute end known
  var shown = "";  // "", "warning", "ended", "absolute" or "absolute-ended" (with the time: see check)
  var shownTime = "";
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

  function sharedAbsolute() {
    try {
      var value = JSON.parse((store && store.getItem(ABSOLUTE_KEY)) || "null");
      return value && value.at > 0 && typeof value.time === "string" ? value : null;
    } catch (e) { return null; }
  }

  // The later end is the newest login's (the cookie, and so the session, is the same for every tab).
  function absoluteMoved(candidate) {
    var known = sharedAbsolute();
    if (known && known.at > candidate.at) candidate = known;
    if (candidate.at <= absolute.at) return;
    absolute = { at: candidate.at, time: candidate.time };
    if (store && (!known || known.at < absolute.at)) {
      try { store.setItem(ABSOLUTE_KEY, JSON.stringify(absolute)); } catch (e) { /* this tab only */ }
    }
  }

  // "Log in again now": what the drafts hold is saved first (a save after the logout would be refused),
  // then the logout leads to the login page, whose `next` is this page.
  function logInAgain(event) {
    event.currentTarget.disabled = true;  // one logout, however often clicked
    var pending = window.portalSaveDrafts ? window.portalSaveDrafts() : Promise.resolve();
    var waited = new Promise(function (resolve) { window.setTimeout(resolve, 3000); });  // not for ever
    Promise.race([pending.catch(function () {}), waited]).then(function () {
      var form = document.createElement("form");
      form.method = "post";
      form.action = data.logoutUrl;
      [["csrfmiddlewaretoken", window.portalCsrfToken ? window.portalCsrfToken() : ""],
        ["next", data.loginUrl]].forEach(function (pair) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = pair[0];
        input.value = pair[1];
        form.appendChild(input);
      });
      document.body.appendChild(form);
      form.submit();
    });
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
    if (state === "absolute") {
      box.appendChild(paragraph(data.textAbsoluteWarning.replace("{time}", absolute.time)));
      var drafts = document.querySelector("form[data-draft-url]");
      box.appendChild(paragraph(drafts ? data.textAbsoluteDraft : data.textAbsoluteNoDraft));
      var again = document.createElement("button");
      again.type = "button";
      again.className = "button small";
      again.textContent = data.textRelogin;
      again.addEventListener("click", logInAgain);
      box.appendChild(again);
    } else if (state === "warning") {
      box.appendChild(paragraph(data.textWarning));
      var stay = document.createElement("button");
      stay.type = "button";
      stay.className = "button small";
      stay.textContent = data.textStay;
      stay.addEventListener("click", renew);
      box.appendChild(stay);
      if (extra) box.appendChild(paragraph(extra));
    } else if (state === "ended" || state === "absolute-ended") {
      box.appendChild(paragraph(state === "ended" ? data.textEnded : data.textAbsoluteEnded));
      var login = document.createElement("a");
      // The login page's note then says why the session ended (core.session_end.SessionEnd).
      login.href = data.loginUrl + "&ended=" + (state === "ended" ? "idle" : "absolute");
      login.target = "_blank";
      login.rel = "noopener";
      login.textContent = data.textLogin;
      box.appendChild(login);
    }
    if (/ended/.test(shown) && !/ended/.test(state)) {
      // Logged in again in another tab: this page's forms carry the new session's token.
      var token = window.portalCsrfToken ? window.portalCsrfToken() : "";
      if (token) {
        document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
          input.value = token;
        });
      }
    }
    shown = state;
    shownTime = absolute.time;
  }

  // Redraw without losing the keyboard: the alert's button that had the focus is replaced by what the alert
  // offers now (the new button or the login link), or else the focus goes back to where the user was.
  // Not to "Log in again now": a second press of the key that said "Stay logged in" would log out.
  function present(state, extra) {
    var hadFocus = box.contains(document.activeElement);
    show(state, extra);
    if (!hadFocus) return;
    var next = (state !== "absolute" && box.querySelector("button, a")) ||
      (lastFocus && document.contains(lastFocus) ? lastFocus : document.getElementById("main"));
    next.focus();
  }

  function stateNow() {
    var now = Date.now();
    var left = endsAt - now;
    if (!absolute.at) return left <= 0 ? "ended" : left <= warnMs ? "warning" : "";
    var absoluteLeft = absolute.at - now;
    if (absoluteLeft <= 0) return "absolute-ended";
    if (left <= 0) return "ended";
    // "Stay logged in" only while the inactivity end comes first: renewing cannot move the other one.
    if (absoluteLeft <= absoluteWarnMs && absoluteLeft <= left) return "absolute";
    if (left <= warnMs) return "warning";
    return absoluteLeft <= absoluteWarnMs ? "absolute" : "";
  }

  function check() {
    endsAt = Math.max(endsAt, shared());
    absoluteMoved({ at: 0, time: "" });  // another tab's newer login
    var state = stateNow();
    // The time is part of what is shown: a new login elsewhere changes it.
    if (state + absolute.time !== shown + shownTime) present(state);
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
        present(absolute.at && absolute.at <= Date.now() ? "absolute-ended" : "ended");
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
    if (event.key === KEY || event.key === ABSOLUTE_KEY || event.key === null) check();
  });
  moved(Date.now() + Number(data.secondsLeft) * 1000);
  if (data.absoluteLeft) absoluteMoved({ at: Date.now() + Number(data.absoluteLeft) * 1000, time: data.absoluteTime });
  // A clock, not one long timer: timers of a background tab or a sleeping laptop run late.
  window.setInterval(check, 1000);
  check();
})();
