// The manual inputs grid: every number cell is checked as it is typed against the bounds the ruleset
// declares (data-low, data-high; decimal comma or point; "1.234" is ambiguous as in the imports), and
// the form cannot be sent while a cell is wrong. The server checks everything again on saving.
(function () {
  "use strict";
  var form = document.getElementById("grid-form");
  if (!form) return;

  function exact(text) {
    // a decimal as [numerator, 10^k] (exact: no float comparison at the bounds)
    var t = text.trim().replace(",", ".");
    if (!/^[+-]?\d+(\.\d+)?$/.test(t)) return null;
    var neg = t[0] === "-";
    t = t.replace(/^[+-]/, "");
    var parts = t.split(".");
    var frac = parts[1] || "";
    return {n: BigInt((neg ? "-" : "") + parts[0] + frac), scale: frac.length};
  }

  function compare(a, b) {
    var s = Math.max(a.scale, b.scale);
    var x = a.n * BigInt(10) ** BigInt(s - a.scale), y = b.n * BigInt(10) ** BigInt(s - b.scale);
    return x < y ? -1 : (x > y ? 1 : 0);
  }

  function problem(input) {
    var text = input.value.trim();
    if (!text) return "";
    if (input.dataset.kind !== "số") return "";
    if (/^\d{1,3}[.,]\d{3}$/.test(text) && text.indexOf(",") < 0) {
      return "\"" + text + "\" không rõ là số nguyên hay thập phân; viết dấu phẩy thập phân (ví dụ 27,5)";
    }
    var value = exact(text);
    if (value === null) return "\"" + text + "\" không phải là số";
    var low = input.dataset.low ? exact(input.dataset.low) : null;
    var high = input.dataset.high ? exact(input.dataset.high) : null;
    if ((low && compare(value, low) < 0) || (high && compare(value, high) > 0)) {
      return input.dataset.title + ": " + text + " nằm ngoài khoảng " + (input.dataset.low || "…") + " đến " +
        (input.dataset.high || "…") + " của bộ quy tắc";
    }
    return "";
  }

  function check(input) {
    var message = problem(input);
    input.classList.toggle("is-invalid", message !== "");
    input.setCustomValidity(message);
    var feedback = input.nextElementSibling;
    if (feedback && feedback.classList.contains("invalid-feedback")) feedback.textContent = message;
    return message === "";
  }

  var inputs = form.querySelectorAll("input[data-kind]");
  inputs.forEach(function (input) {
    input.addEventListener("input", function () { check(input); blocked(); });
  });

  function blocked() {
    var bad = form.querySelectorAll("input.is-invalid").length > 0;
    document.getElementById("grid-save").disabled = bad;
    document.getElementById("grid-blocked").classList.toggle("d-none", !bad);
    return bad;
  }

  form.addEventListener("submit", function (event) {
    var ok = true;
    inputs.forEach(function (input) { ok = check(input) && ok; });
    if (!ok || blocked()) event.preventDefault();
  });
})();
