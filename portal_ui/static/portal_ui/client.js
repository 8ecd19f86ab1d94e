/* Client pages: small enhancements only; every page works without this script. */
(function () {
  "use strict";

  // A duplicate just generated ("Generuj dokument"): start its download once.
  var autodownload = document.querySelector("[data-autodownload]");
  if (autodownload) {
    autodownload.click();
  }

  // "Dodaj komentarz": open the comment form as a modal dialog. Without JS the button is a link that
  // reloads the page with the form shown.
  document.querySelectorAll("[data-opens-dialog]").forEach(function (opener) {
    var dialog = document.getElementById(opener.getAttribute("data-opens-dialog"));
    if (!dialog || typeof dialog.showModal !== "function") {
      return;
    }
    opener.addEventListener("click", function (event) {
      event.preventDefault();
      if (dialog.open) {
        dialog.close();
      }
      dialog.showModal();
      var first = dialog.querySelector("textarea, input, select");
      if (first) {
        first.focus();
      }
    });
    dialog.querySelectorAll("[data-closes-dialog]").forEach(function (closer) {
      closer.addEventListener("click", function (event) {
        event.preventDefault();
        dialog.close();
        opener.focus();
      });
    });
    // Shown open by the server (after an error or a no-JS open): make it modal, focus the first problem.
    if (dialog.hasAttribute("open")) {
      dialog.close();
      dialog.showModal();
      var invalid = dialog.querySelector("[aria-invalid=true]") || dialog.querySelector("textarea");
      if (invalid) {
        invalid.focus();
      }
    }
  });

  // A form that came back with errors: move focus to its error summary so it is announced.
  var summary = document.querySelector("[data-error-summary]");
  if (summary && !summary.closest("dialog")) {
    summary.focus();
  }
}());
