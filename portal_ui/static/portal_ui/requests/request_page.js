/* Processing view: the comment dialog and
   showing the reply form when a live update says the lessor now waits for the client. */
(function () {
  "use strict";
  var dialog = document.getElementById("comment-dialog");
  var opener = document.getElementById("open-comment");
  // Without JS the opener and "Close" are links and the server shows the dialog open in the page;
  // with JS they open and close it as a modal without a reload.
  if (dialog && opener && typeof dialog.showModal === "function") {
    var showModal = function () {
      if (dialog.open) dialog.close();
      dialog.showModal();
      var first = dialog.querySelector("[aria-invalid=true]") || dialog.querySelector("textarea");
      if (first) first.focus();
    };
    opener.addEventListener("click", function (event) { event.preventDefault(); showModal(); });
    dialog.querySelectorAll("[data-close-dialog]").forEach(function (closer) {
      closer.addEventListener("click", function (event) { event.preventDefault(); dialog.close(); opener.focus(); });
    });
    if (dialog.hasAttribute("open")) showModal();
  }

  // One-time sending of its forms: forms.js (every page).

  // Its confirmation is asked by confirm.js (data-confirm).
  var cancel = document.getElementById("cancel-form");

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
