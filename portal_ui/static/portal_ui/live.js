/* Live processing view: listen on /ws/portal/ for this request's events and re-fetch its state.
   The socket carries ids and stage only; what is shown always comes from the permission-checked page. */
(function () {
  "use strict";
  var root = document.getElementById("live-request");
  if (!root) return;
  var requestId = Number(root.dataset.requestId);
  var statusUrl = root.dataset.statusUrl;
  var target = document.getElementById("live-request-status");
  var indicator = document.getElementById("live-indicator");
  var announcer = document.getElementById("live-announcer");

  function setState(state) {
    indicator.dataset.state = state;
    indicator.querySelectorAll("[data-when]").forEach(function (el) {
      el.hidden = el.dataset.when !== state;
    });
  }

  // The state region and the page's other live parts (request data, attachments, the buyout panel).
  var PARTS = "#live-request-status, [data-live-part]";

  // What the keyboard is on, to find it again in the new state: its id, else its kind and text.
  function focusKey(element) {
    var region = element && element !== document.body ? element.closest(PARTS) : null;
    if (!region) return null;
    if (element.id) return { region: region, id: element.id };
    return { region: region, tag: element.tagName, href: element.getAttribute("href"), text: element.textContent.trim() };
  }

  function findByKey(key) {
    if (key.id) return document.getElementById(key.id);
    return Array.prototype.find.call(key.region.querySelectorAll(key.tag), function (element) {
      return element.getAttribute("href") === key.href && element.textContent.trim() === key.text;
    }) || null;
  }

  // Put the new state in place; false when nothing changed. Focus stays on the same control (or on its
  // region when that control is gone), and only what changed is announced, never the whole history.
  function swap(html) {
    var fresh = document.createElement("template");
    fresh.innerHTML = html;
    if (fresh.innerHTML === target.innerHTML) return false;
    var key = focusKey(document.activeElement);
    var stageBefore = target.querySelector("#request-stage");
    stageBefore = stageBefore ? stageBefore.textContent.trim() : "";
    var waitingBefore = !!target.querySelector("#waiting-banner");
    target.replaceChildren(fresh.content);
    target.querySelectorAll("template[data-live-for]").forEach(function (part) {
      var place = document.getElementById(part.dataset.liveFor);
      if (place && place.innerHTML !== part.innerHTML) place.replaceChildren(part.content.cloneNode(true));
    });
    if (key) {
      var again = findByKey(key);
      if (!again) { key.region.setAttribute("tabindex", "-1"); again = key.region; }
      again.focus({ preventScroll: true });
    }
    var stage = target.querySelector("#request-stage");
    var banner = target.querySelector("#waiting-banner h2");
    var said = [];
    if (stage && stage.textContent.trim() !== stageBefore) said.push(announcer.dataset.stageText.replace("{stage}", stage.textContent.trim()));
    if (banner && !waitingBefore) said.push(banner.textContent.trim());
    if (said.length) announcer.textContent = said.join(". ");
    return true;
  }

  function refresh(attempt) {
    attempt = attempt || 0;
    if (live.leaving()) return Promise.resolve();  // no render for a page being left
    function retry() {
      // A failed re-fetch would leave a stale stage on screen until the next event: try again.
      if (attempt < 5) setTimeout(function () { refresh(attempt + 1); }, 1000 * (attempt + 1));
    }
    return fetch(statusUrl, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) { retry(); return null; }
        return response.text();
      })
      .then(function (html) {
        if (html !== null && swap(html)) root.dispatchEvent(new CustomEvent("live:refreshed"));
      })
      .catch(retry);
  }

  // The page's one socket (notifications/live_socket.js), shared with the bell: it leaves the page when
  // the session ends (4401) or acts for another company (4409), and says when updates pause.
  var live = window.portalSocket;
  if (!live) return;
  live.livePage();
  live.on("open", function () { live.send({ action: "watch_request", request_id: requestId }); });
  live.on("message", function (data) {
    if (data.type === "watching" && data.request_id === requestId) {
      setState("online");
      // Catch up with what happened while we were connecting or disconnected, when something did
      // (live_socket.js: the page's outbox cursor against the hello's; a reconnect always).
      if (live.behind()) refresh();
    } else if (data.type === "event" && Number(data.event.request_id) === requestId) {
      refresh();
    }
  });
  live.on("offline", function () { setState("offline"); });
})();
