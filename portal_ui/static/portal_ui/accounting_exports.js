// "For the accountant": the ZIPs the worker is preparing show their progress (n of N invoices) and then
// their link or failure. Each one's status is read from the API every two seconds while it is in progress;
// the parts to show are in the page already (no text is built here).
(function () {
  "use strict";
  var POLL_MS = 2000;

  function show(item, part) {
    ["progress", "ready", "failed"].forEach(function (name) {
      var element = item.querySelector('[data-part="' + name + '"]');
      if (element) element.hidden = name !== part;
    });
    // The link appears outside any live region: the section's polite one says the file is ready (a
    // failure is role=alert already).
    var link = item.querySelector('[data-part="ready"]');
    var announcer = item.closest("section") && item.closest("section").querySelector("[data-accounting-announce]");
    if (part === "ready" && link && announcer) announcer.textContent = link.dataset.announce;
  }

  function follow(item) {
    fetch(item.dataset.accountingExport, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) return;  // gone (expired, another client chosen): the next page view says so
        item.dataset.status = job.status;
        var done = item.querySelector('[data-part="done"]');
        var bar = item.querySelector("progress");
        if (done) done.textContent = String(job.done);
        if (bar) bar.value = job.done;
        if (job.status === "ready") show(item, "ready");
        else if (job.status === "failed") show(item, "failed");
        else window.setTimeout(function () { follow(item); }, POLL_MS);
      })
      .catch(function () { window.setTimeout(function () { follow(item); }, POLL_MS * 3); });
  }

  document.querySelectorAll("[data-accounting-export]").forEach(function (item) {
    if (item.dataset.status === "pending" || item.dataset.status === "running") {
      window.setTimeout(function () { follow(item); }, POLL_MS);
    }
  });
})();
