// The HTML report's inline stylesheet and script. They are plain strings so the page needs no other file, and
// the Content-Security-Policy allows exactly these two by hash: nothing else can run or load, even if a string
// from the input ever escaped its escaping.

export const REPORT_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f7f8fa; --panel: #ffffff; --text: #1d2330; --muted: #5d6678; --line: #dde1e8; --code-bg: #f2f4f7;
  --hit: #fff3c4; --mark: #ffd54f; --accent: #1f5fbf;
  --error: #c62828; --warning: #d46a00; --info: #1565c0; --style: #5c6b7a;
  --critical: #7f0000; --high: #d32f2f; --medium: #ef6c00; --low: #c9a100; --negligible: #8d99a6; --unknown: #607d8b;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14171d; --panel: #1c2028; --text: #e4e7ec; --muted: #9aa3b2; --line: #333a46; --code-bg: #232833;
    --hit: #4a3f12; --mark: #8a6d00; --accent: #7fb0ff;
    --error: #ff6b6b; --warning: #ffa94d; --info: #74b0ff; --style: #a3b1c2;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.45 "DejaVu Sans", system-ui, sans-serif; }
header.top { background: #1b2a41; color: #fff; padding: 16px 28px 12px; }
header.top h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
header.top .meta { margin: 0; color: #c4cede; font-size: 13px; }
header.top nav { margin-top: 10px; display: flex; gap: 16px; flex-wrap: wrap; }
header.top nav a { color: #e8eefc; text-decoration: none; border-bottom: 1px solid transparent; }
header.top nav a:hover { border-bottom-color: #e8eefc; }
main { padding: 8px 28px 40px; max-width: 1500px; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 14px 18px; margin: 16px 0; }
h2 { margin: 0 0 10px; font-size: 18px; }
h3 { margin: 14px 0 6px; font-size: 15px; }
a { color: var(--accent); }
code, pre, .mono { font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: 12.5px; }
.muted { color: var(--muted); }
.note { margin: 6px 0; padding: 6px 10px; border-left: 3px solid var(--warning); background: var(--code-bg); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: 600; border-top: 2px solid var(--line); }
button.sort { all: unset; cursor: pointer; }
button.sort::after { content: " \\2195"; opacity: .35; }
th[aria-sort="ascending"] button.sort::after { content: " \\2191"; opacity: 1; }
th[aria-sort="descending"] button.sort::after { content: " \\2193"; opacity: 1; }
button.sort:focus-visible { outline: 2px solid var(--accent); }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin-bottom: 12px; }
.card { flex: 1 1 120px; border: 1px solid var(--line); border-top: 4px solid var(--muted); border-radius: 6px; padding: 8px 12px; }
.card .n { font-size: 26px; font-weight: 600; }
.card.error { border-top-color: var(--error); } .card.warning { border-top-color: var(--warning); }
.card.info { border-top-color: var(--info); } .card.style { border-top-color: var(--style); }
.sev { display: inline-block; min-width: 64px; text-align: center; padding: 1px 6px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; }
.sev-error { background: var(--error); } .sev-warning { background: var(--warning); }
.sev-info { background: var(--info); } .sev-style { background: var(--style); }
.vs { display: inline-block; min-width: 78px; text-align: center; padding: 1px 6px; border-radius: 10px; color: #fff; font-size: 11px; font-weight: 600; }
.vs-critical { background: var(--critical); fill: var(--critical); } .vs-high { background: var(--high); fill: var(--high); }
.vs-medium { background: var(--medium); fill: var(--medium); } .vs-low { background: var(--low); fill: var(--low); }
.vs-negligible { background: var(--negligible); fill: var(--negligible); } .vs-unknown { background: var(--unknown); fill: var(--unknown); }
.chart text { fill: var(--text); font-size: 12px; }
.chart .axis { stroke: var(--line); }
.filters { display: flex; gap: 14px; align-items: center; flex-wrap: wrap; margin: 0 0 10px; padding: 8px 10px; background: var(--code-bg); border-radius: 6px; }
.filters fieldset { border: 0; margin: 0; padding: 0; display: flex; gap: 8px; align-items: center; }
.filters legend { float: left; margin-right: 6px; color: var(--muted); }
.filters .count { color: var(--muted); font-size: 12px; }
.filters output { margin-left: auto; font-weight: 600; }
.filters input[type=search] { min-width: 220px; }
td.msg p { margin: 0; }
table.findings { table-layout: fixed; }
table.findings th[data-col=severity] { width: 92px; } table.findings th[data-col=area] { width: 76px; }
table.findings th[data-col=rule] { width: 150px; } table.findings th[data-col=location] { width: 24%; }
table.findings th[data-col=source] { width: 90px; }
td.loc code { word-break: break-all; }
details > summary { cursor: pointer; color: var(--muted); font-size: 12px; }
pre.excerpt { margin: 6px 0 2px; background: var(--code-bg); border-radius: 4px; padding: 6px 0; overflow-x: auto; max-width: 100%; }
pre.excerpt .line { display: block; padding: 0 10px 0 0; white-space: pre; }
pre.excerpt .line.hit { background: var(--hit); }
pre.excerpt .ln { display: inline-block; width: 44px; padding-right: 10px; text-align: right; color: var(--muted); user-select: none; }
pre.excerpt mark { background: var(--mark); color: inherit; border-radius: 2px; }
pre.docs { white-space: pre-wrap; background: var(--code-bg); padding: 8px; border-radius: 4px; max-width: 900px; }
.mark { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 11px; font-weight: 600; color: #fff; margin-left: 4px; }
.mark-secret { background: var(--error); } .mark-setuid { background: var(--warning); } .mark-world-writable { background: var(--info); }
tr.marked td { background: var(--hit); }
svg.bar rect.full { fill: var(--line); } svg.bar rect.part { fill: var(--accent); }
table.files { width: auto; margin-top: 4px; } table.files td { padding: 2px 8px; }
tr.empty td { text-align: center; color: var(--muted); padding: 14px; }
.wrap { word-break: break-all; }
`;

export const REPORT_JS = `
(function () {
  "use strict";
  var root = document.documentElement;
  root.setAttribute("data-js", "on");
  var SEVERITY_NAMES = ["error", "warning", "info", "style"];

  function text(node) { return (node.textContent || "").replace(/\\s+/g, " ").trim(); }
  function cellKey(row, index) {
    var td = row.cells[index];
    if (!td) return "";
    var key = td.getAttribute("data-key");
    return key !== null ? key : text(td);
  }
  function compareKeys(a, b) {
    var x = Number(a), y = Number(b);
    if (a !== "" && b !== "" && !isNaN(x) && !isNaN(y)) return x - y;
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }
  function dataRows(table) {
    return Array.prototype.filter.call(table.tBodies[0].rows, function (r) { return !r.classList.contains("empty"); });
  }

  // Sorting: every table.sortable gets buttons in its header cells.
  function sortTable(table, index, direction) {
    var body = table.tBodies[0];
    var rows = dataRows(table);
    rows.sort(function (a, b) { return direction * compareKeys(cellKey(a, index), cellKey(b, index)); });
    rows.forEach(function (r) { body.appendChild(r); });
    var empty = body.querySelector("tr.empty");
    if (empty) body.appendChild(empty);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      if (i === index) th.setAttribute("aria-sort", direction > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        sortTable(table, index, th.getAttribute("aria-sort") === "ascending" ? -1 : 1);
        if (table.id === "findings-table") writeState();
      });
    });
  });

  // Plain text filters for the other tables (packages, vulnerabilities).
  Array.prototype.forEach.call(document.querySelectorAll("input[data-filter-for]"), function (input) {
    var table = document.getElementById(input.getAttribute("data-filter-for"));
    var output = document.querySelector("output[data-count-for=\\"" + input.getAttribute("data-filter-for") + "\\"]");
    if (!table) return;
    var rows = dataRows(table);
    var texts = rows.map(function (r) { return text(r).toLowerCase(); });
    function update() {
      var q = input.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (r, i) { var show = q === "" || texts[i].indexOf(q) >= 0; r.hidden = !show; if (show) shown++; });
      if (output) { output.textContent = shown + " of " + rows.length + " shown"; output.setAttribute("data-shown", String(shown)); }
    }
    input.hidden = false;
    if (output) output.hidden = false;
    input.addEventListener("input", update);
    update();
  });

  // The findings filter: severity, area, rule and text, read from and written to the URL fragment.
  var form = document.getElementById("filters");
  var table = document.getElementById("findings-table");
  if (!form || !table) return;
  var rows = dataRows(table);
  var searchTexts = rows.map(function (r) {
    return Array.prototype.map.call(r.cells, function (td) {
      var own = td.querySelector(".msg-text");
      return text(own || td);
    }).join(" ").toLowerCase();
  });
  var emptyRow = table.querySelector("tr.empty");
  var output = document.getElementById("shown");
  var columns = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) { return th.getAttribute("data-col"); });

  function severityBoxes() { return Array.prototype.slice.call(form.querySelectorAll("input[name=severity]")); }
  function state() {
    return {
      severities: severityBoxes().filter(function (b) { return b.checked; }).map(function (b) { return b.value; }),
      area: form.elements.namedItem("area").value,
      rule: form.elements.namedItem("rule").value,
      q: form.elements.namedItem("q").value.trim(),
    };
  }
  function apply() {
    var s = state();
    var q = s.q.toLowerCase();
    var counts = {};
    SEVERITY_NAMES.forEach(function (n) { counts[n] = 0; });
    var shown = 0;
    rows.forEach(function (r, i) {
      var matches = (s.area === "" || r.getAttribute("data-area") === s.area)
        && (s.rule === "" || r.getAttribute("data-rule") === s.rule)
        && (q === "" || searchTexts[i].indexOf(q) >= 0);
      var severity = r.getAttribute("data-severity");
      if (matches) counts[severity] = (counts[severity] || 0) + 1;
      var show = matches && s.severities.indexOf(severity) >= 0;
      r.hidden = !show;
      if (show) shown++;
    });
    Array.prototype.forEach.call(form.querySelectorAll("[data-count-severity]"), function (el) {
      el.textContent = String(counts[el.getAttribute("data-count-severity")] || 0);
    });
    output.textContent = shown + " of " + rows.length + " findings shown";
    output.setAttribute("data-shown", String(shown));
    if (emptyRow) emptyRow.hidden = shown !== 0 || rows.length === 0;
  }
  function writeState() {
    var s = state();
    var p = new URLSearchParams();
    if (s.severities.length !== SEVERITY_NAMES.length) p.set("severity", s.severities.join(","));
    if (s.area !== "") p.set("area", s.area);
    if (s.rule !== "") p.set("rule", s.rule);
    if (s.q !== "") p.set("q", s.q);
    var sorted = table.tHead.querySelector("th[aria-sort]");
    if (sorted) p.set("sort", (sorted.getAttribute("aria-sort") === "descending" ? "-" : "") + sorted.getAttribute("data-col"));
    var hash = p.toString();
    try { history.replaceState(null, "", hash === "" ? location.pathname + location.search : "#" + hash); } catch (e) { /* file: URLs in some browsers */ }
  }
  function setSelect(name, value) {
    var select = form.elements.namedItem(name);
    var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
    select.value = known ? value : "";
  }
  // Filters come from "?filter=text" and from the fragment ("#severity=error,warning&area=lint&rule=DL3008&q=apt&sort=-severity");
  // a fragment without "=" is a link to a section and leaves the filters alone.
  function readState() {
    var p = new URLSearchParams(location.search);
    var hash = location.hash.replace(/^#/, "");
    if (hash.indexOf("=") >= 0) new URLSearchParams(hash).forEach(function (v, k) { p.set(k, v); });
    var severity = p.get("severity");
    var wanted = severity === null ? SEVERITY_NAMES : severity.split(",").map(function (x) { return x.trim().toLowerCase(); });
    severityBoxes().forEach(function (b) { b.checked = wanted.indexOf(b.value) >= 0; });
    setSelect("area", p.get("area") || "");
    setSelect("rule", p.get("rule") || "");
    form.elements.namedItem("q").value = p.get("q") || p.get("filter") || "";
    var sort = p.get("sort");
    if (sort) {
      var descending = sort.charAt(0) === "-";
      var index = columns.indexOf(descending ? sort.slice(1) : sort);
      if (index >= 0) sortTable(table, index, descending ? -1 : 1);
    }
    apply();
  }

  form.hidden = false;
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("input", function () { apply(); writeState(); });
  form.addEventListener("change", function () { apply(); writeState(); });
  window.addEventListener("hashchange", function () { if (location.hash.indexOf("=") >= 0) readState(); });
  readState();
})();
`;
