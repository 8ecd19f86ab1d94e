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

  // "Reply now" (the waiting banner; live updates render it anew, hence one listener on the document): the
  // browser scrolls to the reply form or the counter-offer's buttons, and the keyboard follows, to their
  // first field or button, once the jump is done (it would otherwise move the focus to the card itself).
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-focus-first]") : null;
    if (!link || !link.hash) return;
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    var first = target && target.querySelector("textarea, select, input:not([type=hidden]), button");
    if (first) setTimeout(function () { first.focus({ preventScroll: true }); }, 0);
  });

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
