/* The header bell: unread count, the newest notices, "mark all as read"; refreshed on live events. */
(function () {
  "use strict";
  var bell = document.getElementById("notice-bell");
  if (!bell) return;
  var button = bell.querySelector(".notice-bell-button");
  var panel = bell.querySelector(".notice-bell-panel");
  var badge = bell.querySelector(".notice-bell-count");
  var list = bell.querySelector(".notice-bell-list");
  var readAll = bell.querySelector(".notice-bell-read-all");
  var emptyText = list.textContent.trim();

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; });
  }

  // A count that rose after the page's first reading is said in a polite live region, with the newest
  // notice's title: the badge alone changes silently.
  var announcer = bell.querySelector("[data-bell-announce]");
  var lastCount = null;
  function announceNew(added) {
    getJson(bell.dataset.api + "?page_size=1").then(function (data) {
      var newest = data && data.results && data.results[0];
      if (!newest || !announcer) return;
      var text = added === 1 ? bell.dataset.newOne : bell.dataset.newMany.replace("{count}", String(added));
      announcer.textContent = text.replace("{title}", newest.title);
    });
  }

  function refreshCount() {
    getJson(bell.dataset.countApi).then(function (data) {
      if (!data) return;
      if (lastCount !== null && data.unread > lastCount) announceNew(data.unread - lastCount);
      lastCount = data.unread;
      badge.textContent = data.unread;
      badge.dataset.count = data.unread;
      badge.hidden = data.unread === 0;
      // "Mark all as read" only when something is unread; the keyboard on it stays in the panel.
      if (data.unread === 0 && document.activeElement === readAll) panel.focus();
      readAll.hidden = data.unread === 0;
    });
  }

  function refreshList() {
    getJson(bell.dataset.api + "?page_size=10").then(function (data) {
      if (!data) return;
      list.innerHTML = "";
      if (!data.results.length) {
        var empty = document.createElement("li");
        empty.textContent = emptyText;
        list.appendChild(empty);
      }
      data.results.forEach(function (notice) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = notice.link;
        link.textContent = notice.title;
        item.appendChild(link);
        if (!notice.is_read) {
          // Not bold alone: a visible "unread" badge, as on the notices page.
          item.className = "unread";
          var badgeText = document.createElement("span");
          badgeText.className = "badge badge-unread";
          badgeText.textContent = bell.dataset.unreadText;
          item.appendChild(document.createTextNode(" "));
          item.appendChild(badgeText);
          link.addEventListener("click", function (event) { openAndMarkRead(event, link, notice.id); });
        }
        list.appendChild(item);
      });
    });
  }

  // Opening a notice reads it: marked read first (at most a second's wait), then its page opens with the
  // lower count. A click that opens a new tab or window leaves this page, so it only marks.
  function openAndMarkRead(event, link, noticeId) {
    var elsewhere = event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0;
    var marked = fetch(bell.dataset.api + noticeId + "/read/", {
      method: "POST", credentials: "same-origin", keepalive: true,
      headers: { Accept: "application/json", "X-CSRFToken": window.portalCsrfToken() }
    }).catch(function () { /* the notice simply stays unread */ });
    if (elsewhere) { marked.then(refreshCount); return; }
    event.preventDefault();
    var go = function () { window.location.href = link.href; };
    Promise.race([marked, new Promise(function (resolve) { setTimeout(resolve, 1000); })]).then(go, go);
  }

  // Opening moves the keyboard into the panel (Tab then reaches its notices and button).
  function setOpen(open) {
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) { refreshList(); refreshCount(); panel.focus(); }
  }

  button.addEventListener("click", function () { setOpen(panel.hidden); });
  // Like the phone menu: Escape closes it and the keyboard is back on the bell; leaving it closes it.
  bell.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) { setOpen(false); button.focus(); }
  });
  bell.addEventListener("focusout", function (event) {
    if (panel.hidden) return;
    if (event.relatedTarget) { if (!bell.contains(event.relatedTarget)) setOpen(false); return; }
    // Focus going nowhere known (past the page's last control, or a removed item): decide once it has
    // landed; a window that merely lost focus keeps the panel open.
    setTimeout(function () {
      if (!panel.hidden && document.hasFocus() && !bell.contains(document.activeElement)) setOpen(false);
    }, 0);
  });
  document.addEventListener("click", function (event) {
    if (!panel.hidden && !bell.contains(event.target)) setOpen(false);
  });

  readAll.addEventListener("click", function () {
    fetch(bell.dataset.readAllApi, {
      method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": window.portalCsrfToken() }
    }).then(function () { refreshCount(); refreshList(); });
  });

  // The page's one socket (live_socket.js), shared with the page's live script; it also leaves the page
  // when the session ends (4401) and follows a company switched in another tab (4409).
  if (window.portalSocket) {
    window.portalSocket.on("message", function (data) {
      // Notices are made by the worker shortly after the event; ask again a moment later too. An event the
      // server marks `notice: false` (a colleague's note, a stored decision document, a change of hands:
      // notifications/push.message_for_event) makes none: nothing to ask.
      if (data.type === "event" && (data.event || {}).notice !== false) {
        refreshCount(); setTimeout(refreshCount, 3000);
      }
      // After a reconnect, or an event since the page's render, catch up; else the load's count stands.
      else if (data.type === "hello" && data.behind) { refreshCount(); }
    });
  }

  // The notices page's unread links read their notice on opening, as the panel's do.
  document.querySelectorAll("a[data-unread-notice]").forEach(function (link) {
    link.addEventListener("click", function (event) { openAndMarkRead(event, link, link.dataset.unreadNotice); });
  });

  refreshCount();
})();
