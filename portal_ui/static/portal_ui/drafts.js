// Server-side drafts of a client form (backend/drafts): a form with data-draft-url saves what the user
// types (debounced) and, when opened with a saved draft, offers "Wznów szkic z … / Odrzuć".
// Without JavaScript the form simply submits; the server deletes the draft after a successful send.
//
// What the server did not take (a save refused: the session expired, the network is down) is kept in this
// browser (localStorage, keyed by user, company and form: never offered to anyone else) and the page says
// so instead of "Szkic zapisany"; it goes once the server has saved it. A send keeps what it carries for
// this tab (sessionStorage): a post that meets an expired session ends on the login page, and the form,
// opened again, offers the text while the server still holds its draft (it deletes the draft of a sent form),
// or when the page says the form was not sent (post_only_pages.py's note, tagged form-not-sent). Leaving the
// page (a link, the language switch) saves a pending draft at once. A browser keeps no file: the names of
// the chosen ones go with the draft (FILES) and the offer says which to choose again.
// Each save and read names the company the form was shown for (data-draft-acting-for): after another tab
// switched company the server refuses them (409 client_changed); the form then stops saving, says so and
// keeps the text in the form and in this browser under that company (offered when the user acts for it).
(function () {
  "use strict";

  var SAVE_DELAY_MS = 800;
  var SKIPPED = { csrfmiddlewaretoken: true, idempotency_key: true, attachment_ids: true };
  var FILES = "_files"; // in a draft's data: the names of the files chosen (never their content)
  var KEPT_PREFIX = "portal-draft:";
  var KEPT_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000; // then a shared computer forgets it
  function storageOf(kind) {
    try { return window[kind]; } catch (e) { return null; } // storage switched off
  }
  var browser = storageOf("localStorage"); // text the server refused
  var savers = []; // per form: save what is pending now (portalSaveDrafts)
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

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !SKIPPED[el.name] && el.type !== "file" && el.type !== "submit" && el.type !== "button";
    });
  }

  // Checkboxes sharing a name (e.g. the permit's countries) are one field: the list of checked values.
  function isGroup(form, el) {
    return form.querySelectorAll('input[type="checkbox"][name="' + el.name + '"]').length > 1;
  }

  function fileNames(form) {
    var names = [];
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) { names.push(file.name); });
    });
    return names;
  }

  function collect(form) {
    var data = {};
    var files = fileNames(form);
    if (files.length) data[FILES] = files;
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

  function request(method, url, form, body, keepalive) {
    var options = {
      method: method,
      credentials: "same-origin",
      keepalive: !!keepalive, // a save as the page goes: the browser finishes it after the page is gone
      headers: { Accept: "application/json", "X-CSRFToken": window.portalCsrfToken(form) },
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
    var actingFor = parseInt(form.dataset.draftActingFor || "", 10) || null; // the company shown for
    var oneUrl = url + "?form_key=" + encodeURIComponent(key) + (actingFor ? "&acting_for=" + actingFor : "");
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
    var switched = false; // another tab switched company: nothing more is saved from this page

    // The server's 409 client_changed: its message (both companies named) instead of "saved"; what the
    // response says otherwise is thrown on as before. Resolves true when the company had changed.
    function clientChanged(response) {
      if (response.status !== 409) return Promise.resolve(false);
      return response.json().then(function (body) {
        if (!body || body.code !== "client_changed") throw response;
        switched = true;
        if (timer) clearTimeout(timer);
        writeKept(browser, keptName, collect(form)); // the owner is the company the form was shown for
        status.className = "draft-status alert warning";
        status.setAttribute("role", "alert");
        status.textContent = body.message;
        return true;
      }, function () { throw response; });
    }

    var saving = null; // the save under way, if any

    function save(leaving) {
      timer = null;
      if (sending || switched) return null;
      var data = collect(form);
      var body = { form_key: key, data: data };
      if (actingFor) body.acting_for = actingFor;
      saving = request("PUT", url, form, body, leaving)
        .then(function (response) {
          return clientChanged(response).then(function (changed) {
            if (changed) return null;
            if (!response.ok) throw response;
            return response.json();
          });
        })
        .then(function (draft) {
          if (!draft) return;
          unsaved = false;
          dropKept(keptName); // the server has it now
          // Times come formatted by the server: Europe/Warsaw and the language's format, not the browser's.
          status.textContent = form.dataset.draftSaved.replace("{time}", draft.updated_time_display);
        })
        .catch(function (failure) {
          // Refused (401: the session has expired) or not sent at all: never "saved"; kept here instead.
          unsaved = true;
          writeKept(browser, keptName, data);
          // 401: the session expired; 403: it changed (its token or second factor): log in again either way.
          var expired = failure && (failure.status === 401 || failure.status === 403);
          status.textContent = expired ? form.dataset.draftExpired : form.dataset.draftNotSaved;
        });
      return saving;
    }

    function schedule() {
      if (offered || switched) return; // first resume or discard the saved draft, so it is not overwritten
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, SAVE_DELAY_MS);
    }

    // The server's draft: "Wznów szkic z 27.11.2026 10:42 / Odrzuć".
    function offer(draft) {
      var resume = form.dataset.draftResume.replace("{when}", draft.updated_at_display);
      offerBox(form.dataset.draftOffer, resume, draft.data, false);
    }

    // The browser's copy: "Przywróć tekst / Odrzuć". Its words say which copy it is: a save the server
    // refused (it never had that text), or a send that did not arrive (the server may hold an earlier
    // draft). Restored, it is saved at once, and goes once the server has it; discarded, the server's draft
    // goes with it.
    function offerKept(kept, fromSend) {
      var text = fromSend ? form.dataset.draftUnsentOffer : form.dataset.draftKeptOffer;
      offerBox(text, form.dataset.draftKeptResume, kept.data, true);
    }

    // "Choose these files again: a.pdf" for a draft that had files chosen ("" without).
    function filesText(data) {
      var names = data && Array.isArray(data[FILES]) ? data[FILES].filter(function (n) { return typeof n === "string"; }) : [];
      return names.length ? form.dataset.draftFiles.replace("{files}", names.join(", ")) : "";
    }

    function offerBox(offerText, resumeText, data, fromBrowser) {
      offered = true;
      var dialog = form.closest("dialog"); // a form in a closed dialog (the request's comment): shown with its offer
      if (dialog && !dialog.open) {
        if (typeof dialog.showModal === "function") dialog.showModal();
        else dialog.setAttribute("open", "");
      }
      var box = document.createElement("div");
      box.className = "alert info draft-offer";
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", form.dataset.draftRegion);
      box.setAttribute("data-testid", "draft-offer");
      var text = document.createElement("p");
      text.textContent = [offerText, filesText(data)].join(" ").trim();
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
        status.textContent = [form.dataset.draftResumed, filesText(data)].join(" ").trim();
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
    // Leaving (a link, the language switch, another tab) within SAVE_DELAY_MS of the last keystroke: the
    // pending save goes now, so the page opened next offers it.
    function saveNow() {
      if (!timer) return;
      clearTimeout(timer);
      save(true);
    }
    window.addEventListener("pagehide", saveNow);
    savers.push(function () {
      if (timer) {
        clearTimeout(timer);
        return save(false);
      }
      return saving;
    });
    document.addEventListener("submit", function (event) {
      if (event.target !== form) saveNow(); // the language switch: saved before its page asks for drafts
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") saveNow();
    });
    var refused = readKept(browser, keptName);
    var kept = readKept(tab, keptName);
    var notSent = document.querySelector(".messages .message.form-not-sent") !== null;
    if (form.dataset.draftOfferable === "false") {
      // A form the server sent back with errors already holds what was typed: no offer then.
      dropKept(keptName);
    } else if (refused) {
      offerKept(refused, false); // the server never had it
    } else if (kept && notSent) {
      offerKept(kept, true); // the page says the send did not arrive
    } else {
      request("GET", oneUrl, form)
        .then(function (response) {
          return clientChanged(response).then(function (changed) {
            if (changed) return null;
            if (!response.ok) throw response;
            return response.json();
          });
        })
        .then(function (drafts) {
          if (!drafts) return;
          if (kept && drafts.length) offerKept(kept, true); // a send that did not arrive: its draft is still there
          else if (kept) dropKept(keptName); // sent: the server deleted its draft with it
          else if (drafts.length) offer(drafts[0]);
        })
        .catch(function () {
          if (kept) offerKept(kept, true);
        });
    }
  }

  forgetOldCopies();
  document.querySelectorAll("form[data-draft-url]").forEach(setUp);
  // session_timeout.js's "Log in again now" waits for this before the logout, which would refuse a save.
  window.portalSaveDrafts = function () {
    return Promise.all(savers.map(function (saveForm) { return saveForm(); }));
  };
})();
