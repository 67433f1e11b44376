// 健康家庭 bulk pages: the "select all" box ticks every household or
// application box of its table.
document.addEventListener("DOMContentLoaded", () => {
  const all = document.getElementById("family-all");
  if (!all) return;
  const table = all.closest("table");
  all.addEventListener("change", () => {
    for (const c of table.querySelectorAll("tbody input[type=checkbox]")) c.checked = all.checked;
  });
});
