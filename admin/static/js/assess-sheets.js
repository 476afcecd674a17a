// The PDF of every official's sheet, built in the background: polls the job's status URL (GET,
// read-only) while it goes, moves the bar (sheets done / people), then shows the download link.
(function () {
  "use strict";
  var card = document.getElementById("sheets-card");
  if (!card || card.dataset.running !== "1") return;
  var bar = document.getElementById("sheets-bar");
  var state = document.getElementById("sheets-state");
  var seen = [];  // every count shown, for whoever wants to check the bar moved (tests)
  window.kpiSheetsSeen = seen;

  function number(n) { return Number(n).toLocaleString("vi-VN"); }

  function show(data) {
    bar.style.width = data.percent + "%";
    bar.setAttribute("aria-valuenow", data.percent);
    bar.textContent = data.percent + "%";
    seen.push([data.done, data.total, data.status]);
    if (!data.finished) {
      state.textContent = data.total
        ? "Đang tạo phiếu đánh giá: " + number(data.done) + "/" + number(data.total) + " cán bộ"
        : "Đang chuẩn bị tạo phiếu đánh giá…";
      return;
    }
    document.getElementById("sheets-bar-box").classList.add("d-none");
    document.getElementById("sheets-form").classList.remove("d-none");
    if (data.url) {
      state.textContent = data.message;
      var link = document.getElementById("sheets-download");
      link.href = data.url;
      link.classList.remove("d-none");
    } else {
      state.textContent = "Không tạo được tệp PDF: " + (data.message || data.status_label);
      state.classList.add("text-danger");
    }
  }

  function poll() {
    fetch(card.dataset.statusUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        show(data);
        if (!data.finished) setTimeout(poll, 500);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }

  poll();
})();
