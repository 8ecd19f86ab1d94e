// The approve form's NBP rates (staff/_rate_fields.html): shows the contract's new value and its formula
// ("1 000,00 zł ÷ 4,2500 zł/EUR = 235,29 EUR") while the rates are typed, and puts the formula in the
// confirmation's question, so staff see before confirming what the approval applies. A rate multiplies the
// price, or divides it when it is the contract currency's (data-rate-divides); one half-up rounding to
// grosze at the end, in integers (grosze, ten-thousandths of a zł) as the server's Decimal: no float.
// A rate it cannot read shows the prompt again; the server says at the field what is wrong.
(function () {
  "use strict";
  var RATE = /^([0-9]+)(?:[.,]([0-9]{1,4}))?$/;
  var SCALE = 10000n;  // a rate in ten-thousandths

  function units(text, places) {
    var match = RATE.exec(text);
    if (!match) { return null; }
    return BigInt(match[1] + (match[2] || "").padEnd(places, "0"));
  }

  function format(value, places, lang) {
    var unit = 10n ** BigInt(places);
    var whole = (value / unit).toString();
    var fraction = (value % unit).toString().padStart(places, "0");
    var group = lang === "en" ? "," : "\u00a0";
    return whole.replace(/\B(?=(\d{3})+(?!\d))/g, group) + (lang === "en" ? "." : ",") + fraction;
  }

  function update(fields) {
    var output = fields.querySelector("[data-rate-output]");
    var said = fields.querySelector("[data-rate-formula-output]");
    var form = fields.closest("form");
    if (!output) { return; }
    if (form && !form.dataset.confirmBase) { form.dataset.confirmBase = form.getAttribute("data-confirm") || ""; }
    var lang = fields.dataset.rateLang;
    var top = units(fields.dataset.rateAmount, 2);  // "12000.00" → grosze
    var bottom = 1n;
    var formula = fields.dataset.rateFormula;
    var ok = top !== null;
    fields.querySelectorAll("[data-rate-input]").forEach(function (input) {
      var rate = units(input.value.replace(/[\s\u00a0]/g, ""), 4);
      if (rate === null || rate === 0n) { ok = false; return; }
      if (input.hasAttribute("data-rate-divides")) { top *= SCALE; bottom *= rate; }
      else { top *= rate; bottom *= SCALE; }
      formula = formula.replace("{" + input.dataset.rateInput + "}", format(rate, 4, lang));
    });
    if (!ok) {
      output.textContent = output.dataset.rateEmpty;
      if (said) { said.hidden = true; said.textContent = ""; }
      if (form) { form.setAttribute("data-confirm", form.dataset.confirmBase); }
      return;
    }
    var amount = format((2n * top + bottom) / (2n * bottom), 2, lang);  // half-up: both are positive
    output.textContent = amount + "\u00a0" + fields.dataset.rateSymbol;
    formula = formula.replace("{converted}", amount);
    if (said) { said.textContent = formula; said.hidden = false; }
    if (form) { form.setAttribute("data-confirm", form.dataset.confirmBase + " " + formula); }
  }

  function updateAll() { document.querySelectorAll("[data-rate-formula]").forEach(update); }
  // Delegated, and again after a live update: staff_live.js may replace the form, keeping the typed rate.
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-rate-input]")) {
      update(event.target.closest("[data-rate-formula]"));
    }
  });
  window.addEventListener("live:refreshed", updateAll, true);  // capture: the event does not bubble
  updateAll();
})();
