// The plan editor: "添加一行" copies a table's blank row, "删除" empties a
// row (an empty row is not saved); choosing a task's standard lists that
// standard's items (from #std-items). No inline handlers: the content
// policy forbids them.
(function () {
  "use strict";
  function clearRow(row) {
    row.querySelectorAll("input, textarea").forEach(function (el) {
      if (el.type !== "hidden" || el.name === "phase_text") el.value = "";
      if (el.name === "task_key" || el.name === "budget_key") el.value = "";
    });
    row.querySelectorAll("select").forEach(function (el) {
      if (el.name === "goal_standard" || el.name === "ms_standard" || el.name === "task_indicator" || el.name === "task_std") el.value = "";
    });
    row.querySelectorAll("select.task-item").forEach(function (el) { fillItems(el, ""); });
  }
  var items = null;
  function itemsOf(std) {
    if (items === null) {
      var holder = document.getElementById("std-items");
      try { items = holder ? JSON.parse(holder.dataset.items || "{}") : {}; } catch (e) { items = {}; }
    }
    return items[std] || [];
  }
  // fillItems lists the items of standard std in the item select.
  function fillItems(sel, std) {
    var holder = document.getElementById("std-items");
    var none = document.createElement("option");
    none.value = "";
    none.textContent = holder ? holder.dataset.none || "" : "";
    sel.replaceChildren(none);
    itemsOf(std).forEach(function (it) {
      var o = document.createElement("option");
      o.value = it.c;
      o.textContent = it.l;
      sel.appendChild(o);
    });
    sel.value = "";
  }
  document.addEventListener("change", function (ev) {
    var t = ev.target;
    if (!(t instanceof HTMLSelectElement) || !t.classList.contains("task-std")) return;
    var row = t.closest(".row");
    var sel = row ? row.querySelector("select.task-item") : null;
    if (sel) fillItems(sel, t.value);
  });
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
