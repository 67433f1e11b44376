// The plan editor: "添加一行" copies a table's blank row, "删除" empties a
// row (an empty row is not saved). No inline handlers: the content policy
// forbids them.
(function () {
  "use strict";
  function clearRow(row) {
    row.querySelectorAll("input, textarea").forEach(function (el) {
      if (el.type !== "hidden" || el.name === "task_indicator" || el.name === "phase_text") el.value = "";
      if (el.name === "task_key" || el.name === "budget_key") el.value = "";
    });
    row.querySelectorAll("select").forEach(function (el) {
      if (el.name === "goal_standard" || el.name === "ms_standard") el.value = "";
    });
  }
  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!(t instanceof HTMLElement)) return;
    if (t.classList.contains("add-row")) {
      var rows = document.getElementById(t.dataset.rows || "");
      if (!rows) return;
      var blank = rows.querySelector("[data-blank]") || rows.lastElementChild;
      if (!blank) return;
      var copy = blank.cloneNode(true);
      clearRow(copy);
      rows.appendChild(copy);
      var first = copy.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    } else if (t.classList.contains("clear-row")) {
      var row = t.closest(".row");
      if (row) {
        clearRow(row);
        row.classList.add("cleared");
      }
    }
  });
})();
