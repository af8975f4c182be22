#include "engine/dashboard/page.hpp"

namespace lueng::dashboard {

namespace {

constexpr const char* kHead = R"HTML(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lueng live dashboard</title>
<style>
body{font:14px system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2329}
header{background:#1d2329;color:#fff;padding:10px 18px;display:flex;gap:18px;align-items:baseline}
header h1{font-size:17px;margin:0}
#state{font-weight:600}#state.final{color:#8fd18f}#state.lost{color:#f0a35e}
main{padding:14px 18px;max-width:1280px}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px}
.tile{background:#fff;border-radius:6px;padding:8px 12px;box-shadow:0 1px 2px #0002}
.tile b{display:block;font-size:20px}.tile small{color:#5b6570}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(400px,1fr));gap:10px;margin-top:12px}
figure{margin:0;background:#fff;border-radius:6px;padding:8px;box-shadow:0 1px 2px #0002}
figcaption{font-weight:600;margin-bottom:4px}canvas{width:100%;height:170px}
table{border-collapse:collapse;background:#fff;margin-top:6px;min-width:50%}
th,td{padding:4px 10px;border-bottom:1px solid #e3e6ea;text-align:right}
th:first-child,td:first-child,td.text{text-align:left}
.PASS{color:#23863a}.FAIL,.CRITICAL{color:#c62828;font-weight:600}.WARNING{color:#b26a00}
h2{font-size:15px;margin:18px 0 4px}
</style></head><body>
<header><h1>lueng</h1><span id="state">waiting for the first second</span>
<span id="elapsed"></span><span id="verdict"></span></header>
<main>
<div class="tiles">
<div class="tile"><small>requests</small><b id="requests">-</b></div>
<div class="tile"><small>req/s (run)</small><b id="request-rate">-</b></div>
<div class="tile"><small>VUs</small><b id="vus">-</b></div>
<div class="tile"><small>p50</small><b id="p50">-</b></div>
<div class="tile"><small>p95</small><b id="p95">-</b></div>
<div class="tile"><small>p99</small><b id="p99">-</b></div>
<div class="tile"><small>error rate</small><b id="error-rate">-</b></div>
<div class="tile"><small>iterations</small><b id="iterations">-</b></div>
</div>
<div class="charts">
<figure><figcaption>requests per second</figcaption><canvas id="chart-rps"></canvas></figure>
<figure><figcaption>VUs</figcaption><canvas id="chart-vus"></canvas></figure>
<figure><figcaption>latency p50 / p95 / p99 (ms)</figcaption><canvas id="chart-latency"></canvas></figure>
<figure><figcaption>error rate (%)</figcaption><canvas id="chart-errors"></canvas></figure>
</div>
<h2>SLOs</h2><table id="slos"><thead><tr><th>metric</th><th>threshold</th><th>priority</th><th>measured</th><th>status</th></tr></thead><tbody></tbody></table>
<h2>Endpoints</h2><table id="endpoints"><thead><tr><th>endpoint</th><th>requests</th><th>failed</th><th>p50</th><th>p95</th><th>p99</th></tr></thead><tbody></tbody></table>
<h2>Findings</h2><ul id="findings"><li>none so far</li></ul>
</main>
<script id="initial" type="application/json">)HTML";

constexpr const char* kTail = R"HTML(</script>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const ms = (v) => v >= 1000 ? (v / 1000).toFixed(2) + " s" : v.toFixed(2) + " ms";
function show(id, value, text) {
  const e = $(id);
  e.dataset.value = String(value);
  e.textContent = text;
}
function rows(tbody, items, cells) {
  tbody.replaceChildren(...items.map((item) => {
    const tr = document.createElement("tr");
    for (const [text, cls] of cells(item)) {
      const td = document.createElement("td");
      td.textContent = text;
      if (cls) td.className = cls;
      tr.appendChild(td);
    }
    return tr;
  }));
}
function chart(id, xs, lines, max) {
  const canvas = $(id), ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 400, h = canvas.clientHeight || 170;
  canvas.width = w * ratio; canvas.height = h * ratio;
  const g = canvas.getContext("2d");
  g.scale(ratio, ratio);
  g.clearRect(0, 0, w, h);
  const left = 46, bottom = 18, top = 8, right = 8;
  let high = max || 0;
  for (const l of lines) for (const v of l.values) high = Math.max(high, v);
  if (high <= 0) high = 1;
  g.font = "11px system-ui,sans-serif"; g.fillStyle = "#5b6570"; g.strokeStyle = "#e3e6ea";
  for (let i = 0; i <= 4; i++) {
    const y = top + (h - top - bottom) * i / 4;
    g.beginPath(); g.moveTo(left, y); g.lineTo(w - right, y); g.stroke();
    const v = high * (4 - i) / 4;
    g.fillText(v >= 100 ? v.toFixed(0) : v.toPrecision(3), 2, y + 4);
  }
  if (xs.length) {
    g.fillText(xs[0] + "s", left, h - 4);
    g.fillText(xs[xs.length - 1] + "s", w - right - 30, h - 4);
  }
  const span = Math.max(1, xs.length - 1);
  lines.forEach((l) => {
    g.strokeStyle = l.color; g.lineWidth = 1.6; g.beginPath();
    l.values.forEach((v, i) => {
      const x = left + (w - left - right) * i / span;
      const y = top + (h - top - bottom) * (1 - v / high);
      if (i) g.lineTo(x, y); else g.moveTo(x, y);
    });
    g.stroke();
  });
}
function render(d) {
  window.dashboard = d;
  const t = d.totals;
  const state = $("state");
  state.textContent = d.final ? (d.interrupted ? "interrupted: final numbers" : "finished: final numbers") : "running";
  state.className = d.final ? "final" : "";
  show("elapsed", d.elapsed, d.elapsed.toFixed(0) + " s");
  show("verdict", d.verdict, d.verdict ? "SLOs: " + d.verdict : "");
  show("requests", t.requests, t.requests.toLocaleString("en-US"));
  show("request-rate", t.request_rate, t.request_rate.toFixed(1));
  show("vus", d.final ? t.vus_max : t.vus, d.final ? t.vus_max + " max" : String(t.vus));
  show("p50", t.p50, ms(t.p50));
  show("p95", t.p95, ms(t.p95));
  show("p99", t.p99, ms(t.p99));
  show("error-rate", t.error_rate, (100 * t.error_rate).toFixed(2) + " %");
  show("iterations", t.iterations, t.iterations.toLocaleString("en-US"));
  const xs = d.series.map((p) => p[0]);
  chart("chart-rps", xs, [{ color: "#2f6fdd", values: d.series.map((p) => p[1]) }]);
  chart("chart-vus", xs, [{ color: "#7a4fd0", values: d.series.map((p) => p[3]) }]);
  chart("chart-latency", xs, [
    { color: "#23863a", values: d.series.map((p) => p[4]) },
    { color: "#d98c00", values: d.series.map((p) => p[5]) },
    { color: "#c62828", values: d.series.map((p) => p[6]) }]);
  chart("chart-errors", xs, [{ color: "#c62828", values: d.series.map((p) => p[1] ? 100 * p[2] / p[1] : 0) }], 1);
  rows(document.querySelector("#slos tbody"), d.slos, (s) => [
    [s.metric + (s.window ? " [" + s.window + "s window]" : ""), "text"], [s.threshold, "text"],
    [s.priority, "text"], [s.status === "NO DATA" ? "-" : s.value.toPrecision(4)], [s.status, s.status.replace(" ", "_")]]);
  rows(document.querySelector("#endpoints tbody"), d.endpoints, (e) => [
    [(e.method ? e.method + " " : "") + e.name, "text"], [String(e.requests)], [String(e.failed)],
    [ms(e.p50)], [ms(e.p95)], [ms(e.p99)]]);
  const findings = $("findings");
  findings.replaceChildren(...(d.findings.length ? d.findings : ["none so far"]).map((text) => {
    const li = document.createElement("li");
    li.textContent = text;
    return li;
  }));
}
const initial = JSON.parse($("initial").textContent || "null");
if (initial) render(initial);
if (!initial || !initial.final) {
  const events = new EventSource("events");
  events.addEventListener("snapshot", (e) => render(JSON.parse(e.data)));
  events.addEventListener("final", (e) => { render(JSON.parse(e.data)); events.close(); });
  events.onerror = () => {
    if (!window.dashboard || !window.dashboard.final) { $("state").textContent = "reconnecting"; $("state").className = "lost"; }
  };
}
</script></body></html>
)HTML";

// Inside <script> the JSON must not close the element: '<' only occurs in its
// strings (an endpoint named "</script>"), where \u003c means the same.
std::string inline_json(const std::string& json) {
  std::string out;
  out.reserve(json.size());
  for (char c : json) {
    if (c == '<')
      out += "\\u003c";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string render_page(const std::string& latest_json) {
  return std::string(kHead) + inline_json(latest_json) + kTail;
}

}  // namespace lueng::dashboard
