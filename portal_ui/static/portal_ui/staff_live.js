/* Live pages by regions (staff: message inbox, one thread, the task list, one task, the dashboard;
   client: one message thread, the request list): listen on /ws/portal/ and, when an event of the page's
   kind arrives, re-fetch the page and swap the regions it names. The socket carries ids only; what is
   shown always comes from the permission-checked page itself.

   <div data-live-page data-live-kinds="message. request." data-live-regions="id1 id2"
        data-live-thread="12" data-live-request="7" data-live-url="/staff/tasks/7/"
        data-live-announce-text="…" data-live-note-text="…" data-live-held-kept-text="…">
   (data-live-note-text: said instead when only colleagues' internal notes came; data-live-thread / data-live-request:
   only that thread's or request's events; data-live-url: the page itself, re-fetched and shown in the
   address bar when this one answered a form post). A colleague's internal note (an event marked staff_only)
   refreshes only the page of its request or thread.

   A region is swapped only when the server sends it changed: each answer is compared with the last one
   shown (at first the page as loaded), not counting what differs in every answer (the CSRF token of its
   forms), what other scripts dress (charts, file choosers) or a refused post's errors at its fields, so a
   click never lands on a replaced copy, charts are not drawn again for nothing and an error stays shown.
   A region marked data-live-always (no text inputs: a state box) is swapped even with the keyboard in it,
   which comes back to the control of the same id. A region kept because someone types in it says so when
   its new version carries data-held-text (who decided or took the task): a banner over the typed text,
   unless an element of the region marked data-held-said (a refused text's box) says it already. */
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
  var pending = null;
  var busy = false;
  var again = false;
  var againByOthers = false;  // whether an event that asked for the fetch after the running one was not the user's

  // The answer to a form post (an error shown beside its form) is on the action's address: show the
  // page's own, so a reload or a copied link opens the page instead of a post-only address.
  if (root.dataset.liveUrl && window.history.replaceState) {
    var own = new URL(root.dataset.liveUrl, window.location.href);
    if (own.pathname !== window.location.pathname) window.history.replaceState(null, "", own.href);
  }

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
    // A colleague's internal note (staff_only: notifications/push.message_for_event) shows only on its own
    // request's or thread's page: a list or the dashboard, which follow no single one, would fetch for nothing.
    if (threadId === null && requestId === null && event.staff_only) return false;
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

  // The region's content as compared: without the CSRF token values (new in every answer), the banner
  // this script adds, what other scripts dress (a canvas Chart.js drew, a file input file_choice.js
  // wrapped) and whether the user opened a <details> (the numbers under a chart).
  function comparable(region) {
    var copy = region.cloneNode(true);
    copy.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
      input.removeAttribute("value");
    });
    copy.querySelectorAll("details").forEach(function (details) { details.removeAttribute("open"); });
    copy.querySelectorAll(".file-choice").forEach(function (box) {  // file_choice.js's dress of a file input
      var input = box.querySelector("input[type=file]");
      if (!input) return;
      input.classList.remove("file-choice-input");
      if (!input.classList.length) input.removeAttribute("class");
      box.replaceWith(input);
    });
    copy.querySelectorAll("canvas").forEach(function (canvas) {
      ["width", "height", "style"].forEach(function (name) { canvas.removeAttribute(name); });
    });
    copy.querySelectorAll("[data-live-held-banner]").forEach(function (banner) { banner.remove(); });
    // What a refused form post said at its field (the error list, the field marked invalid and pointing
    // at it) is no state of the server's: the catch-up fetch of a posted page (it has no outbox cursor)
    // comes back without it and would otherwise replace a state box's "Assign to" error at once.
    var errorIds = {};
    copy.querySelectorAll(".errorlist").forEach(function (list) {
      if (list.id) errorIds[list.id] = true;
      list.remove();
    });
    copy.querySelectorAll("[aria-invalid]").forEach(function (field) { field.removeAttribute("aria-invalid"); });
    copy.querySelectorAll("[aria-describedby]").forEach(function (el) {
      var ids = el.getAttribute("aria-describedby").split(/\s+/).filter(function (id) { return id && !errorIds[id]; });
      if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
      else el.removeAttribute("aria-describedby");
    });
    copy.querySelectorAll(".has-error").forEach(function (field) { field.classList.remove("has-error"); });
    // table_regions.js's dress of a scrolling table (a focusable region named by its caption).
    copy.querySelectorAll("[data-scroll-region]").forEach(function (wrap) {
      ["tabindex", "role", "aria-labelledby", "aria-label", "data-scroll-region"].forEach(function (name) { wrap.removeAttribute(name); });
    });
    copy.querySelectorAll("caption[id^='table-caption-']").forEach(function (caption) { caption.removeAttribute("id"); });
    // Runs of white space count as one: a template's line breaks around the error list left out.
    return copy.innerHTML.replace(/\s+/g, " ");
  }

  function showHeld(region, text) {
    var banner = region.querySelector("[data-live-held-banner]");
    // Said already in the region (a refused text's box, data-held-said): once is enough.
    var said = Array.prototype.some.call(region.querySelectorAll("[data-held-said]"), function (el) {
      return el.textContent.trim() === text;
    });
    if (!text || said) { if (banner) banner.remove(); return; }
    var shown = text + " " + (root.dataset.liveHeldKeptText || "");
    if (banner && banner.textContent === shown) return;
    if (!banner) {
      banner = document.createElement("p");
      banner.className = "alert warning live-held";
      banner.setAttribute("role", "alert");
      banner.setAttribute("data-live-held-banner", "");
      region.insertBefore(banner, region.firstChild);
    }
    banner.textContent = shown;
  }

  function chosenSelects(region) {
    var chosen = {};
    region.querySelectorAll("select[id]").forEach(function (select) {
      var byDefault = Array.prototype.find.call(select.options, function (o) { return o.defaultSelected; }) || select.options[0];
      if (byDefault && select.value !== byDefault.value) chosen[select.id] = select.value;
    });
    return chosen;
  }

  function replace(current, next) {
    var active = document.activeElement;
    var hadFocus = active && active !== document.body && current.contains(active);
    var focusedId = hadFocus ? active.id : "";
    var chosen = chosenSelects(current);  // a colleague picked in "Assign to" stays picked in the new copy
    current.innerHTML = next.innerHTML;
    Object.keys(chosen).forEach(function (id) {
      var select = document.getElementById(id);
      if (select && current.contains(select) && Array.prototype.some.call(select.options, function (o) { return o.value === chosen[id]; })) {
        select.value = chosen[id];
      }
    });
    if (!hadFocus) return;
    var target = focusedId ? document.getElementById(focusedId) : null;
    if (!target) { current.setAttribute("tabindex", "-1"); target = current; }
    target.focus({ preventScroll: true });
  }

  function swap(html, announce, byOthers) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var changed = [];
    regions.forEach(function (id) {
      var current = document.getElementById(id);
      var next = fresh.getElementById(id);
      if (!current || !next) return;
      var content = comparable(next);
      if (content === served[id]) { showHeld(current, ""); return; }  // back as shown: nothing to say
      if (current.hasAttribute("data-live-always") || !inUse(current)) {
        replace(current, next);
        served[id] = content;
        changed.push(id);
      } else {
        // Kept as it is for whoever types in it; it stays behind the server's version until then.
        showHeld(current, next.dataset.heldText || "");
      }
    });
    if (changed.length && announce && announcer) {
      // Only colleagues' notes since the last look: say that, not "a new message" or "the request changed".
      var notesOnly = announce === "notes" && root.dataset.liveNoteText;
      announcer.textContent = (notesOnly ? root.dataset.liveNoteText : root.dataset.liveAnnounceText) || "";
    }
    if (changed.length && announce === true && byOthers) retireMessages();
    root.dispatchEvent(new CustomEvent("live:refreshed", { detail: { changed: changed.length > 0, regions: changed } }));
  }

  // The page's own message about the last action ("The question was sent; the request now waits for the
  // client") is no longer the state once someone else changed the page (the client answered, a colleague
  // took the task, a timer reminded): it goes, unless it warns, says what failed or the keyboard is on it.
  // The user's own events (`own`: notifications/consumers.py) keep it, however late: the action itself
  // and its follow-ups (the decision document the worker stores a moment later, the user's other tab).
  function retireMessages() {
    document.querySelectorAll(".messages > .message").forEach(function (message) {
      var news = message.classList.contains("success") || message.classList.contains("info");
      if (!news || message.contains(document.activeElement)) return;  // a warning or an error stays
      var list = message.parentNode;
      message.remove();
      if (!list.children.length && list.parentNode && list.parentNode.getAttribute("role") === "status") {
        list.parentNode.remove();
      }
    });
  }

  // What the server last sent of each region, as compared (at first the page as loaded).
  var served = {};
  regions.forEach(function (id) {
    var region = document.getElementById(id);
    if (region) served[id] = comparable(region);
  });

  function refresh(announce, byOthers) {
    if (live.leaving()) return;  // a fetch for a page being left would only cost the server a render
    // One fetch at a time; events arriving meanwhile cause exactly one more.
    if (busy) { again = true; againByOthers = againByOthers || Boolean(byOthers); return; }
    busy = true;
    fetch(pageUrl, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) swap(html, announce, byOthers); })
      .catch(function () { /* the next event or reconnect fetches again */ })
      .then(function () {
        busy = false;
        if (again) { again = false; refresh(true, againByOthers); againByOthers = false; }
      });
  }

  // Whether every event since the last fetch was a colleague's note (its own announcement), and whether
  // any was someone else's (not `own`: another user, the client, the system's timer).
  var onlyNotes = null;
  var othersActed = false;

  function schedule(event) {
    onlyNotes = (onlyNotes === null ? true : onlyNotes) && event.staff_only === true;
    othersActed = othersActed || event.own !== true;
    // A burst of events (a reply with three attachments, a step with several events) → one fetch.
    if (pending) clearTimeout(pending);
    pending = setTimeout(function () {
      pending = null;
      var announce = onlyNotes ? "notes" : true;
      var byOthers = othersActed;
      onlyNotes = null;
      othersActed = false;
      refresh(announce, byOthers);
    }, 250);
  }

  // The page's one socket (notifications/live_socket.js), shared with the bell: it leaves the page when
  // the session ends (4401) or a client's acts for another company (4409), and says when updates pause.
  var live = window.portalSocket;
  if (!live) return;
  live.livePage();
  live.on("message", function (data) {
    if (data.type === "hello") {
      setState("online");
      // Catch up with what happened while we were connecting or disconnected: only when something did
      // (live_socket.js compares the page's outbox cursor with the hello's; a reconnect always).
      if (data.behind) refresh(false);
    } else if (data.type === "event" && data.event && wanted(data.event)) {
      schedule(data.event);
    }
  });
  live.on("offline", function () { setState("offline"); });
})();
