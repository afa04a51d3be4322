// Tabs and zone pivots of DocFX pages. Without this script (or in print) every tab and zone
// is shown, each under its label; with it, tab groups follow the WAI-ARIA tabs pattern
// (arrow keys, Home, End; the same tab id switches every group of the page together, as on
// Learn) and one zone per pivot group shows at a time, chosen in the page's selector or by
// `?pivots=id` in the address.
(function () {
  "use strict";
  var root = document.documentElement;
  var groups = Array.prototype.slice.call(document.querySelectorAll(".tabs"));
  // The tab id each group shows, by group index.
  var chosen = [];

  function panelsOf(group) {
    return Array.prototype.filter.call(group.children, function (el) {
      return el.classList.contains("tab-panel");
    });
  }

  // Shows in every group the panel of its chosen tab whose condition (a dependent tab's
  // `#tab/id/condition`) is chosen somewhere on the page, else the tab's first panel.
  function render() {
    groups.forEach(function (group, g) {
      var panels = panelsOf(group);
      var id = chosen[g];
      var matching = panels.filter(function (p) { return p.dataset.tab === id; });
      var shown = matching.filter(function (p) {
        return p.dataset.condition && chosen.indexOf(p.dataset.condition) >= 0;
      })[0] || matching.filter(function (p) { return !p.dataset.condition; })[0] || matching[0];
      panels.forEach(function (p) { p.hidden = p !== shown; });
      group.querySelectorAll(':scope > [role="tablist"] > [role="tab"]').forEach(function (tab) {
        var selected = tab.dataset.tab === id;
        tab.setAttribute("aria-selected", selected ? "true" : "false");
        tab.tabIndex = selected ? 0 : -1;
        if (selected && shown) {
          tab.setAttribute("aria-controls", shown.id);
          shown.setAttribute("aria-labelledby", tab.id);
        }
      });
    });
  }

  function choose(id) {
    groups.forEach(function (group, g) {
      if (panelsOf(group).some(function (p) { return p.dataset.tab === id; })) {
        chosen[g] = id;
      }
    });
    render();
  }

  groups.forEach(function (group, g) {
    var panels = panelsOf(group);
    if (!panels.length) { return; }
    var list = document.createElement("div");
    list.setAttribute("role", "tablist");
    list.className = "tablist";
    var seen = [];
    panels.forEach(function (panel) {
      panel.setAttribute("role", "tabpanel");
      panel.tabIndex = 0;
      var id = panel.dataset.tab;
      if (seen.indexOf(id) >= 0) { return; }
      seen.push(id);
      var label = panel.querySelector(":scope > .tab-label");
      var tab = document.createElement("button");
      tab.type = "button";
      tab.setAttribute("role", "tab");
      tab.id = panel.id.replace(/^tabpanel-/, "tab-");
      tab.dataset.tab = id;
      tab.textContent = label ? label.textContent : id;
      tab.addEventListener("click", function () { choose(id); });
      list.appendChild(tab);
    });
    list.addEventListener("keydown", function (event) {
      var tabs = Array.prototype.slice.call(list.querySelectorAll('[role="tab"]'));
      var at = tabs.indexOf(document.activeElement);
      if (at < 0) { return; }
      var next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) { return; }
      event.preventDefault();
      var tab = tabs[(next + tabs.length) % tabs.length];
      choose(tab.dataset.tab);
      tab.focus();
    });
    group.insertBefore(list, group.firstChild);
    chosen[g] = seen[0];
  });

  // Zone pivots: one selector per group of pivots.
  var selects = Array.prototype.slice.call(document.querySelectorAll(".pivot-select"));
  var zones = Array.prototype.slice.call(document.querySelectorAll(".zone[data-pivot]"));
  function showZones() {
    var picked = selects.map(function (s) { return s.value; });
    zones.forEach(function (zone) {
      zone.hidden = !zone.dataset.pivot.split(" ").some(function (p) { return picked.indexOf(p) >= 0; });
    });
  }
  if (selects.length) {
    var asked = (new URLSearchParams(window.location.search).get("pivots") || "").split(",");
    selects.forEach(function (select) {
      var options = Array.prototype.map.call(select.options, function (o) { return o.value; });
      var wanted = asked.filter(function (p) { return options.indexOf(p) >= 0; })[0];
      if (wanted) { select.value = wanted; }
      select.addEventListener("change", function () {
        showZones();
        var url = new URL(window.location.href);
        url.searchParams.set("pivots", selects.map(function (s) { return s.value; }).join(","));
        // Pages opened from disk may refuse a changed address; the choice still shows.
        try { window.history.replaceState(null, "", url); } catch (e) { /* kept on screen only */ }
      });
    });
    document.querySelectorAll(".pivot-selector").forEach(function (s) { s.hidden = false; });
    showZones();
  }
  if (groups.length || selects.length) {
    render();
    root.classList.add("docfx-ready");
  }
})();
