/* Processing view: the comment dialog, one-time sending of forms, the withdraw confirmation, and
   showing the reply form when a live update says the lessor now waits for the client. */
(function () {
  "use strict";
  var dialog = document.getElementById("comment-dialog");
  var opener = document.getElementById("open-comment");
  if (dialog && opener && typeof dialog.showModal === "function") {
    opener.addEventListener("click", function () { dialog.showModal(); });
    dialog.querySelectorAll("[data-close-dialog]").forEach(function (button) {
      button.addEventListener("click", function () { dialog.close(); opener.focus(); });
    });
    if (dialog.dataset.open === "1") dialog.showModal();
  }

  document.querySelectorAll("form.once").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending === "1") { event.preventDefault(); return; }
      form.dataset.sending = "1";
      form.setAttribute("aria-busy", "true");
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });

  var cancel = document.getElementById("cancel-form");
  if (cancel) {
    cancel.addEventListener("submit", function (event) {
      if (!window.confirm(cancel.dataset.confirm)) event.preventDefault();
    });
  }

  var root = document.getElementById("live-request");
  if (!root) return;
  root.addEventListener("live:refreshed", function () {
    var status = document.getElementById("request-status");
    if (!status) return;
    var reply = document.getElementById("reply-card");
    if (reply) reply.hidden = status.dataset.status !== "waiting_for_client";
    if (cancel) cancel.hidden = status.dataset.open !== "1";
  });
})();
