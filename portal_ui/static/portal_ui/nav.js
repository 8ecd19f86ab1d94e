// The main menu on a phone: one "Menu" button opens the whole list (lists.css hides it at <= 40rem only
// when this script runs, so without scripts the menu stays visible). On wide screens the button is hidden
// by CSS and the list shows as a bar. On a phone the same button also opens the header's user tools
// (language, account, log out): the header folds to one row (lists.css, .site-header.menu-folds).
(function () {
  var nav = document.querySelector(".main-nav");
  if (!nav) return;
  var header = nav.closest(".site-header");
  var toggle = nav.querySelector(".nav-toggle");
  if (toggle) {
    toggle.hidden = false;
    nav.classList.add("has-toggle");
    if (header) {
      header.classList.add("menu-folds");
      foldUserTools(header, nav, toggle);
    }
    var setOpen = function (open) {
      nav.classList.toggle("open", open);
      if (header) header.classList.toggle("menu-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    };
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }
  // Where the menu still scrolls sideways (between the phone layout and a wide screen), bring the current
  // section into view so the user sees where they are.
  var current = nav.querySelector('a[aria-current="page"]');
  if (current && current.scrollIntoView && window.matchMedia("(min-width: 40.01rem)").matches) {
    current.scrollIntoView({ block: "nearest", inline: "center" });
  }

  // On a phone the user tools the Menu button opens are drawn below it, so they follow it in the page's
  // order too (Tab from the button reaches them next, a screen reader reads them after it): they move into
  // the menu, between the button and the sections. Everything in the header but the company and the bell
  // (which stay in the header's row) folds. A wider window puts each back where the header has it.
  function foldUserTools(header, nav, toggle) {
    var tools = header.querySelector(".header-tools");
    if (!tools) return;
    var folded = [].filter.call(tools.children, function (el) {
      return !el.matches(".who-client, .switcher, .notice-bell, script");
    });
    if (!folded.length) return;
    var box = document.createElement("div");
    box.className = "menu-tools";
    box.id = "menu-tools";
    toggle.insertAdjacentElement("afterend", box);
    toggle.setAttribute("aria-controls", box.id + " " + toggle.getAttribute("aria-controls"));
    var places = folded.map(function () { return document.createComment("menu-tools"); });
    var phone = window.matchMedia("(max-width: 40rem)");
    var place = function () {
      folded.forEach(function (el, i) {
        if (phone.matches && el.parentNode !== box) {
          el.replaceWith(places[i]);
          box.appendChild(el);
        } else if (!phone.matches && el.parentNode === box) {
          places[i].replaceWith(el);
        }
      });
    };
    place();
    if (phone.addEventListener) phone.addEventListener("change", place);
  }
})();
