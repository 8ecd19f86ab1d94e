/* Permit form: the vehicle select offers only the chosen contract's vehicles (one group per contract in
   the HTML, so without JavaScript every group shows and the server checks the pair). */
(function () {
  "use strict";
  var contract = document.getElementById("f-contract_id");
  var vehicle = document.getElementById("f-data__item_id");
  if (!contract || !vehicle || contract.tagName !== "SELECT") return;
  function contractChanged(initial) {
    var current = null;
    vehicle.querySelectorAll("optgroup").forEach(function (group) {
      var mine = group.dataset.contract === contract.value;
      group.hidden = !mine;
      group.disabled = !mine;
      if (mine) current = group;
    });
    var selected = vehicle.options[vehicle.selectedIndex];
    if (current && (!initial || !selected || selected.parentNode !== current)) {
      var first = current.querySelector("option");
      if (first) first.selected = true;
    }
  }
  contract.addEventListener("change", function () { contractChanged(false); });
  contractChanged(true);
})();
