// On a phone the menu scrolls sideways: bring the current section into view so the user sees where they are.
(function () {
  var current = document.querySelector('.main-nav a[aria-current="page"]');
  if (current && current.scrollIntoView) {
    current.scrollIntoView({ block: "nearest", inline: "center" });
  }
})();
