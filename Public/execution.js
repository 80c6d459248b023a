// Follows a running execution: new log lines are appended, task rows appear and change, the state badge changes, and
// the page reloads once the execution has ended so the outputs are complete. Without JavaScript the page works by reloading.
(function () {
  "use strict";
  var section = document.getElementById("log-section");
  if (!section || !section.dataset.events || !window.EventSource) { return; }
  var log = document.getElementById("log");
  var state = document.getElementById("state");
  var empty = document.getElementById("log-empty");
  var last = Number(section.dataset.last || "0");
  var source = new EventSource(section.dataset.events);

  function text(tag, className, value) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    node.textContent = value; // never innerHTML: log lines are untrusted
    return node;
  }

  source.addEventListener("log", function (event) {
    if (Number(event.lastEventId) <= last) { return; }
    last = Number(event.lastEventId);
    var line = JSON.parse(event.data);
    var item = document.createElement("li");
    if (line.level === "ERROR") { item.className = "level-error"; }
    if (line.level === "WARN") { item.className = "level-warn"; }
    item.appendChild(text("time", "", line.time));
    item.appendChild(document.createTextNode(" "));
    item.appendChild(text("span", "level", line.level));
    item.appendChild(document.createTextNode(" "));
    item.appendChild(text("span", "task", line.task));
    item.appendChild(document.createTextNode(" "));
    item.appendChild(text("span", "line", line.line));
    log.appendChild(item);
    log.hidden = false;
    if (empty) { empty.hidden = true; }
  });

  var tasks = document.getElementById("task-rows");
  source.addEventListener("task", function (event) {
    var run = JSON.parse(event.data);
    var row = null;
    for (var i = 0; i < tasks.rows.length; i++) {
      if (tasks.rows[i].dataset.run === run.id) { row = tasks.rows[i]; }
    }
    if (!row) {
      row = document.createElement("tr");
      row.dataset.run = run.id;
      tasks.appendChild(row);
    }
    var badge = text("span", "state state-" + run.state.toLowerCase(), run.state);
    var cells = [text("td", "", run.task), text("td", "", run.value), document.createElement("td"),
      text("td", "", run.attempts), text("td", "", run.duration)];
    cells[2].appendChild(badge);
    row.replaceChildren.apply(row, cells);
  });

  source.addEventListener("state", function (event) {
    var value = JSON.parse(event.data).state;
    state.textContent = value;
    state.className = "state state-" + value.toLowerCase();
  });

  source.addEventListener("end", function () {
    source.close();
    window.location.reload();
  });
})();
