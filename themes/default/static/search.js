// Offline search over the index bulletin writes at build time (search-index.js).
// No dependencies and no server: the index is a script, so it also loads from file://.
// Results are built with textContent only; nothing from the index is parsed as HTML.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var list = form.querySelector(".search-results");
  var status = form.querySelector("#search-status");
  var pageList = document.getElementById("search-page-results");
  var waiting = [];

  function loadIndex(then) {
    if (window.bulletinSearchIndex) return then(window.bulletinSearchIndex);
    waiting.push(then);
    if (waiting.length > 1) return;
    var script = document.createElement("script");
    script.src = form.getAttribute("data-index");
    script.onload = function () {
      var queued = waiting;
      waiting = [];
      queued.forEach(function (f) { f(window.bulletinSearchIndex || []); });
    };
    document.head.appendChild(script);
  }

  function search(index, query) {
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!terms.length) return [];
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var doc = index[i];
      var title = doc.t.toLowerCase();
      var score = 0;
      var all = true;
      for (var j = 0; j < terms.length; j++) {
        var inTitle = title.indexOf(terms[j]) !== -1;
        if (!inTitle && doc.x.indexOf(terms[j]) === -1) { all = false; break; }
        score += inTitle ? 2 : 1;
      }
      if (all) hits.push({ doc: doc, score: score });
    }
    hits.sort(function (a, b) { return b.score - a.score || a.doc.t.localeCompare(b.doc.t); });
    return hits.slice(0, 20).map(function (h) { return h.doc; });
  }

  function show(target, docs, query) {
    while (target.firstChild) target.removeChild(target.firstChild);
    docs.forEach(function (doc) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = doc.u;
      a.textContent = doc.t;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = doc.k;
      li.appendChild(kind);
      // Read and copied as "advisory Title", not "advisoryTitle".
      li.appendChild(document.createTextNode(" "));
      li.appendChild(a);
      target.appendChild(li);
    });
    if (status) {
      status.textContent = query ? docs.length + " result" + (docs.length === 1 ? "" : "s") + " for " + query : "";
    }
  }

  input.addEventListener("focus", function () { loadIndex(function () {}); });
  input.addEventListener("input", function () {
    var query = input.value.trim();
    loadIndex(function (index) {
      var docs = search(index, query);
      show(list, docs, query);
      list.hidden = !query;
    });
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; list.hidden = true; show(list, [], ""); }
    if (event.key === "ArrowDown") {
      var first = list.querySelector("a");
      if (first) { event.preventDefault(); first.focus(); }
    }
  });
  list.addEventListener("keydown", function (event) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at < links.length - 1) { event.preventDefault(); links[at + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? links[at - 1] : input).focus(); }
    if (event.key === "Escape") { list.hidden = true; input.focus(); }
  });
  form.addEventListener("submit", function (event) {
    if (pageList) { event.preventDefault(); run(input.value.trim()); }
  });

  function run(query) {
    loadIndex(function (index) { show(pageList, search(index, query), query); });
  }
  if (pageList) {
    var query = new URLSearchParams(window.location.search).get("q") || "";
    input.value = query;
    if (query) run(query);
  }
})();
