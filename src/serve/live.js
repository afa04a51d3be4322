// Live reload for `bulletin serve`: reload after a rebuild, show a failed build's report as
// a banner fixed at the top of the page. Served only by `bulletin serve`; built sites never
// include it.
(function () {
  "use strict";
  var overlay = null;
  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  // Styled through the CSSOM: the site's CSP refuses style attributes and inline <style>,
  // and the theme's stylesheet knows nothing of serve.
  function style(element, rules) {
    for (var name in rules) element.style.setProperty(name, rules[name]);
  }
  function show(text) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "bulletin-build-error";
    overlay.setAttribute("role", "alert");
    style(overlay, {
      position: "fixed", top: "0", left: "0", right: "0", "z-index": "2147483647",
      "max-height": "60vh", overflow: "auto", margin: "0", padding: ".75rem 1rem",
      background: "#fff1f0", color: "#5c0011", "border-bottom": "4px solid #a40e26",
      "box-shadow": "0 4px 16px rgba(0,0,0,.35)", "font": "14px/1.5 system-ui, sans-serif",
      "text-align": "left"
    });
    var title = document.createElement("strong");
    title.textContent = "bulletin: the build failed. The page shows the last good build.";
    style(title, { display: "block", "margin-bottom": ".25rem" });
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    style(close, { float: "right", font: "inherit", cursor: "pointer" });
    close.addEventListener("click", hide);
    var pre = document.createElement("pre");
    pre.textContent = text;
    style(pre, {
      margin: "0", "white-space": "pre-wrap", "overflow-wrap": "anywhere", background: "none",
      border: "0", padding: "0", color: "inherit",
      font: "13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace"
    });
    overlay.appendChild(close);
    overlay.appendChild(title);
    overlay.appendChild(pre);
    document.body.insertBefore(overlay, document.body.firstChild);
  }
  var events = new EventSource("/__bulletin/events");
  events.addEventListener("reload", function () { window.location.reload(); });
  events.addEventListener("failed", function (event) { show(event.data); });
  events.addEventListener("ready", hide);
})();
