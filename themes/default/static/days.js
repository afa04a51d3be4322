// Says how far each deadline on the page is from the reader's today (": in 12 days",
// ": passed 215 days ago"). Pages carry only the date (`data-until`, the last day it covers),
// so a page built once stays right on later days; without script the date alone shows.
(function () {
  "use strict";
  var DAY = 86400000;
  var now = new Date();
  var today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  var spans = document.querySelectorAll(".days[data-until]");
  for (var i = 0; i < spans.length; i++) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(spans[i].getAttribute("data-until"));
    if (!m) continue;
    var days = Math.round((Date.UTC(+m[1], +m[2] - 1, +m[3]) - today) / DAY);
    var n = Math.abs(days) + (Math.abs(days) === 1 ? " day" : " days");
    // "By D" allows D itself: the requirement is in force from the day after.
    var count = document.createElement("span");
    count.className = days < 0 ? "days-past" : "days-ahead";
    count.textContent = days === 0 ? "due today" : days > 0 ? "in " + n : "passed " + n + " ago";
    spans[i].textContent = ": ";
    spans[i].appendChild(count);
  }
})();
