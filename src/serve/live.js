// Live reload for `bulletin serve`: reload after a rebuild, show a failed build's report as
// an overlay. Served only by `bulletin serve`; built sites never include it.
(function () {
  "use strict";
  var overlay = null;
  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function show(text) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "bulletin-build-error";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "";
    var title = document.createElement("strong");
    title.textContent = "bulletin: the build failed. The page shows the last good build.";
    var pre = document.createElement("pre");
    pre.textContent = text;
    overlay.appendChild(title);
    overlay.appendChild(pre);
    document.body.appendChild(overlay);
  }
  var events = new EventSource("/__bulletin/events");
  events.addEventListener("reload", function () { window.location.reload(); });
  events.addEventListener("failed", function (event) { show(event.data); });
  events.addEventListener("ready", hide);
})();
