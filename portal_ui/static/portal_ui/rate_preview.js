// The approve form's exchange rate (staff/_rate_fields.html): shows the contract's new value, price × rate
// rounded half-up to grosze, while the rate is typed, so staff see before confirming what the approval
// applies. Integer arithmetic (grosze × ten-thousandths), as the server's Decimal: no float rounding.
// A rate it cannot read shows the prompt again; the server says at the field what is wrong.
(function () {
  "use strict";
  var RATE = /^([0-9]+)(?:[.,]([0-9]{1,4}))?$/;

  function units(text, places) {
    var match = RATE.exec(text);
    if (!match) { return null; }
    return BigInt(match[1] + (match[2] || "").padEnd(places, "0"));
  }

  function format(grosze, lang) {
    var whole = (grosze / 100n).toString();
    var fraction = (grosze % 100n).toString().padStart(2, "0");
    var group = lang === "en" ? "," : "\u00a0";
    return whole.replace(/\B(?=(\d{3})+(?!\d))/g, group) + (lang === "en" ? "." : ",") + fraction;
  }

  function update(input) {
    var fields = input.closest("[data-rate-amount]");
    var output = fields && fields.querySelector("[data-rate-output]");
    if (!output) { return; }
    var amount = units(fields.dataset.rateAmount, 2);  // "12000.00" → grosze
    var rate = units(input.value.replace(/[\s\u00a0]/g, ""), 4);
    if (amount === null || rate === null || rate === 0n) {
      output.textContent = output.dataset.rateEmpty;
      return;
    }
    var grosze = (amount * rate + 5000n) / 10000n;  // half-up: both are positive
    output.textContent = format(grosze, fields.dataset.rateLang) + "\u00a0" + fields.dataset.rateSymbol;
  }

  function updateAll() { document.querySelectorAll("[data-rate-input]").forEach(update); }
  // Delegated, and again after a live update: staff_live.js may replace the form, keeping the typed rate.
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-rate-input]")) { update(event.target); }
  });
  window.addEventListener("live:refreshed", updateAll, true);  // capture: the event does not bubble
  updateAll();
})();
