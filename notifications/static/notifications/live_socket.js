/* The page's one WebSocket to /ws/portal/, shared by the bell (bell.js) and the page's live script
   (live.js, staff_live.js): one connection per page, so every event arrives once and the server checks
   the session once per event. Loaded before them; it connects once every deferred script has subscribed.

     portalSocket.on("open", fn)      the socket is open (again): ask for what the page watches
     portalSocket.on("message", fn)   every frame, parsed (hello, event, watching, error); a hello
                                      carries `behind`: whether the page may miss an event (below)
     portalSocket.behind()            the last hello's `behind`
     portalSocket.on("offline", fn)   the socket closed and is being retried
     portalSocket.send(object)        a frame, if the socket is open
     portalSocket.livePage()          this page shows live data: say when its updates pause

   Close codes (notifications/consumers.py): 4401, the session ended (logout in another tab, expiry,
   password change): every tab loads its page again at once, so the server shows the login instead of
   company data - except a page holding unsaved work (an element marked data-dirty="true", e.g. the flow
   editor's diagram): it stays, says the session ended and how to go on, and retries quietly until a login
   in another tab lets it connect again; 4409, the session acts for another company: a live page loads again (its data is the old
   company's), the bell follows the new company; anything else: retry, 1 s doubling to 8 s with ±25 %
   jitter (a Redis back after an outage shows live data again within seconds, and the tabs of many users
   do not all knock at once), and at once when the tab becomes visible again or the browser goes online.

   `behind`: the page was rendered at an outbox cursor (data-live-cursor, notifications/live_cursor.py)
   and the first hello tells the cursor once the socket is in its groups: equal, nothing happened in
   between and the page need not fetch itself again. Every later hello follows a closed socket, whose
   events were lost: behind. A page being left (its navigation under way) hears nothing more, so it
   starts no fetch for a page nobody will see. */
(function () {
  "use strict";
  var config = document.currentScript ? document.currentScript.dataset : {};
  var renderedAt = config.liveCursor || "";
  var greeted = false;
  var behind = true;
  var leaving = false;
  var listeners = { open: [], message: [], offline: [] };
  var socket = null;
  var retryDelay = 1000;
  var MAX_RETRY_MS = 8000;
  var retryTimer = null;
  var live = false;
  var banner = null;
  var bannerTimer = null;
  // Calm about a blip: the banner appears only when the socket stays down this long.
  var BANNER_AFTER_MS = 2000;

  function emit(type, data) {
    listeners[type].forEach(function (listener) { listener(data); });
  }

  // The banner's region exists from the start (empty), so its text is announced when it appears.
  function ensureBanner() {
    if (banner) return;
    var main = document.getElementById("main") || document.body;
    banner = document.createElement("div");
    banner.className = "live-offline";
    banner.setAttribute("role", "status");
    banner.setAttribute("data-live-offline", "");
    main.insertBefore(banner, main.firstChild);
  }

  function showOffline() {
    if (!live || bannerTimer || (banner && banner.firstChild)) return;
    bannerTimer = setTimeout(function () {
      bannerTimer = null;
      var text = document.createElement("p");
      text.className = "alert info";
      text.textContent = config.offlineText || "";
      banner.replaceChildren(text);
    }, BANNER_AFTER_MS);
  }

  // The session ended while this page holds unsaved work: reloading would lose it (or stop at the
  // browser's leave prompt). Say so instead; the text is the page's own (what to do depends on the page).
  function showSessionEnded() {
    ensureBanner();
    var text = document.createElement("p");
    text.className = "alert warning";
    text.setAttribute("role", "alert");
    text.setAttribute("data-session-ended", "");
    text.textContent = config.sessionEndedText || "";
    banner.replaceChildren(text);
  }

  function holdsUnsavedWork() {
    return Boolean(document.querySelector("[data-dirty='true']"));
  }

  function clearOffline() {
    if (bannerTimer) { clearTimeout(bannerTimer); bannerTimer = null; }
    if (banner) banner.replaceChildren();
  }

  function connect() {
    retryTimer = null;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/ws/portal/");
    socket.addEventListener("open", function () { emit("open"); });
    socket.addEventListener("message", function (message) {
      var data;
      try { data = JSON.parse(message.data); } catch (e) { return; }
      if (leaving) return;
      if (data.type === "hello") {
        retryDelay = 1000;
        clearOffline();
        behind = data.behind = greeted || !renderedAt || data.cursor !== renderedAt;
        greeted = true;
      }
      emit("message", data);
    });
    socket.addEventListener("close", function (event) {
      socket = null;
      if (event.code === 4401 && holdsUnsavedWork()) {
        showSessionEnded();
        retryTimer = setTimeout(connect, MAX_RETRY_MS);
        return;
      }
      if (event.code === 4401 || (event.code === 4409 && live)) {
        // Load the page again by GET (never re-posting a form's answer); the server then shows the login,
        // saying why, or the page as the new company sees it. A moment's grace lets this tab's own logout
        // or switch finish its navigation first.
        setTimeout(function () { window.location.replace(window.location.href.split("#")[0]); }, 250);
        return;
      }
      emit("offline");
      showOffline();
      var delay = event.code === 4409 ? 1000 : retryDelay * (0.75 + Math.random() * 0.5);
      retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MS);
      retryTimer = setTimeout(connect, delay);
    });
  }

  // Waiting to retry while the tab was hidden or the network away: try now, not at the end of the wait.
  function retryNow() {
    if (!retryTimer || document.visibilityState === "hidden") return;
    clearTimeout(retryTimer);
    retryDelay = 1000;
    connect();
  }
  document.addEventListener("visibilitychange", retryNow);
  window.addEventListener("online", retryNow);
  // Leaving, unless a page's own listener (unsaved work) asked the browser to stay; registered after
  // the deferred scripts' listeners (see the end), so theirs have run.
  function onBeforeUnload(event) {
    leaving = !(event.defaultPrevented || event.returnValue);
  }
  window.addEventListener("pageshow", function () { leaving = false; });  // back from the cache, or stayed

  window.portalSocket = {
    on: function (type, listener) { listeners[type].push(listener); },
    send: function (data) {
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(data));
    },
    livePage: function () { live = true; ensureBanner(); },
    behind: function () { return behind; },
    leaving: function () { return leaving; }
  };

  // Deferred scripts run while the document is "interactive", before DOMContentLoaded; connecting then
  // could answer before a later script (live.js waiting to ask for its request) has subscribed.
  function start() {
    window.addEventListener("beforeunload", onBeforeUnload);
    connect();
  }
  if (document.readyState === "complete") start();
  else document.addEventListener("DOMContentLoaded", start);
})();
