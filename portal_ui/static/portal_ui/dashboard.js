/* Dashboard charts (Chart.js, served locally). The numbers come from the page through json_script
   (#dashboard-charts); each chart's table beside it holds the same numbers for screen readers. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") return;
  var colours = ["#12355b", "#c4500f", "#2f7d4f", "#7a4fa3"];
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var instances = [];

  /* Draw every chart from the page's numbers; a live refresh (staff_live.js) that brings new numbers swaps
     the section with new canvases, so the old charts are destroyed and all are drawn again. */
  function draw() {
    instances.forEach(function (chart) { chart.destroy(); });
    instances = [];
    var source = document.getElementById("dashboard-charts");
    if (!source) return;
    var charts;
    try { charts = JSON.parse(source.textContent); } catch (e) { return; }
    charts.forEach(drawOne);
  }

  /* A long label ("Contract value change / additional equipment") in lines of whole words: Chart.js gives
     a side axis at most half the chart's width and cuts off what does not fit. */
  var LINE_LENGTH = 22;
  function wrapped(label) {
    if (label.length <= LINE_LENGTH) return label;
    var lines = [];
    label.split(" ").forEach(function (word) {
      var last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= LINE_LENGTH) lines[last] += " " + word;
      else lines.push(word);
    });
    return lines;
  }

  function drawOne(spec) {
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
    var labelAxis = {
      stacked: !!spec.stacked,
      ticks: {
        autoSkip: !spec.horizontal,  // a side axis names every bar (person, request type)
        callback: function (value) { return wrapped(String(this.getLabelForValue(value))); }
      }
    };
    instances.push(new window.Chart(canvas, {
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
    }));
  }

  draw();
  var root = document.querySelector("[data-live-page]");
  if (root) {
    // Drawn again only when the charts' own region came new (their numbers changed), never for the
    // figures beside them: a redraw animates and moves what the user may be pointing at.
    root.addEventListener("live:refreshed", function (event) {
      var regions = (event.detail && event.detail.regions) || [];
      if (regions.indexOf("dash-charts") !== -1) draw();
    });
  }
})();
