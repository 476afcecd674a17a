// The live progress of an assessment run: polls the status URL (GET, read-only) while the run goes,
// moves the bar (people done / total), cancels with a POST carrying the CSRF token, reloads when done.
(function () {
  "use strict";
  var card = document.getElementById("run-card");
  if (!card) return;
  var token = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var job = card.dataset.job;
  var bar = document.getElementById("run-bar");
  var seen = [];  // every count shown, for whoever wants to check the bar moved (tests)
  window.kpiRunSeen = seen;

  function number(n) { return Number(n).toLocaleString("vi-VN"); }

  function show(data) {
    document.getElementById("run-progress").classList.remove("d-none");
    document.getElementById("run-state").textContent = data.status_label + (data.cancel_requested && !data.finished ? " (đang dừng…)" : "");
    document.getElementById("run-count").textContent = data.total ? number(data.done) + "/" + number(data.total) + " cán bộ" : "";
    bar.style.width = data.percent + "%";
    bar.setAttribute("aria-valuenow", data.percent);
    bar.textContent = data.percent + "%";
    seen.push([data.done, data.total, data.status]);
    var message = document.getElementById("run-message");
    message.textContent = data.finished ? data.message : "";
    message.classList.toggle("text-danger", data.status === "failed" || data.status === "cancelled");
  }

  function poll() {
    fetch(card.dataset.statusUrl + (job ? "?job=" + encodeURIComponent(job) : ""), {
      headers: {"Accept": "application/json"}, credentials: "same-origin"
    }).then(function (r) { return r.json(); }).then(function (data) {
      if (!data.job) return;
      job = String(data.job);
      show(data);
      if (data.finished) {
        bar.classList.remove("progress-bar-animated", "progress-bar-striped");
        document.getElementById("cancel-button").classList.add("d-none");
        setTimeout(function () { window.location.reload(); }, 800);
      } else {
        setTimeout(poll, 500);
      }
    }).catch(function () { setTimeout(poll, 2000); });
  }

  document.getElementById("cancel-button").addEventListener("click", function () {
    if (!window.confirm("Hủy lần chạy này? Kết quả đã lưu trước đó được giữ nguyên.")) return;
    var body = new URLSearchParams({job: job || ""});
    fetch(card.dataset.cancelUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-CSRFToken": token, "Accept": "application/json"}
    }).then(function (r) { return r.json(); }).then(function (data) {
      document.getElementById("run-message").textContent = data.message;
    });
  });

  if (card.dataset.running === "1") poll();
})();
