// The buyout date picker: says next to the field, before sending, that a date is in the past or after
// the contract's last installment (the server checks the same and answers next to the field too).
(function () {
  "use strict";
  var input = document.getElementById("id_effective_date");
  if (!input) { return; }
  var hint = document.getElementById("effective-date-live");
  function check() {
    var value = input.value;
    var message = "";
    if (value && input.min && value < input.min) { message = input.dataset.msgPast; }
    else if (value && input.max && value > input.max) { message = input.dataset.msgLate; }
    input.setCustomValidity(message || "");
    hint.textContent = message || "";
    hint.hidden = !message;
    if (message) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
  }
  input.addEventListener("change", check);
  input.addEventListener("input", check);
})();
