// Progressive enhancement only: pages work without it.
// Live counter: refresh the confirmed count from the cacheable API every 30 seconds.
(function () {
  "use strict";
  var article = document.querySelector("[data-count-url]");
  // The count, and its echo in the progress bar's label ("1 234 of 10 000").
  var targets = document.querySelectorAll("[data-live-count], [data-live-count-echo]");
  var bar = article && article.querySelector("progress[data-live-progress]");
  if (!article || !targets.length || !window.fetch) { return; }
  var url = article.getAttribute("data-count-url");
  var format = new Intl.NumberFormat(document.documentElement.lang || "en");
  function refresh() {
    if (document.hidden) { return; }
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && typeof data.signature_count === "number") {
          Array.prototype.forEach.call(targets, function (target) {
            target.textContent = format.format(data.signature_count);
          });
          if (bar) { bar.value = Math.min(data.signature_count, bar.max); }
        }
      })
      .catch(function () { /* keep the number we have */ });
  }
  window.setInterval(refresh, 30000);
})();
// Progressive enhancement only: "copy" buttons next to read-only fields (hidden without JS,
// where the field's text can still be selected and copied by hand).
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) { return; }
  var buttons = document.querySelectorAll("button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) { return; }
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      source.select();
      navigator.clipboard.writeText(source.value).then(function () {
        button.textContent = button.getAttribute("data-copied") || "Copied";
        window.setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });
})();
// Organiser tables on a phone: a table wider than its box is shown as one card per row, each
// cell labelled with its column's heading (copied from the <thead> into data-label). Without
// JavaScript the table stays a table, and the page scrolls sideways as before.
(function () {
  "use strict";
  var tables = document.querySelectorAll("table.data-table");
  if (!tables.length || !window.getComputedStyle) { return; }

  function text(cell) { return cell.textContent.replace(/\s+/g, " ").trim(); }

  function label(table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) { return; }
    var names = [];
    Array.prototype.forEach.call(head.cells, function (cell) {
      for (var i = 0; i < cell.colSpan; i += 1) { names.push(text(cell)); }
    });
    var rows = [];
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.push.apply(rows, body.rows);
    });
    if (table.tFoot) { Array.prototype.push.apply(rows, table.tFoot.rows); }
    rows.forEach(function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        var name = names[column];
        if (cell.tagName === "TD" && name && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", name);
        }
        column += cell.colSpan;
      });
    });
  }

  function tooWide(table) {
    var parent = table.parentElement;
    var style = window.getComputedStyle(parent);
    var room = parent.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return table.offsetWidth > room + 1;
  }

  // First a smaller type; only a table still too wide then becomes cards.
  function fit() {
    Array.prototype.forEach.call(tables, function (table) {
      table.classList.remove("is-stacked", "is-compact");
      if (!table.offsetWidth || !table.parentElement) { return; }  // in a closed <details>
      if (!tooWide(table)) { return; }
      table.classList.add("is-compact");
      if (!tooWide(table)) { return; }
      table.classList.remove("is-compact");
      table.classList.add("is-stacked");
    });
  }

  Array.prototype.forEach.call(tables, label);
  fit();
  var pending = false;
  function later() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; fit(); });
  }
  window.addEventListener("resize", later);
  document.addEventListener("toggle", later, true);  // a <details> opened: measure its tables
})();
