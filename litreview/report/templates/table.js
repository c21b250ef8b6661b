"use strict";
(function () {
  function cellText(row, col) {
    var cell = row.cells[col];
    return cell ? cell.textContent.trim() : "";
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var body = table.tBodies[0];
    var inputs = table.querySelectorAll(".filters input");
    var count = document.querySelector('[data-count-for="' + table.id + '"]');
    var total = body.rows.length;
    function applyFilters() {
      var needles = Array.prototype.map.call(inputs, function (i) { return i.value.trim().toLowerCase(); });
      var shown = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        var ok = needles.every(function (n, col) { return !n || cellText(row, col).toLowerCase().indexOf(n) !== -1; });
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      if (count) { count.textContent = shown === total ? total + (total === 1 ? " report" : " reports") : shown + " of " + total + (total === 1 ? " report" : " reports"); }
    }
    inputs.forEach(function (input) { input.addEventListener("input", applyFilters); });
    table.querySelectorAll("th button").forEach(function (button) {
      button.addEventListener("click", function () {
        var col = Number(button.getAttribute("data-col"));
        var dir = button.getAttribute("data-dir") === "asc" ? "desc" : "asc";
        table.querySelectorAll("th button").forEach(function (b) { b.removeAttribute("data-dir"); });
        button.setAttribute("data-dir", dir);
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var c = cellText(a, col).localeCompare(cellText(b, col), undefined, { numeric: true, sensitivity: "base" });
          return dir === "asc" ? c : -c;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
