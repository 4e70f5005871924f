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
