// Server-side drafts of a client form (backend/drafts): a form with data-draft-url saves what the user
// types (debounced) and, when opened with a saved draft, offers "Wznów szkic z … / Odrzuć".
// Without JavaScript the form simply submits; the server deletes the draft after a successful send.
(function () {
  "use strict";

  var SAVE_DELAY_MS = 800;
  var SKIPPED = { csrfmiddlewaretoken: true, idempotency_key: true, attachment_ids: true };

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
      request("PUT", url, form, { form_key: key, data: collect(form) })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (draft) {
          // Times come formatted by the server: Europe/Warsaw and the language's format, not the browser's.
          if (draft) status.textContent = form.dataset.draftSaved.replace("{time}", draft.updated_time_display);
        })
        .catch(function () {});
    }

    function schedule() {
      if (offered) return; // first resume or discard the saved draft, so it is not overwritten
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, SAVE_DELAY_MS);
    }

    function offer(draft) {
      offered = true;
      var box = document.createElement("div");
      box.className = "alert info draft-offer";
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", form.dataset.draftRegion);
      box.setAttribute("data-testid", "draft-offer");
      var text = document.createElement("p");
      text.textContent = form.dataset.draftOffer;
      var resume = document.createElement("button");
      resume.type = "button";
      resume.className = "button";
      resume.textContent = form.dataset.draftResume.replace("{when}", draft.updated_at_display);
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
        restore(form, draft.data || {});
        box.remove();
        offered = false;
        status.textContent = form.dataset.draftResumed;
        var first = fields(form).filter(function (el) {
          return el.type !== "hidden";
        })[0];
        if (first) first.focus();
      });
      discard.addEventListener("click", function () {
        request("DELETE", oneUrl, form).catch(function () {});
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
    form.addEventListener("submit", function () {
      sending = true; // the server deletes the draft when the send succeeds
      if (timer) clearTimeout(timer);
    });
    // A form the server sent back with errors already holds what was typed: no offer then.
    if (form.dataset.draftOfferable !== "false") {
      request("GET", oneUrl, form)
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (drafts) {
          if (drafts.length) offer(drafts[0]);
        })
        .catch(function () {});
    }
  }

  document.querySelectorAll("form[data-draft-url]").forEach(setUp);
})();
