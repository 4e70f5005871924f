// Progressive enhancement only: pages work without it.
// Live counter: refresh the confirmed count from the cacheable API every 30 seconds.
(function () {
  "use strict";
  var article = document.querySelector("[data-count-url]");
  var target = document.querySelector("[data-live-count]");
  if (!article || !target || !window.fetch) { return; }
  var url = article.getAttribute("data-count-url");
  var format = new Intl.NumberFormat(document.documentElement.lang || "en");
  function refresh() {
    if (document.hidden) { return; }
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && typeof data.signature_count === "number") {
          target.textContent = format.format(data.signature_count);
        }
      })
      .catch(function () { /* keep the number we have */ });
  }
  window.setInterval(refresh, 30000);
})();
