/* Dashboard charts (Chart.js, served locally). The numbers come from the page through json_script
   (#dashboard-charts); each chart's table beside it holds the same numbers for screen readers. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof window.Chart === "undefined") return;
  var charts;
  try { charts = JSON.parse(source.textContent); } catch (e) { return; }
  var colours = ["#12355b", "#c4500f", "#2f7d4f", "#7a4fa3"];
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  charts.forEach(function (spec) {
    var canvas = document.getElementById(spec.id);
    if (!canvas) return;
    var drawn = spec.drawn ? spec.datasets.slice(0, spec.drawn) : spec.datasets;
    var line = spec.type === "line";
    var datasets = drawn.map(function (dataset, index) {
      var colour = colours[index % colours.length];
      return {
        label: dataset.label,
        data: dataset.values,
        backgroundColor: line ? colour : colour + "cc",
        borderColor: colour,
        borderWidth: line ? 2 : 1,
        tension: 0.2,
        pointRadius: line ? 3 : 0
      };
    });
    var valueAxis = { beginAtZero: true, ticks: { precision: 0 }, stacked: !!spec.stacked };
    var labelAxis = { stacked: !!spec.stacked, ticks: { autoSkip: true } };
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : undefined,
        indexAxis: spec.horizontal ? "y" : "x",
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } },
        scales: spec.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis }
      }
    });
  });
})();
