/* Live staff pages (message inbox, one thread, the task list, one task, the dashboard): listen on
   /ws/portal/ and, when an event of the page's kind arrives, re-fetch the page and swap the regions it
   names. The socket carries ids only; what is shown always comes from the permission-checked page itself.

   <div data-live-page data-live-kinds="message. request." data-live-regions="id1 id2"
        data-live-thread="12" data-live-request="7" data-live-url="/staff/tasks/7/"
        data-live-announce-text="…"> (data-live-thread / data-live-request: only that thread's or
   request's events; data-live-url: the page to re-fetch when this one answered a form post) */
(function () {
  "use strict";
  var root = document.querySelector("[data-live-page]");
  if (!root) return;
  var kinds = (root.dataset.liveKinds || "").split(/\s+/).filter(Boolean);
  var regions = (root.dataset.liveRegions || "").split(/\s+/).filter(Boolean);
  var threadId = root.dataset.liveThread ? Number(root.dataset.liveThread) : null;
  var requestId = root.dataset.liveRequest ? Number(root.dataset.liveRequest) : null;
  var pageUrl = root.dataset.liveUrl || window.location.href;
  var indicator = document.querySelector("[data-live-indicator]");
  var announcer = document.querySelector("[data-live-announce]");
  var retryDelay = 1000;
  var pending = null;
  var busy = false;
  var again = false;

  function setState(state) {
    if (!indicator) return;
    indicator.dataset.state = state;
    indicator.querySelectorAll("[data-when]").forEach(function (el) {
      el.hidden = el.dataset.when !== state;
    });
  }

  function wanted(event) {
    var kind = String(event.kind || "");
    var matches = kinds.some(function (prefix) { return kind.indexOf(prefix) === 0; });
    if (!matches) return false;
    if (threadId !== null && Number(event.thread_id) !== threadId) return false;
    return requestId === null || Number(event.request_id) === requestId;
  }

  function inUse(region) {
    // Never replace a form someone is filling in: a focused field, typed text or chosen files stay.
    if (region.contains(document.activeElement) && document.activeElement !== document.body) return true;
    // A form showing what was wrong with a post keeps its messages and the text sent back with them.
    if (region.querySelector("[aria-invalid=true]")) return true;
    return Array.prototype.some.call(region.querySelectorAll("textarea, input, select"), function (field) {
      if (field.type === "hidden" || field.type === "submit") return false;
      if (field.type === "file") return field.files && field.files.length > 0;
      if (field.tagName === "SELECT") return false;
      return field.value !== field.defaultValue;
    });
  }

  function swap(html, announce) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var changed = false;
    regions.forEach(function (id) {
      var current = document.getElementById(id);
      var next = fresh.getElementById(id);
      if (current && next && current.innerHTML !== next.innerHTML && !inUse(current)) {
        current.innerHTML = next.innerHTML;
        changed = true;
      }
    });
    if (changed && announce && announcer) announcer.textContent = root.dataset.liveAnnounceText || "";
    root.dispatchEvent(new CustomEvent("live:refreshed", { detail: { changed: changed } }));
  }

  function refresh(announce) {
    // One fetch at a time; events arriving meanwhile cause exactly one more.
    if (busy) { again = true; return; }
    busy = true;
    fetch(pageUrl, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) swap(html, announce); })
      .catch(function () { /* the next event or reconnect fetches again */ })
      .then(function () {
        busy = false;
        if (again) { again = false; refresh(true); }
      });
  }

  function schedule() {
    // A burst of events (a reply with three attachments, a step with several events) → one fetch.
    if (pending) clearTimeout(pending);
    pending = setTimeout(function () { pending = null; refresh(true); }, 250);
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/portal/");
    socket.addEventListener("message", function (message) {
      var data;
      try { data = JSON.parse(message.data); } catch (e) { return; }
      if (data.type === "hello") {
        retryDelay = 1000;
        setState("online");
        refresh(false);  // catch up with anything that happened while we were connecting
      } else if (data.type === "event" && data.event && wanted(data.event)) {
        schedule();
      }
    });
    socket.addEventListener("close", function (event) {
      // 4401: the session was logged out: load the page again, the server then shows the login.
      if (event.code === 4401) { window.location.reload(); return; }
      setState("offline");
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  }

  connect();
})();
