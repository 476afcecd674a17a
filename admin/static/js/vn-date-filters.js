// Flask-Admin list filters of type "vn-date" (admin/filters.py): plain text fields typed and shown as
// dd/mm/yyyy. Flask-Admin builds the filter rows in the browser; each new value field of such a filter
// gets the Vietnamese placeholder and hint.
// Runs once the page is parsed (Flask-Admin writes its filter list after the scripts of the base page).
document.addEventListener("DOMContentLoaded", function () {
  var data = document.getElementById("filter-groups-data");
  if (!data) return;
  var args = {};
  try {
    var groups = JSON.parse(data.textContent);
    Object.keys(groups).forEach(function (name) {
      groups[name].forEach(function (item) { if (item.type === "vn-date") args[String(item.arg)] = true; });
    });
  } catch (e) { return; }
  function mark(root) {
    var fields = root.querySelectorAll("input.filter-val");
    for (var i = 0; i < fields.length; i++) {
      var m = /^flt\d+_(.+)$/.exec(fields[i].name || "");
      if (m && args[m[1]] && !fields[i].dataset.vnDate) {
        fields[i].dataset.vnDate = "1";
        fields[i].placeholder = "dd/mm/yyyy";
        fields[i].title = "Ngày dạng dd/mm/yyyy, ví dụ 01/07/2026";
        fields[i].setAttribute("inputmode", "numeric");
      }
    }
  }
  mark(document);
  new MutationObserver(function () { mark(document); }).observe(document.body, { childList: true, subtree: true });
});
