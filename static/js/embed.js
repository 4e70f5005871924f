// The petition counter for other websites. Paste:
//   <script src="https://SITE/static/js/embed.js" data-petition="SLUG" async></script>
// Optional: data-lang="ru" (a language of the site), data-title, data-height.
// It puts a frame with the counter right after itself. No cookies, no other hosts: the frame
// comes from the site that served this script.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) { return; }
  var slug = script.getAttribute("data-petition") || "";
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(slug)) { return; }
  var origin = new URL(script.src).origin;
  var frame = document.createElement("iframe");
  var lang = script.getAttribute("data-lang") || "";
  frame.src = origin + "/embed/petitions/" + encodeURIComponent(slug) +
    (/^[a-z]{2}$/.test(lang) ? "?lang=" + lang : "");
  frame.title = script.getAttribute("data-title") || "Petition: signature count";
  frame.width = "400";
  frame.height = script.getAttribute("data-height") || "220";
  frame.loading = "lazy";
  frame.referrerPolicy = "no-referrer";
  frame.style.border = "0";
  frame.style.maxWidth = "100%";
  frame.style.display = "block";
  script.parentNode.insertBefore(frame, script.nextSibling);
})();
