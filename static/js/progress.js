// Shared progress poller for long jobs (moderation batches, exports).
// Any element with data-progress-url is polled once a second. The URL answers JSON:
//   {"done": 3000, "total": 10000, "finished": false, "text": "3,000 of 10,000…",
//    "url": "/optional/page/to/open/when/finished"}
// The element's <progress> and [data-progress-text] are updated; when "finished" is true
// the browser opens "url" if given, else reloads the page (which then shows the result).
// Without JavaScript the page refreshes itself (<noscript><meta http-equiv="refresh">).
(function () {
  "use strict";
  if (!window.fetch || !document.querySelectorAll) { return; }
  var INTERVAL = 1000;
  var MAX_FAILURES = 10;

  function watch(box) {
    var url = box.getAttribute("data-progress-url");
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-progress-text]");
    var failures = 0;

    function show(state) {
      if (bar && typeof state.total === "number") {
        if (state.total > 0) {
          bar.max = state.total;
          bar.value = Math.min(state.done || 0, state.total);
        } else {
          bar.removeAttribute("value");
        }
      }
      if (text && state.text) { text.textContent = state.text; }
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (state) {
          failures = 0;
          show(state);
          if (state.finished) {
            if (state.url) { window.location.assign(state.url); } else { window.location.reload(); }
            return;
          }
          window.setTimeout(poll, INTERVAL);
        })
        .catch(function () {
          failures += 1;
          // A signed-out session or a lost connection: stop; the page still works by reload.
          if (failures < MAX_FAILURES) { window.setTimeout(poll, INTERVAL * 2); }
        });
    }

    window.setTimeout(poll, INTERVAL);
  }

  var boxes = document.querySelectorAll("[data-progress-url]");
  for (var i = 0; i < boxes.length; i += 1) { watch(boxes[i]); }
})();
