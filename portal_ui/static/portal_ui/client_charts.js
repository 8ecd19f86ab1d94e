/* Client charts (Chart.js, served locally): the contract's schedule and the settlements of the last
   12 months. The numbers come from the page through json_script (#client-charts); the same numbers
   are in a table on the page, for screen readers and without scripts. */
(function () {
  "use strict";
  var source = document.getElementById("client-charts");
  if (!source || typeof window.Chart === "undefined") return;
  var charts;
  try { charts = JSON.parse(source.textContent); } catch (e) { return; }
  var colours = { paid: "#2f7d4f", to_pay: "#12355b", capital_remaining: "#c4500f", due: "#12355b", overdue: "#9b1c1c" };
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var lang = document.documentElement.lang || "pl";

  function formatter(currency) {
    try {
      return new Intl.NumberFormat(lang, { style: "currency", currency: currency });
    } catch (e) {
      return new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
  }

  charts.forEach(function (spec) {
    var canvas = document.getElementById(spec.id);
    if (!canvas) return;
    var money = formatter(spec.currency);
    var short = new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 });
    var hasLine = spec.series.some(function (s) { return s.kind === "line"; });
    var datasets = spec.series.map(function (series, index) {
      var colour = colours[series.key] || "#52606d";
      var line = series.kind === "line";
      return {
        type: line ? "line" : "bar",
        label: series.label,
        data: series.values,
        backgroundColor: line ? colour : colour + "cc",
        borderColor: colour,
        borderWidth: line ? 2 : 1,
        pointRadius: line ? 0 : undefined,
        tension: 0.1,
        // The schedule: bars (one installment, paid or to pay) stack on the right axis; the capital line
        // uses the left one, so a small installment is not flattened by a large capital.
        yAxisID: hasLine && !line ? "y1" : "y",
        stack: hasLine && !line ? "installment" : "figure-" + index,
        order: line ? 0 : 1
      };
    });
    var ticks = { callback: function (value) { return short.format(value); } };
    var scales = {
      x: { stacked: hasLine, ticks: { autoSkip: true, maxRotation: 0 } },
      y: { beginAtZero: true, ticks: ticks, position: "left" }
    };
    if (hasLine) {
      // Installments use the lower half of the chart, so the capital line above them stays readable.
      var highest = 0;
      spec.series.forEach(function (s) {
        if (s.kind !== "line") s.values.forEach(function (v) { if (v > highest) highest = v; });
      });
      scales.y1 = {
        beginAtZero: true, stacked: true, ticks: ticks, position: "right", grid: { drawOnChartArea: false },
        suggestedMax: highest * 2
      };
    }
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : undefined,
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            filter: function (item) { return item.raw !== null && item.raw !== undefined; },
            callbacks: {
              label: function (item) { return item.dataset.label + ": " + money.format(item.raw); }
            }
          }
        },
        scales: scales
      }
    });
  });
})();
