/* The modeler's palette (create a start event, a gateway, a task…) on the keyboard. bpmn-js draws its entries
   as divs for the mouse, where a click starts dragging the new element to its place. Here the entries that
   create an element form one toolbar in the Tab order after the diagram: the arrow keys (and Home / End)
   move between its buttons, each named by its title in the page's language, and Enter or Space creates the
   element at once, beside the selected element, else in the selected lane or pool, else in the middle of
   the diagram's visible part, and selects it, so the element list, N / P, E and Enter go on from it. The
   tools (hand, lasso, space, global connect) work with the mouse only and stay out of the toolbar: the
   element list's "Connect it to" is the keyboard's connect tool. */
(function () {
  "use strict";
  var root = document.getElementById("flow-editor");
  var modeler = root && root.modeler;
  if (!modeler) return;
  var texts = root.dataset;
  var canvasElement = document.getElementById("bpmn-canvas");
  var status = document.getElementById("selection-status");
  var GAP = 50;  // between the selected element and the new one, as autoPlace leaves it
  var CREATES = ".entry[data-action^='create.']";  // bpmn-js names every palette entry that creates "create.*"

  function paletteBox() { return canvasElement.querySelector(".djs-palette"); }
  function buttons() { return [].slice.call(paletteBox().querySelectorAll(CREATES)); }
  function isContainer(element) { return /^bpmn:(Participant|Lane)$/.test(element.type); }

  // Roles, names and one Tab stop, again after each time bpmn-js redraws the entries (palette.changed).
  function describePalette() {
    var box = paletteBox();
    if (!box) return;
    var toolbar = box.querySelector(".djs-palette-entries");
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-orientation", "vertical");
    toolbar.setAttribute("aria-label", texts.textPalette);
    toolbar.setAttribute("aria-describedby", "palette-keys");
    box.querySelectorAll(".entry, .separator").forEach(function (entry) {
      if (!entry.matches(CREATES)) {
        entry.setAttribute("aria-hidden", "true");
        return;
      }
      entry.setAttribute("role", "button");
      entry.setAttribute("aria-label", entry.getAttribute("title") || entry.dataset.action);
      if (!entry.hasAttribute("tabindex")) entry.setAttribute("tabindex", "-1");
    });
    var all = buttons();
    if (all.length && !all.some(function (entry) { return entry.tabIndex === 0; })) all[0].tabIndex = 0;
  }
  function moveTo(all, index) {
    all.forEach(function (entry, at) { entry.tabIndex = at === index ? 0 : -1; });
    all[index].focus();
  }

  // The elements the entry's click would start dragging: bpmn-js's palette makes them with its own
  // factory (a sub-process with its start event, a pool with its size), so the keyboard creates the same.
  function elementsOf(action) {
    var entry = modeler.get("palette").getEntries()[action];
    var click = entry && (typeof entry.action === "function" ? entry.action : (entry.action || {}).click);
    if (!click) return null;
    var create = modeler.get("create");
    var start = create.start;
    var made = null;
    create.start = function (event, elements) { made = [].concat(elements); };
    try {
      click({});
    } finally {
      create.start = start;
    }
    return made;
  }

  function bounds(elements) {
    var shapes = elements.filter(function (e) { return !e.waypoints && !e.hidden; });
    var x = Math.min.apply(null, shapes.map(function (e) { return e.x || 0; }));
    var y = Math.min.apply(null, shapes.map(function (e) { return e.y || 0; }));
    return {
      width: Math.max.apply(null, shapes.map(function (e) { return (e.x || 0) + e.width; })) - x,
      height: Math.max.apply(null, shapes.map(function (e) { return (e.y || 0) + e.height; })) - y
    };
  }
  function contains(shape, point) {
    return point.x >= shape.x && point.x <= shape.x + shape.width && point.y >= shape.y && point.y <= shape.y + shape.height;
  }
  function centre(area) { return { x: area.x + area.width / 2, y: area.y + area.height / 2 }; }
  // The part of a lane or pool on the screen (past a pool's name band), else the whole of it.
  function visiblePart(shape) {
    var view = modeler.get("canvas").viewbox();
    var left = Math.max(shape.x + (shape.type === "bpmn:Participant" ? 30 : 0), view.x);
    var top = Math.max(shape.y, view.y);
    var right = Math.min(shape.x + shape.width, view.x + view.width);
    var bottom = Math.min(shape.y + shape.height, view.y + view.height);
    if (right <= left || bottom <= top) return shape;
    return { x: left, y: top, width: right - left, height: bottom - top };
  }
  // `point` moved so that an element of `size` there lies inside `shape` (past a pool's name band).
  function inside(shape, point, size) {
    var band = shape.type === "bpmn:Participant" ? 30 : 0;
    function clamp(value, low, high) { return low > high ? (low + high) / 2 : Math.min(Math.max(value, low), high); }
    return {
      x: clamp(point.x, shape.x + band + size.width / 2 + 10, shape.x + shape.width - size.width / 2 - 10),
      y: clamp(point.y, shape.y + size.height / 2 + 10, shape.y + shape.height - size.height / 2 - 10)
    };
  }
  function laneOf(element) {
    return modeler.get("elementRegistry").filter(function (e) {
      return e.type === "bpmn:Lane" && (e.businessObject.flowNodeRef || []).indexOf(element.businessObject) >= 0;
    })[0];
  }
  // The first spot from `point` to the right where the new element covers no other one.
  function freeSpot(point, size) {
    var others = modeler.get("elementRegistry").filter(function (e) {
      return e.parent && !e.waypoints && e.type !== "label" && !isContainer(e);
    });
    function covers(p) {
      return others.some(function (e) {
        return Math.abs(e.x + e.width / 2 - p.x) < (e.width + size.width) / 2 + 10 &&
          Math.abs(e.y + e.height / 2 - p.y) < (e.height + size.height) / 2 + 10;
      });
    }
    var spot = { x: Math.round(point.x), y: Math.round(point.y) };
    for (var tries = 0; tries < 40 && covers(spot); tries++) spot.x += size.width + GAP;
    return spot;
  }
  // The lanes and pools at `point`, the innermost (smallest) first.
  function containersAt(point) {
    return modeler.get("elementRegistry").filter(function (e) { return isContainer(e) && contains(e, point); })
      .sort(function (a, b) { return a.width * a.height - b.width * b.height; });
  }
  function innermost(point) { return containersAt(point)[0] || null; }
  function allowed(elements, target, position) {
    var rules = modeler.get("rules");
    var tops = elements.filter(function (e) { return !e.parent; });
    if (tops.length === 1 && !tops[0].waypoints) {
      return rules.allowed("shape.create", { shape: tops[0], target: target, position: position });
    }
    return rules.allowed("elements.create", { elements: elements, target: target, position: position });
  }
  // Where the new elements go and into what, as a drop there with the mouse would put them: the innermost
  // lane or pool at the spot, else the diagram itself; when none may hold them (outside every pool), the
  // lane or pool nearest to the middle of the screen.
  function placement(elements) {
    var canvas = modeler.get("canvas");
    var registry = modeler.get("elementRegistry");
    var size = bounds(elements);
    var chosen = modeler.get("selection").get();
    var anchor = chosen.length === 1 && !chosen[0].waypoints ? chosen[0].labelTarget || chosen[0] : null;
    var start;
    var holders = [];
    if (anchor && !isContainer(anchor)) {
      start = { x: anchor.x + anchor.width + GAP + size.width / 2, y: anchor.y + anchor.height / 2 };
      // Past the pool's edge the new element still joins the selected one's lane (the pool grows to it).
      holders = [laneOf(anchor), anchor.parent].filter(Boolean);
    } else if (anchor) {
      start = inside(anchor, centre(visiblePart(anchor)), size);
    } else {  // the middle of the screen, wholly inside the lane or pool there
      start = centre(canvas.viewbox());
      var under = innermost(start);
      if (under) start = inside(under, start, size);
    }
    var pools = registry.filter(function (e) { return e.type === "bpmn:Participant"; });
    if (elements[0].type === "bpmn:Participant" && pools.length) {  // a new pool goes below the others
      var lowest = Math.max.apply(null, pools.map(function (p) { return p.y + p.height; }));
      start = { x: pools[0].x + pools[0].width / 2, y: lowest + GAP + size.height / 2 };
    }
    var spot = freeSpot(start, size);
    holders = containersAt(spot).concat(holders, [canvas.getRootElement()]);
    for (var i = 0; i < holders.length; i++) {
      if (allowed(elements, holders[i], spot)) return { position: spot, target: holders[i] };
    }
    var middle = centre(canvas.viewbox());
    var near = registry.filter(isContainer).sort(function (a, b) {
      var ca = centre(a), cb = centre(b);
      return Math.hypot(ca.x - middle.x, ca.y - middle.y) - Math.hypot(cb.x - middle.x, cb.y - middle.y);
    });
    for (var j = 0; j < near.length; j++) {
      var there = freeSpot(inside(near[j], centre(visiblePart(near[j])), size), size);
      if (allowed(elements, near[j], there)) return { position: there, target: near[j] };
    }
    return null;
  }

  function createFrom(entry) {
    var elements = elementsOf(entry.dataset.action);
    if (!elements || !elements.length) return;
    var place = placement(elements);
    if (!place) {
      status.textContent = texts.textPaletteRefused;
      return;
    }
    var created = modeler.get("modeling").createElements(elements, place.position, place.target);
    var shape = created.filter(function (e) { return !e.waypoints && e.type !== "label"; })[0];
    if (!shape) return;
    buttons().forEach(function (button) { button.tabIndex = button === entry ? 0 : -1; });
    root.selectCreated(shape);
    // The diagram takes the focus: E names the new element, Enter opens its properties, Tab comes back here.
    canvasElement.focus({ preventScroll: true });
  }

  function onKey(event) {
    var entry = event.target.closest ? event.target.closest(CREATES) : null;
    if (!entry) return;
    var all = buttons();
    var at = all.indexOf(entry);
    var to;
    switch (event.key) {
      case "ArrowDown": case "ArrowRight": to = (at + 1) % all.length; break;
      case "ArrowUp": case "ArrowLeft": to = (at - 1 + all.length) % all.length; break;
      case "Home": to = 0; break;
      case "End": to = all.length - 1; break;
      case "Enter": case " ": to = -1; break;
      default: return;  // the diagram's own keys (Ctrl+Z…) still reach it
    }
    // Handled here: the diagram's keyboard (bound to the canvas, around the palette) leaves it alone.
    event.preventDefault();
    event.stopPropagation();
    if (to >= 0) moveTo(all, to);
    else createFrom(entry);
  }

  describePalette();
  modeler.on("palette.changed", describePalette);
  if (paletteBox()) paletteBox().addEventListener("keydown", onKey);
})();
