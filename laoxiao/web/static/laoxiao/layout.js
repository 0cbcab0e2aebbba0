// On a phone the menu folds behind one button; on a desk it is always open (see laoxiao.css).
// Buttons marked data-print print the page (no inline handlers: the CSP allows no inline script).

// On a phone a list's rows become cards (laoxiao.css): each cell carries its column's name, so no column
// is hidden past the screen's edge. Cells spanning rows or columns are placed on the grid first; a table
// whose rows do not fill its headings is left as it is. Explicit roles keep it a table for a screen
// reader once CSS changes its display.
function columnsOf(rows, width) {
  const carried = new Array(width).fill(0); // rows still covered by a cell above
  const placed = [];
  for (const tr of rows) {
    const cells = [];
    let col = 0;
    for (const cell of tr.cells) {
      while (col < width && carried[col] > 0) col += 1;
      if (col + cell.colSpan > width) return null;
      cells.push([cell, col]);
      for (let c = col; c < col + cell.colSpan; c += 1) carried[c] = Math.max(cell.rowSpan, 1);
      col += cell.colSpan;
    }
    if (carried.some((n) => n === 0)) return null; // the row leaves a column without a cell
    for (let c = 0; c < width; c += 1) carried[c] -= 1;
    placed.push([tr, cells]);
  }
  return placed;
}

function stackTables(root) {
  for (const table of root.querySelectorAll("table.list:not([data-stacked])")) {
    const heads = [...table.querySelectorAll(":scope > thead > tr:only-child > th")];
    const names = heads.map((th) => th.textContent.trim());
    const width = heads.reduce((n, th) => n + th.colSpan, 0);
    const placed = width >= 3 && heads.every((th) => th.colSpan === 1) && columnsOf([...table.querySelectorAll(":scope > tbody > tr, :scope > tfoot > tr")], width);
    if (!placed) continue;
    for (const [part, role] of [["thead, tbody, tfoot", "rowgroup"], ["tr", "row"], ["thead th", "columnheader"]]) {
      for (const el of table.querySelectorAll(part)) el.setAttribute("role", role);
    }
    for (const [tr, cells] of placed) {
      if (cells.length && cells[0][1] > 0) tr.dataset.continued = ""; // the rest of the card above
      for (const [cell, col] of cells) {
        cell.setAttribute("role", cell.tagName === "TH" ? "rowheader" : "cell");
        if (!cell.textContent.trim() && !cell.querySelector("input, select, button, img")) cell.dataset.empty = "";
        if (cell.colSpan === width) cell.dataset.whole = "";
        else {
          cell.dataset.label = names[col];
          const value = document.createElement("span"); // the value in one piece beside its name
          value.className = "cell-value";
          value.append(...cell.childNodes);
          cell.append(value);
        }
      }
    }
    table.setAttribute("role", "table");
    table.dataset.stacked = "";
  }
}

document.addEventListener("htmx:afterSettle", (event) => stackTables(event.target));
document.addEventListener("DOMContentLoaded", () => {
  stackTables(document);
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
  const toggle = document.querySelector(".menu-toggle");
  if (!toggle) return;
  toggle.addEventListener("click", () => {
    const open = toggle.closest(".top").classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
});
