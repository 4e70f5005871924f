// Progressive enhancement of /letters/print: shows progress while the PDF is prepared.
// Without JavaScript the form posts as usual and the browser downloads the PDF.
(function () {
  "use strict";
  var form = document.getElementById("print-form");
  var box = document.getElementById("print-progress");
  if (!form || !box || !window.fetch || !window.FormData || !window.URL) { return; }
  var text = box.querySelector("[data-progress-text]");
  var bar = box.querySelector("progress");
  var busy = false;

  function show(message, running) {
    box.hidden = false;
    text.textContent = message;
    if (running) { bar.removeAttribute("value"); } else { bar.value = 1; bar.max = 1; }
  }

  function filename(response) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename="?([^";]+)"?/.exec(header);
    return match ? match[1] : "cards.pdf";
  }

  function fallBack() {
    // Let the server answer the plain form post: it shows what was wrong on the page.
    show(form.getAttribute("data-failed"), true);
    busy = true;
    HTMLFormElement.prototype.submit.call(form);
  }

  form.addEventListener("submit", function (event) {
    if (busy) { return; }
    event.preventDefault();
    busy = true;
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    show(form.getAttribute("data-preparing"), true);
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("application/pdf") !== 0) { throw new Error("not a PDF"); }
        var name = filename(response);
        return response.blob().then(function (blob) { return { blob: blob, name: name }; });
      })
      .then(function (result) {
        var url = URL.createObjectURL(result.blob);
        var link = document.createElement("a");
        link.href = url;
        link.download = result.name;
        document.body.appendChild(link);
        link.click();
        link.remove();
        window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
        show(form.getAttribute("data-done"), false);
        busy = false;
        if (button) { button.disabled = false; }
      })
      .catch(fallBack);
  });
})();
