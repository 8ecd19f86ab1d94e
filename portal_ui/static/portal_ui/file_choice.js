/* A file field in the page's language. The browser draws its own control in the browser's language
   ("Choose Files / No file chosen" on a Polish page): beside the input this draws a button and the chosen
   names in the page's words (body data-file-choose / data-file-none). The input itself stays in the form:
   it is what the form sends, what the keyboard focuses (Enter or Space opens the dialog) and what assistive
   technology announces with the field's label. Without this script the browser's control shows.
   Fields a live update puts into the page later are drawn the same way (a MutationObserver). */
(function () {
  "use strict";
  var choose = document.body.getAttribute("data-file-choose");
  var none = document.body.getAttribute("data-file-none");
  if (!choose) return;
  function draw(input) {
    var box = document.createElement("span");
    box.className = "file-choice";
    var button = document.createElement("span");
    button.className = "button small file-choice-button";
    button.setAttribute("aria-hidden", "true");
    button.textContent = choose;
    var names = document.createElement("span");
    names.className = "file-choice-names";
    names.setAttribute("aria-hidden", "true");
    input.parentNode.insertBefore(box, input);
    box.appendChild(input);
    box.appendChild(button);
    box.appendChild(names);
    input.classList.add("file-choice-input");
    function showChosen() {
      var chosen = Array.prototype.map.call(input.files || [], function (file) { return file.name; });
      names.textContent = chosen.length ? chosen.join(", ") : none;
    }
    box.addEventListener("click", function (event) {
      if (event.target !== input) input.click();
    });
    input.addEventListener("change", showChosen);
    // The browser scrolls only the 1 px input into view, which can leave the button that shows the focus
    // half under the screen's edge: the whole chooser comes into view instead.
    input.addEventListener("focus", function () {
      box.scrollIntoView({ block: "nearest", inline: "nearest" });
    });
    // Back to the page: the browser refills the input after this script ran and says nothing (no change
    // event), so the names are read again once the page is shown; the screen names what is sent.
    window.addEventListener("pageshow", showChosen);
    showChosen();
  }

  function drawAll() {
    var inputs = document.querySelectorAll('input[type="file"]:not(.visually-hidden-file):not(.file-choice-input)');
    Array.prototype.forEach.call(inputs, draw);
  }

  drawAll();
  new MutationObserver(function (changes) {
    var added = changes.some(function (change) { return change.addedNodes.length > 0; });
    if (added) drawAll();
  }).observe(document.body, { childList: true, subtree: true });
})();
