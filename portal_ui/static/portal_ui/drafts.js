// Server-side drafts of a client form (backend/drafts): a form with data-draft-url saves what the user
// types (debounced) and, when opened with a saved draft, offers "Wznów szkic z … / Odrzuć".
// Without JavaScript the form simply submits; the server deletes the draft after a successful send.
//
// What the server did not take (a save refused: the session expired, the network is down) is kept in this
// browser (localStorage, keyed by user, company and form: never offered to anyone else) and the page says
// so instead of "Szkic zapisany"; it goes once the server has saved it. A send keeps what it carries for
// this tab (sessionStorage): a post that meets an expired session ends on the login page, and the form,
// opened again, offers the text while the server still holds its draft (it deletes the draft of a sent form).
(function () {
  "use strict";

  var SAVE_DELAY_MS = 800;
  var SKIPPED = { csrfmiddlewaretoken: true, idempotency_key: true, attachment_ids: true };
  var KEPT_PREFIX = "portal-draft:";
  var KEPT_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000; // then a shared computer forgets it
  function storageOf(kind) {
    try { return window[kind]; } catch (e) { return null; } // storage switched off
  }
  var browser = storageOf("localStorage"); // text the server refused
  var tab = storageOf("sessionStorage"); // text a send carried

  // A copy is {at, data}, under KEPT_PREFIX + user-company + ":" + form key.
  function readKept(store, name) {
    if (!store || !name) return null;
    try {
      var kept = JSON.parse(store.getItem(name) || "null");
      if (kept && typeof kept.data === "object" && Date.now() - kept.at < KEPT_MAX_AGE_MS) return kept;
      store.removeItem(name);
    } catch (e) { /* unreadable: as if none */ }
    return null;
  }

  function writeKept(store, name, data) {
    if (!store || !name) return;
    try {
      store.setItem(name, JSON.stringify({ at: Date.now(), data: data }));
    } catch (e) { /* storage full or off: nothing more to do */ }
  }

  function dropKept(name) {
    [browser, tab].forEach(function (store) {
      if (!store || !name) return;
      try { store.removeItem(name); } catch (e) { /* off */ }
    });
  }

  // Old copies of any form of any user of this browser go after KEPT_MAX_AGE_MS.
  function forgetOldCopies() {
    if (!browser) return;
    try {
      for (var i = browser.length - 1; i >= 0; i--) {
        var name = browser.key(i);
        if (name && name.indexOf(KEPT_PREFIX) === 0) readKept(browser, name);
      }
    } catch (e) { /* off */ }
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !SKIPPED[el.name] && el.type !== "file" && el.type !== "submit" && el.type !== "button";
    });
  }

  // Checkboxes sharing a name (e.g. the permit's countries) are one field: the list of checked values.
  function isGroup(form, el) {
    return form.querySelectorAll('input[type="checkbox"][name="' + el.name + '"]').length > 1;
  }

  function collect(form) {
    var data = {};
    fields(form).forEach(function (el) {
      if (el.type === "radio") {
        if (el.checked) data[el.name] = el.value;
      } else if (el.type === "checkbox" && isGroup(form, el)) {
        if (!data[el.name]) data[el.name] = [];
        if (el.checked) data[el.name].push(el.value);
      } else if (el.type === "checkbox") {
        if (el.checked) data[el.name] = el.value || "on";
      } else if (el.type !== "hidden") {
        data[el.name] = el.value;
      }
    });
    return data;
  }

  function restore(form, data) {
    fields(form).forEach(function (el) {
      if (!(el.name in data) && el.type !== "checkbox") return;
      var value = data[el.name];
      if (el.type === "radio") {
        el.checked = el.value === value;
      } else if (el.type === "checkbox" && Array.isArray(value)) {
        el.checked = value.indexOf(el.value) !== -1;
      } else if (el.type === "checkbox") {
        el.checked = el.name in data;
      } else if (el.type !== "hidden") {
        el.value = value;
      }
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function request(method, url, form, body) {
    var options = {
      method: method,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options);
  }

  function setUp(form) {
    var url = form.dataset.draftUrl; // the user's drafts; this form's is named by its key
    var key = form.dataset.draftKey;
    var oneUrl = url + "?form_key=" + encodeURIComponent(key);
    // The browser's copy of this form, of this user and company only ("" without an owner: none kept).
    var keptName = form.dataset.draftOwner ? KEPT_PREFIX + form.dataset.draftOwner + ":" + key : "";
    var unsaved = false; // the server refused the last save: the browser's copy is the only one
    var status = document.createElement("p");
    status.className = "draft-status helptext";
    status.setAttribute("aria-live", "polite");
    status.setAttribute("data-testid", "draft-status");
    form.insertBefore(status, form.firstChild);
    var timer = null;
    var offered = false;
    var sending = false;

    function save() {
      timer = null;
      if (sending) return;
      var data = collect(form);
      request("PUT", url, form, { form_key: key, data: data })
        .then(function (response) {
          if (!response.ok) throw response;
          return response.json();
        })
        .then(function (draft) {
          unsaved = false;
          dropKept(keptName); // the server has it now
          // Times come formatted by the server: Europe/Warsaw and the language's format, not the browser's.
          status.textContent = form.dataset.draftSaved.replace("{time}", draft.updated_time_display);
        })
        .catch(function (failure) {
          // Refused (401: the session has expired) or not sent at all: never "saved"; kept here instead.
          unsaved = true;
          writeKept(browser, keptName, data);
          var expired = failure && failure.status === 401;
          status.textContent = expired ? form.dataset.draftExpired : form.dataset.draftNotSaved;
        });
    }

    function schedule() {
      if (offered) return; // first resume or discard the saved draft, so it is not overwritten
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, SAVE_DELAY_MS);
    }

    // The server's draft: "Wznów szkic z 27.11.2026 10:42 / Odrzuć".
    function offer(draft) {
      var resume = form.dataset.draftResume.replace("{when}", draft.updated_at_display);
      offerBox(form.dataset.draftOffer, resume, draft.data, false);
    }

    // The browser's copy (a save or a send the server did not take): "Przywróć tekst / Odrzuć". Restored, it
    // is saved at once, and goes once the server has it; discarded, the server's draft goes with it.
    function offerKept(kept) {
      offerBox(form.dataset.draftKeptOffer, form.dataset.draftKeptResume, kept.data, true);
    }

    function offerBox(offerText, resumeText, data, fromBrowser) {
      offered = true;
      var box = document.createElement("div");
      box.className = "alert info draft-offer";
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", form.dataset.draftRegion);
      box.setAttribute("data-testid", "draft-offer");
      var text = document.createElement("p");
      text.textContent = offerText;
      var resume = document.createElement("button");
      resume.type = "button";
      resume.className = "button";
      resume.textContent = resumeText;
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "button secondary";
      discard.textContent = form.dataset.draftDiscard;
      box.appendChild(text);
      box.appendChild(resume);
      box.appendChild(document.createTextNode(" "));
      box.appendChild(discard);
      form.parentNode.insertBefore(box, form);
      resume.addEventListener("click", function () {
        restore(form, data || {});
        box.remove();
        offered = false;
        status.textContent = form.dataset.draftResumed;
        var first = fields(form).filter(function (el) {
          return el.type !== "hidden";
        })[0];
        if (first) first.focus();
        if (fromBrowser) save();
      });
      discard.addEventListener("click", function () {
        request("DELETE", oneUrl, form).catch(function () {});
        dropKept(keptName);
        box.remove();
        offered = false;
        status.textContent = form.dataset.draftDiscarded;
      });
      resume.focus();
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", function (event) {
      if (event.isTrusted) schedule();
    });
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) return; // the page's own script stopped the send
      sending = true; // the server deletes the draft when the send succeeds
      if (timer) clearTimeout(timer);
      // A post into an expired session ends on the login page: the text waits for the form's return.
      writeKept(unsaved ? browser : tab, keptName, collect(form));
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) sending = false; // back to this page: typing saves again
    });
    var refused = readKept(browser, keptName);
    var kept = readKept(tab, keptName);
    if (form.dataset.draftOfferable === "false") {
      // A form the server sent back with errors already holds what was typed: no offer then.
      dropKept(keptName);
    } else if (refused) {
      offerKept(refused); // the server never had it
    } else {
      request("GET", oneUrl, form)
        .then(function (response) {
          if (!response.ok) throw response;
          return response.json();
        })
        .then(function (drafts) {
          if (kept && drafts.length) offerKept(kept); // a send that did not arrive: its draft is still there
          else if (kept) dropKept(keptName); // sent: the server deleted its draft with it
          else if (drafts.length) offer(drafts[0]);
        })
        .catch(function () {
          if (kept) offerKept(kept);
        });
    }
  }

  forgetOldCopies();
  document.querySelectorAll("form[data-draft-url]").forEach(setUp);
})();
