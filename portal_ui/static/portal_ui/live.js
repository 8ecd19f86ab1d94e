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
  var retryDelay = 1000;

  function setState(state) {
    indicator.dataset.state = state;
    indicator.querySelectorAll("[data-when]").forEach(function (el) {
      el.hidden = el.dataset.when !== state;
    });
  }

  function refresh(attempt) {
    attempt = attempt || 0;
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
        if (html !== null) {
          target.innerHTML = html;
          // The side panel's attachments come with the state (a file staff sent with a question).
          var files = target.querySelector("#live-attachments");
          var panel = document.getElementById("request-attachments");
          if (files && panel) panel.innerHTML = files.innerHTML;
          root.dispatchEvent(new CustomEvent("live:refreshed"));
        }
      })
      .catch(retry);
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/portal/");
    socket.addEventListener("open", function () {
      retryDelay = 1000;
      socket.send(JSON.stringify({ action: "watch_request", request_id: requestId }));
    });
    socket.addEventListener("message", function (message) {
      var data;
      try { data = JSON.parse(message.data); } catch (e) { return; }
      if (data.type === "watching" && data.request_id === requestId) {
        setState("online");
        refresh();  // catch up with anything that happened while we were connecting
      } else if (data.type === "event" && Number(data.event.request_id) === requestId) {
        refresh();
      }
    });
    socket.addEventListener("close", function (event) {
      // 4409: the session acts for another company now; 4401: it was logged out. This page belongs to
      // the old state: load it again, the server then shows what this session may see (or the login).
      if (event.code === 4409 || event.code === 4401) {
        window.location.reload();
        return;
      }
      setState("offline");
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  }

  connect();
})();
