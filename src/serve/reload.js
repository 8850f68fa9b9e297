/* Injected by `handbook serve` only (never in `build` output): reloads the
   page when the site is rebuilt, and shows the diagnostics of a failed
   rebuild over the page until the problem is fixed. */
(function () {
  "use strict";
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "handbook-serve-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);color:#fff;padding:1rem;font:14px/1.5 ui-monospace,monospace";
      var title = document.createElement("p");
      // For the editor, like the diagnostics below it (which are English,
      // as the CLI's are): never part of a built site.
      title.textContent = "The build failed: this is still the last good version. The page reloads once the problem is fixed.";
      title.style.cssText = "font-weight:bold;color:#ffb4a8;margin:0 0 1rem";
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0";
      overlay.appendChild(title);
      overlay.appendChild(pre);
      document.body.appendChild(overlay);
    }
    overlay.lastChild.textContent = text;
  }
  if (!window.EventSource) return;
  var source = new EventSource("/__handbook/events");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("diagnostics", function (e) { show(e.data); });
})();
