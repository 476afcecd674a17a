/* Dashboards: draws the charts from the JSON the page embeds (#dash-data). Numbers are shown the
   Vietnamese way (decimal comma, dot for thousands) through Chart.js's locale "vi-VN"; the tables under
   the charts hold the same numbers. */
(function () {
  "use strict";
  var source = document.getElementById("dash-data");
  if (!source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var MAX_UNITS = 30;
  // one colour per level, best first; "Không xếp loại" grey
  var PALETTE = ["#1b7f3b", "#2f6fb3", "#e0a800", "#c82333", "#6f42c1", "#20c997"];
  function colour(level, i) { return level === "Không xếp loại" ? "#8a9299" : PALETTE[i % PALETTE.length]; }
  Chart.defaults.locale = "vi-VN";
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;

  function monthLabel(code) { return code.slice(5) + "/" + code.slice(0, 4); }

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) return null;
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false }, config.options || {});
    var chart = new Chart(canvas, config);
    canvas.dataset.rendered = "1";
    return chart;
  }

  var units = data.units.slice(0, MAX_UNITS);
  draw("chart-levels", {
    type: "bar",
    data: {
      labels: units.map(function (u) { return u.code + (u.own ? " (trực thuộc)" : ""); }),
      datasets: data.levels.map(function (level, i) {
        return { label: level, backgroundColor: colour(level, i), data: units.map(function (u) { return u.levels[level] || 0; }) };
      }),
    },
    options: {
      indexAxis: "y",
      scales: { x: { stacked: true, title: { display: true, text: "Số cán bộ" }, ticks: { precision: 0 } }, y: { stacked: true } },
      plugins: { legend: { position: "bottom" } },
    },
  });

  draw("chart-trend", {
    type: "bar",
    data: {
      labels: data.trend.map(function (t) { return monthLabel(t.period); }),
      datasets: data.levels.map(function (level, i) {
        return { label: level, backgroundColor: colour(level, i), data: data.trend.map(function (t) { return t.levels[level] || 0; }) };
      }),
    },
    options: {
      scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: "Số cán bộ" }, ticks: { precision: 0 } } },
      plugins: { legend: { position: "bottom" } },
    },
  });

  // criteria: one bar group per criterion (and the score), one colour per duty group
  var keys = [{ code: "score", title: "Điểm" }].concat(data.criteria);
  function value(averages, code) {
    var text = code === "score" ? averages.score : averages.criteria[code];
    return text === null || text === undefined ? null : Number(text);
  }
  draw("chart-criteria", {
    type: "bar",
    data: {
      labels: keys.map(function (k) { return k.code === "score" ? "Điểm" : k.code; }),
      datasets: data.groups.map(function (g, i) {
        return { label: g.group, backgroundColor: PALETTE[(i + 1) % PALETTE.length], data: keys.map(function (k) { return value(g, k.code); }) };
      }),
    },
    options: {
      scales: { y: { suggestedMin: 0, suggestedMax: 100, title: { display: true, text: "Điểm trung bình" } } },
      plugins: {
        legend: { position: "bottom" },
        tooltip: { callbacks: { title: function (items) { return keys[items[0].dataIndex].title; } } },
      },
    },
  });
})();
