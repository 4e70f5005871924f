// Progressive enhancement only: the composer works without it.
// Live preview: the ticked phrases in the card's language, then the sender's own words and
// name, in the page's one preview box (#preview), which the server fills after "Preview".
(function () {
  "use strict";
  var form = document.getElementById("composer");
  var box = document.getElementById("preview");
  if (!form || !box) { return; }
  var target = box.querySelector("[data-preview-text]");
  var fromServer = box.hasAttribute("data-server-preview");
  var freeText = form.querySelector("textarea[name=free_text]");
  var signature = form.querySelector("input[name=signature]");
  function update() {
    var parts = [];
    form.querySelectorAll("input[data-card-text]").forEach(function (input) {
      if (input.checked) { parts.push(input.getAttribute("data-card-text")); }
    });
    var text = parts.join(" ");
    if (freeText && freeText.value.trim()) { text += (text ? "\n\n" : "") + freeText.value.trim(); }
    if (signature && signature.value.trim()) { text += (text ? "\n" : "") + signature.value.trim(); }
    target.textContent = text;  // textContent: the sender's words are never parsed as HTML
    target.style.whiteSpace = "pre-line";
    box.hidden = !text && !fromServer;
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
