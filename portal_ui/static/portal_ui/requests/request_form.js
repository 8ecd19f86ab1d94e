/* New request form: show dependent fields, mark the contract's current payment day, preview the new
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
      /* The current day is shown disabled, "(current)", as the server draws it (new_step2.html): sent, it
         would be refused as no change. A day ticked before stays ticked unless it is the new current one. */
      form.querySelectorAll("[name='data__payment_day']").forEach(function (r) {
        var current = r.value === day;
        r.disabled = current;
        if (current) r.checked = false;
        var mark = r.parentNode.querySelector(".current-day-mark");
        if (mark) mark.hidden = !current;
      });
      /* The server's wording (request_form_page._payment_day_notes). */
      if (note && day) note.textContent = note.dataset.note.replace("{day}", day);
      followContractCurrency(option.dataset.currency);
    }
    currencyNote();
  }

  /* The value change's currency: the contract's is preselected until the client types a price or picks a
     currency; from then on a change of contract keeps it (a price typed in CHF stays CHF), and a note
     beside the field says when it is not the contract's. */
  var currency = document.getElementById("f-data__currency");
  var currencyNoteBox = document.getElementById("currency-note");
  var shownCurrency = contract && contract.tagName === "SELECT" && contract.selectedIndex >= 0
    ? contract.options[contract.selectedIndex].dataset.currency : "";
  function followContractCurrency(contractCurrency) {
    if (!currency || !contractCurrency) return;
    var amount = form.querySelector("[name='data__net_amount']");
    var chosen = currency.value !== shownCurrency || (amount && amount.value.trim());
    if (!chosen) currency.value = contractCurrency;
    shownCurrency = contractCurrency;
  }
  function currencyNote() {
    if (!currency || !currencyNoteBox) return;
    var text = currency.value && shownCurrency && currency.value !== shownCurrency
      ? currencyNoteBox.dataset.note.replace(/\{contract\}/g, shownCurrency).replace(/\{currency\}/g, currency.value) : "";
    if (currencyNoteBox.textContent === text) return;
    currencyNoteBox.replaceChildren();
    if (text) {
      var line = document.createElement("p");
      line.className = "alert warning";
      line.textContent = text;
      currencyNoteBox.appendChild(line);
    }
  }
  if (currency) currency.addEventListener("change", currencyNote);
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

  /* How many installments the new period re-plans: the period (typed, or the contract's) minus the
     installments the change keeps, counted by the server for each contract (data-kept-installments,
     kept_installment_count). Not the newest preview's rows: those are the old period's while a preview
     with the wrong number of amounts is refused. */
  function installmentCount() {
    var option = contract && contract.tagName === "SELECT" ? contract.options[contract.selectedIndex] : null;
    if (!option || !option.dataset.keptInstallments) return 0;
    var typed = value("data__months").trim();
    var months = typed ? (/^\d+$/.test(typed) ? Number(typed) : 0) : Number(option.dataset.months);
    var count = months - Number(option.dataset.keptInstallments);
    return count > 0 ? count : 0;
  }

  /* "Change the installment amount": a table of the installments the change re-plans (number, due date,
     current net, an input for the new net, pre-filled with the current) replaces the text box, which it
     keeps filled, one amount a line: the form sends what the API takes (net_installments). The last
     installment is computed (it repays the rest), so it has no input. Without JS the text box remains. */
  var area = form.querySelector("textarea[name='data__net_installments']");
  var tableBox = document.getElementById("installment-table");
  var fill = document.getElementById("fill-installments");
  var currentRows = {};
  var rowsScript = document.getElementById("installment-rows");
  if (rowsScript) { try { currentRows = JSON.parse(rowsScript.textContent) || {}; } catch (e) { currentRows = {}; } }
  var tableInputs = [];
  var tableContract = contract ? contract.value : "";
  function splitAmounts(text) {
    return text.split(/[;\n]+/).map(function (s) { return s.trim(); }).filter(function (s) { return s; });
  }
  function syncArea() {
    area.value = tableInputs.map(function (input) { return input.value.trim(); }).join("\n");
    area.dispatchEvent(new Event("input"));
  }
  function cell(tag, text, label, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (label) node.setAttribute("data-label", label);
    if (cls) node.className = cls;
    return node;
  }
  function buildTable() {
    if (!area || !tableBox) return;
    var t = tableBox.dataset;
    var rows = currentRows[contract ? contract.value : ""] || [];
    var count = installmentCount();
    if (!rows.length || !count) {
      tableBox.hidden = true; area.hidden = false; tableInputs = [];
      return;
    }
    if (contract && contract.value !== tableContract) { area.value = ""; tableContract = contract.value; }
    var typed = splitAmounts(area.value);
    var field = tableBox.parentNode;
    var label = field.querySelector("label[for='" + area.id + "']");
    if (label) label.hidden = true;
    var help = document.getElementById("help-net-installments");
    if (help) help.hidden = true;
    /* The error summary's link and the page's focus go to the table, not the hidden box. */
    if (area.id === "f-data__net_installments") { area.id = "f-data__net_installments-text"; tableBox.id = "f-data__net_installments"; tableBox.tabIndex = -1; }
    area.hidden = true;
    var errors = document.getElementById("err-data__net_installments");
    var table = cell("table", undefined, undefined, "data-table compact list responsive installment-table");
    var caption = cell("caption", t.caption); table.appendChild(caption);
    var helpText = cell("p", t.help, undefined, "helptext"); helpText.id = "help-installment-table";
    var heads = [t.textNo, t.textDue, t.textCurrent, t.textNew];
    var tr = document.createElement("tr");
    heads.forEach(function (text, i) { var th = cell("th", text, undefined, i > 1 ? "num" : undefined); th.scope = "col"; tr.appendChild(th); });
    var thead = document.createElement("thead"); thead.appendChild(tr); table.appendChild(thead);
    var tbody = document.createElement("tbody");
    var first = Number(rows[0].number);
    var previous = "";
    tableInputs = [];
    for (var i = 0; i < count; i++) {
      var row = rows[i];
      var number = String(first + i);
      var line = document.createElement("tr");
      line.appendChild(cell("td", number, heads[0]));
      line.appendChild(cell("td", row ? row.due : t.textNewRow, heads[1]));
      line.appendChild(cell("td", row ? row.net_display : "—", heads[2], "num"));
      var last = i === count - 1;
      var box = cell("td", last ? t.textLast : undefined, heads[3], "num");
      if (!last) {
        var input = document.createElement("input");
        input.type = "text"; input.autocomplete = "off"; input.inputMode = "decimal";
        input.id = "f-installment-" + number;
        input.value = typed[i] !== undefined ? typed[i] : (row ? row.net : previous);
        previous = input.value;
        input.setAttribute("aria-describedby", "help-installment-table" + (errors ? " err-data__net_installments" : ""));
        if (errors) input.setAttribute("aria-invalid", "true");
        var hidden = cell("label", (row ? t.textRowLabel : t.textRowLabelNew).replace("{number}", number).replace("{due}", row ? row.due : ""), undefined, "visually-hidden");
        hidden.htmlFor = input.id;
        input.addEventListener("input", syncArea);
        box.appendChild(hidden); box.appendChild(input);
        tableInputs.push(input);
      }
      line.appendChild(box);
      tbody.appendChild(line);
    }
    table.appendChild(tbody);
    var wrap = cell("div", undefined, undefined, "table-wrap");
    wrap.appendChild(table);
    tableBox.replaceChildren(helpText, wrap);
    tableBox.hidden = false;
    syncArea();
  }
  if (fill) {
    fill.addEventListener("click", function () {
      if (tableInputs.length) {
        tableInputs.forEach(function (input) { input.value = tableInputs[0].value; });
        syncArea();
        return;
      }
      var firstAmount = area ? splitAmounts(area.value)[0] : "";
      var count = installmentCount();
      if (!firstAmount || !count) return;
      area.value = Array(count).fill(firstAmount).join("\n");
      area.dispatchEvent(new Event("input"));
    });
  }
  function followPeriod() {
    if (fill) fill.hidden = !installmentCount();
    buildTable();
  }
  var monthsInput = form.querySelector("[name='data__months']");
  if (monthsInput) monthsInput.addEventListener("input", followPeriod);
  if (contract) contract.addEventListener("change", followPeriod);
  followPeriod();

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
      return { contract_id: Number(value("contract_id")), kind: "contract_value_change", net_amount: number(value("data__net_amount")), currency: value("data__currency") };
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

  /* A refusal the page already shows at its field (sent back by the server) is not repeated here. */
  function shownOnPage(message) {
    return Array.prototype.some.call(form.querySelectorAll(".errorlist li"), function (item) {
      return item.textContent.trim() === message;
    });
  }

  function showError(payload) {
    preview.replaceChildren();
    if (payload.message && shownOnPage(payload.message)) {
      preview.appendChild(el("p", texts.textSeeError, "muted"));
      announce(texts.textSeeError);
      return;
    }
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
    var mine = ++sequence;  // also sets aside an answer still on its way for the contract chosen before
    if (!value("contract_id")) {
      /* "Choose…" (after the race another tab won, new_step2.html): nothing to ask the server about. */
      preview.removeAttribute("aria-busy");
      preview.replaceChildren(el("p", texts.textNoContract, "muted"));
      return;
    }
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
    var name = event.target.name;
    if (name === "data__installment_option" || name === "contract_id" || name === "data__currency") schedule();
  });
  fetchQuote();
})();
