// The row-by-row form of paper signatures: Enter moves to the first cell of the next row,
// adding a row at the end of the table (the form works without this: "Add more rows").
(function () {
  "use strict";
  var table = document.getElementById("paper-rows");
  if (!table) { return; }
  var body = table.tBodies[0];

  function renumber(row, index) {
    row.querySelector("th").textContent = String(index + 1);
    row.querySelectorAll("input").forEach(function (input) {
      input.name = input.name.replace(/rows-\d+-/, "rows-" + index + "-");
      input.id = input.id.replace(/rows-\d+-/, "rows-" + index + "-");
      input.value = "";
      var label = input.getAttribute("aria-label") || "";
      input.setAttribute("aria-label", label.replace(/\d+$/, String(index + 1)));
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    });
    row.querySelectorAll(".error").forEach(function (p) { p.remove(); });
    row.querySelectorAll(".has-error").forEach(function (td) { td.classList.remove("has-error"); });
  }

  table.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.target.tagName !== "INPUT") { return; }
    event.preventDefault();
    var row = event.target.closest("tr");
    var next = row.nextElementSibling;
    if (!next) {
      next = row.cloneNode(true);
      renumber(next, body.rows.length);
      body.appendChild(next);
    }
    next.querySelector("input").focus();
  });
}());
