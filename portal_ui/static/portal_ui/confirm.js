/* A form whose action cannot be undone asks first: <form data-confirm="Remove …? …">. Delegated, so a
   form a live update puts into the page asks too. Without this script the form posts at once. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-confirm]") || event.defaultPrevented) return;
    if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
  }, true);
})();
