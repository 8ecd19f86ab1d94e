/* New request form: show dependent fields, preselect the contract's payment day, preview the new
   schedule as the user types (schedule change), and send the form only once. */
(function () {
  "use strict";
  var form = document.getElementById("request-form");
  if (!form) return;
  var lang = document.documentElement.lang || "pl";

  function value(name) {
    var checked = form.querySelector("[name='" + name + "']:checked");
    if (checked) return checked.value;
    var field = form.querySelector("[name='" + name + "']:not([type=radio]):not([type=checkbox])");
    return field ? field.value : "";
  }

  /* Dependent fields: data-show-when="field=value". */
  function toggleDependents() {
    form.querySelectorAll("[data-show-when]").forEach(function (box) {
      var rule = box.dataset.showWhen.split("=");
      box.hidden = value(rule[0]) !== rule[1];
    });
  }
  form.addEventListener("change", toggleDependents);
  toggleDependents();

  /* The contract's current payment day / currency. */
  var contract = document.getElementById("f-contract_id");
  var note = document.getElementById("current-day-note");
  function contractChanged(initial) {
    if (!contract || contract.tagName !== "SELECT") return;
    var option = contract.options[contract.selectedIndex];
    if (!option) return;
    var day = option.dataset.paymentDay;
    if (!initial) {
      var radio = form.querySelector("[name='data__payment_day'][value='" + day + "']");
      form.querySelectorAll("[name='data__payment_day']").forEach(function (r) { r.checked = r === radio; });
      /* The server's wording (request_submit_views._payment_day_notes): preselected, or not an option. */
      if (note && day) note.textContent = (radio ? note.dataset.noteOffered : note.dataset.noteNotOffered).replace("{day}", day);
      /* Only the contract's currency is accepted (the API's rule), so it is the only one offered. */
      var currency = document.getElementById("f-data__currency");
      if (currency && option.dataset.currency) {
        currency.replaceChildren(new Option(option.dataset.currency, option.dataset.currency, true, true));
      }
    }
  }
  if (contract) contract.addEventListener("change", function () { contractChanged(false); });
  contractChanged(true);

  /* Fields a type of contract does not have (a loan's final value): hidden and not sent. */
  function contractTypeChanged() {
    if (!contract || contract.tagName !== "SELECT") return;
    var option = contract.options[contract.selectedIndex];
    var type = option ? option.dataset.contractType : "";
    form.querySelectorAll("[data-hide-for-type]").forEach(function (box) {
      var hide = !!type && box.dataset.hideForType === type;
      box.hidden = hide;
      box.querySelectorAll("input").forEach(function (input) { input.disabled = hide; });
    });
  }
  if (contract) contract.addEventListener("change", contractTypeChanged);
  contractTypeChanged();

  /* Send once: a second click while sending does nothing; the server also keys the submit. */
  var sending = false;
  form.addEventListener("submit", function (event) {
    if (sending) { event.preventDefault(); return; }
    sending = true;
    var button = document.getElementById("submit-request");
    var progress = document.getElementById("submit-progress");
    form.setAttribute("aria-busy", "true");
    if (button) { button.disabled = true; button.classList.add("is-busy"); }
    if (progress) progress.textContent = form.dataset.sending || "…";
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      sending = false;
      var button = document.getElementById("submit-request");
      if (button) button.disabled = false;
    }
  });

  /* Error summary gets focus so screen readers read it first. */
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  /* Immediate preview of the new schedule. */
  var preview = document.getElementById("quote-preview");
  if (!preview) return;
  var texts = preview.dataset;
  var timer = null;
  var sequence = 0;
  /* Amounts and dates come formatted by the server (backend/core/money.py), the one formatter of the
     portal: the browser's own number format would differ from the schedule page ("7918,55"). */
  /* Typed numbers are read by the rules of backend/core/money.parse_amount, which reads the same form
     when it is sent: as the page's language writes them ("700,000.00" / "700 000,00"), a bare number in
     both; null for anything else, never a guess (English "700,5" is not 700.50). */
  var grouped = "[0-9]{1,3}(?:SEP[0-9]{3})+";
  var english = lang.indexOf("en") === 0;
  var typedNumber = english
    ? new RegExp("^([0-9]+|" + grouped.replace("SEP", "[, ]") + ")(?:\\.([0-9]+))?$")
    : new RegExp("^([0-9]+|" + grouped.replace("SEP", " ") + ")(?:,([0-9]+))?$");
  var polishDot = /^([0-9]+)\.([0-9]{1,2}|[0-9]{4,})$/;
  function parseDecimal(text) {
    var compact = text.trim().replace(/[\s\u00a0\u202f\u2009']+/g, " ");
    var sign = "";
    if (/^[-\u2212]/.test(compact)) { sign = "-"; compact = compact.slice(1).trim(); }
    if (!compact && !sign) return "";
    var match = typedNumber.exec(compact) || (english ? null : polishDot.exec(compact));
    if (!match) return null;
    return sign + match[1].replace(/[^0-9]/g, "") + (match[2] ? "." + match[2] : "");
  }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  var valueChange = form.dataset.kind === "contract_value_change";

  var unreadable = false;  // a number the last body() could not read: the preview says how to write it
  function number(text) {
    var parsed = parseDecimal(text);
    if (parsed === null) { unreadable = true; return ""; }
    return parsed;
  }

  function body() {
    unreadable = false;
    if (valueChange) {
      return { contract_id: Number(value("contract_id")), kind: "contract_value_change", net_amount: number(value("data__net_amount")) };
    }
    var data = { contract_id: Number(value("contract_id")), installment_option: value("data__installment_option") || "auto" };
    var residual = number(value("data__residual_percent"));
    var months = value("data__months").trim();
    if (residual) data.residual_percent = residual;
    if (months) data.months = months;
    if (data.installment_option === "amount") {
      data.net_installments = value("data__net_installments").split(/[;\n]+/)
        .map(function (s) { return number(s); }).filter(function (s) { return s; });
    }
    return data;
  }

  /* What a screen reader hears of a recalculation: one short sentence (the preview itself is not live). */
  var announcer = document.getElementById("quote-announce");
  function announce(text) { if (announcer) announcer.textContent = text; }

  function showError(payload) {
    preview.replaceChildren();
    announce(payload.message || texts.textError);
    var box = el("div", undefined, "alert error");
    box.appendChild(el("p", payload.message || texts.textError));
    var fields = payload.fields || {};
    Object.keys(fields).forEach(function (key) {
      fields[key].forEach(function (message) {
        if (message !== payload.message) box.appendChild(el("p", message));
      });
    });
    preview.appendChild(box);
  }

  /* The fill button writes one amount per installment the new period re-plans: the period (typed, or
     the contract's) minus the installments the change keeps, counted by the server for each contract
     (data-kept-installments, kept_installment_count). Not the newest preview's rows: those are the old
     period's while a preview with the wrong number of amounts is refused. */
  var fill = document.getElementById("fill-installments");
  var filled = null;  // the text the button wrote: it follows a changed period until the user edits it
  function installmentCount() {
    var option = contract && contract.tagName === "SELECT" ? contract.options[contract.selectedIndex] : null;
    if (!option || !option.dataset.keptInstallments) return 0;
    var typed = value("data__months").trim();
    var months = typed ? (/^\d+$/.test(typed) ? Number(typed) : 0) : Number(option.dataset.months);
    var count = months - Number(option.dataset.keptInstallments);
    return count > 0 ? count : 0;
  }
  function fillRows(area) {
    var first = area.value.split(/[;\n]+/).filter(function (s) { return s.trim(); })[0];
    var count = installmentCount();
    if (!first || !count) return;
    area.value = filled = Array(count).fill(first.trim()).join("\n");
    area.dispatchEvent(new Event("input"));
  }
  function followPeriod() {
    if (!fill) return;
    fill.hidden = !installmentCount();
    var area = form.querySelector("[name='data__net_installments']");
    if (area && filled !== null && area.value === filled) fillRows(area);
  }
  if (fill) {
    fill.addEventListener("click", function () {
      fillRows(form.querySelector("[name='data__net_installments']"));
    });
    var monthsField = form.querySelector("[name='data__months']");
    if (monthsField) monthsField.addEventListener("input", followPeriod);
    if (contract) contract.addEventListener("change", followPeriod);
    followPeriod();
  }

  function showQuote(quote) {
    preview.replaceChildren();
    var rows = quote.installments || [];
    var summaryList = el("dl", undefined, "quote-summary");
    function pair(label, text) { summaryList.appendChild(el("dt", label)); summaryList.appendChild(el("dd", text)); }
    if (rows.length) pair(texts.textFirst, quote.first_net_display);
    pair(texts.textCount, String(rows.length));
    pair(texts.textMonths, String(quote.months));
    pair(texts.textResidual, quote.residual_percent_display);
    preview.appendChild(summaryList);
    /* The chosen installments leave capital for the last one: say how much (the table shows 6 rows). */
    if (quote.warning) preview.appendChild(el("p", quote.warning, quote.refused ? "alert error" : "alert warning"));
    announce(rows.length
      ? texts.textAnnounce.replace("{amount}", quote.first_net_display).replace("{count}", String(rows.length))
        + (quote.refused && quote.warning ? ". " + quote.warning : "")
      : (quote.warning || ""));
    if (!rows.length) return;
    var wrap = el("div", undefined, "table-wrap");
    /* "list responsive" + data-label: on a phone each installment becomes a card (lists.css), no side scroll. */
    var table = el("table", undefined, "data-table compact list responsive");
    var labels = [texts.textNo, texts.textDue, texts.textNet, texts.textGross, texts.textRemaining];
    var head = el("tr");
    labels.forEach(function (t, i) {
      var th = el("th", t); th.scope = "col"; if (i > 1) th.className = "num"; head.appendChild(th);
    });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var tbody = el("tbody");
    rows.slice(0, 6).forEach(function (row) {
      var tr = el("tr");
      [String(row.number), row.due_date_display, row.net_display, row.gross_display, row.capital_remaining_display]
        .forEach(function (value, i) {
          var td = el("td", value, i > 1 ? "num" : undefined);
          td.setAttribute("data-label", labels[i]);
          tr.appendChild(td);
        });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    wrap.appendChild(table);
    preview.appendChild(wrap);
    if (rows.length > 6) preview.appendChild(el("p", texts.textMore.replace("%(count)s", rows.length - 6), "muted"));
  }

  function fetchQuote() {
    var mine = ++sequence;
    var data = body();
    if (unreadable) { preview.removeAttribute("aria-busy"); showError({ message: texts.textFormat }); return; }
    if (valueChange && !data.net_amount) { preview.replaceChildren(el("p", texts.textEmpty, "muted")); return; }
    preview.setAttribute("aria-busy", "true");
    fetch(preview.dataset.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": window.portalCsrfToken(form), "Accept-Language": lang },
      body: JSON.stringify(data)
    }).then(function (response) {
      return response.json().then(function (payload) { return { ok: response.ok, payload: payload }; });
    }).then(function (result) {
      if (mine !== sequence) return;  // an older answer arriving late must not overwrite a newer one
      preview.removeAttribute("aria-busy");
      if (result.ok) showQuote(result.payload); else showError(result.payload);
    }).catch(function () {
      if (mine !== sequence) return;
      preview.removeAttribute("aria-busy");
      showError({ message: texts.textError });
    });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(fetchQuote, 400);
  }
  ["data__residual_percent", "data__months", "data__net_installments", "data__net_amount"].forEach(function (name) {
    var field = form.querySelector("[name='" + name + "']");
    if (field) field.addEventListener("input", schedule);
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "data__installment_option" || event.target.name === "contract_id") schedule();
  });
  fetchQuote();
})();
