/* A form whose action cannot be undone asks first: <form data-confirm="Remove …? …">. Delegated, so a
   form a live update puts into the page asks too. Without this script the form posts at once.
   data-confirm-dialog="<id>" asks in that <dialog> of the page instead of the browser's confirm (whose
   OK has the focus): its [data-confirm-title] gets the question, its [data-confirm-ok] the form's own
   button's words, Cancel [data-confirm-cancel] the keyboard (focused here, not by autofocus: that is
   processed at page load, where the page may have focused something else first, and the browser logs it);
   Esc or Cancel leave the form as it was typed.
   data-confirm-when-typed="<field id>": ask only while that field (another form's) holds text, which the
   post would drop (the inbox thread's final answer closes the reply form with an unsent reply in it). */
(function () {
  "use strict";
  var pending = null; // the form and button the open dialog asks about

  // A required text left empty, or a text shorter than its minlength: the server refuses it at the field.
  function refusedText(form) {
    var fields = form.querySelectorAll("textarea[required], input[required], textarea[minlength], input[minlength]");
    return Array.prototype.some.call(fields, function (f) {
      var text = f.value.trim();
      return (f.required && !text) || (text.length > 0 && text.length < f.minLength);
    });
  }

  // The field whose unsent text the post would drop is blank (or gone): nothing to ask about.
  function nothingToLose(form) {
    var id = form.getAttribute("data-confirm-when-typed");
    if (!id) return false;
    var field = document.getElementById(id);
    return !field || !field.value.trim();
  }

  function ask(dialog, form, submitter) {
    var title = dialog.querySelector("[data-confirm-title]");
    var ok = dialog.querySelector("[data-confirm-ok]");
    if (title) title.textContent = form.getAttribute("data-confirm");
    if (ok && submitter) {
      ok.textContent = submitter.textContent;
      ok.className = submitter.className;
    }
    pending = { form: form, submitter: submitter };
    dialog.returnValue = "";
    dialog.showModal();
    var cancel = dialog.querySelector("[data-confirm-cancel]");
    if (cancel) cancel.focus();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-confirm]") || event.defaultPrevented) return;
    if (form.dataset.confirmed === "1") { // answered "yes" in the dialog: this is its post
      delete form.dataset.confirmed;
      return;
    }
    if (nothingToLose(form)) return;
    var dialog = document.getElementById(form.getAttribute("data-confirm-dialog") || "");
    if (dialog && typeof dialog.showModal === "function") {
      // Nothing to confirm: the server refuses the text and says so at the field.
      if (refusedText(form)) return;
      event.preventDefault();
      ask(dialog, form, event.submitter || form.querySelector("button[type=submit]"));
      return;
    }
    if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
  }, true);

  document.addEventListener("close", function (event) {
    var dialog = event.target;
    if (!pending || !dialog.matches || !dialog.matches("dialog")) return;
    var asked = pending;
    pending = null;
    if (!asked.form.isConnected) return;
    if (dialog.returnValue === "confirm") {
      asked.form.dataset.confirmed = "1";
      if (asked.form.requestSubmit) asked.form.requestSubmit(asked.submitter);
      else asked.form.submit();
    } else if (asked.submitter) {
      asked.submitter.focus(); // back where the question was asked, with the typed text as it was
    }
  }, true);
})();
