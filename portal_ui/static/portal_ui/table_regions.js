/* Every .table-wrap that scrolls (a wide table on a phone, a tall schedule) can be scrolled from the
   keyboard: it takes focus (tabindex=0) as a region named by its table's caption or label (WCAG 2.1.1,
   axe scrollable-region-focusable). One place for every page, and for the tables scripts build (the
   schedule preview) or live updates swap in; a box that fits its table gets no extra tab stop. When the
   card around it is already the landmark of that name, the box is a named group instead of a second
   region with the same name. */
(function () {
  "use strict";
  var MARK = "data-scroll-region";  // attributes this script set, so it may take them back

  function text(ids) {
    return (ids || "").split(/\s+/).map(function (id) {
      var element = id && document.getElementById(id);
      return element ? element.textContent : "";
    }).join(" ").replace(/\s+/g, " ").trim();
  }

  function labelIds(table) {
    var caption = table.querySelector("caption");
    if (caption) {
      if (!caption.id) caption.id = "table-caption-" + Math.random().toString(36).slice(2, 9);
      return caption.id;
    }
    return table.getAttribute("aria-labelledby") || "";
  }

  function scrolls(wrap) {
    return wrap.scrollWidth > wrap.clientWidth + 1 || wrap.scrollHeight > wrap.clientHeight + 1;
  }

  function mark(wrap) {
    var table = wrap.querySelector("table");
    if (!table || (wrap.hasAttribute("tabindex") && !wrap.hasAttribute(MARK))) return;  // stated by its page
    if (!scrolls(wrap)) {
      if (wrap.hasAttribute(MARK)) {
        ["tabindex", "role", "aria-labelledby", "aria-label", MARK].forEach(function (name) { wrap.removeAttribute(name); });
      }
      return;
    }
    if (wrap.hasAttribute(MARK)) return;
    var ids = labelIds(table);
    var name = ids ? text(ids) : (table.getAttribute("aria-label") || "");
    var card = wrap.parentElement && wrap.parentElement.closest("section[aria-labelledby], [role=region][aria-labelledby]");
    var same = card && text(card.getAttribute("aria-labelledby")) === name;
    wrap.setAttribute(MARK, "");
    wrap.setAttribute("tabindex", "0");
    wrap.setAttribute("role", same ? "group" : "region");
    if (ids) wrap.setAttribute("aria-labelledby", ids);
    else if (name) wrap.setAttribute("aria-label", name);
  }

  var queued = false;
  function markAll() {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(function () {
      queued = false;
      document.querySelectorAll(".table-wrap").forEach(mark);
    });
  }

  markAll();
  window.addEventListener("resize", markAll);
  new MutationObserver(function (records) {
    var added = records.some(function (record) {
      return Array.prototype.some.call(record.addedNodes, function (node) { return node.nodeType === 1; });
    });
    if (added) markAll();
  }).observe(document.body, { childList: true, subtree: true });
})();
