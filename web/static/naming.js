// Sampling (抽查) page of the naming office: the "select all" box ticks
// every unit not already in an open batch; typing a share or a number
// chooses that way of stating the sample's size.
document.addEventListener("DOMContentLoaded", () => {
  const all = document.getElementById("naming-all");
  if (all) {
    const table = all.closest("table");
    all.addEventListener("change", () => {
      for (const c of table.querySelectorAll("tbody input[type=checkbox]:not(:disabled)")) c.checked = all.checked;
    });
  }
  for (const [input, radio] of [["naming-percent", "size-percent"], ["naming-count", "size-count"]]) {
    const i = document.getElementById(input), r = document.getElementById(radio);
    if (i && r) i.addEventListener("input", () => { r.checked = true; });
  }
});
