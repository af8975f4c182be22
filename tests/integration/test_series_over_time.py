"""Per-endpoint and per-custom-metric series over time, from a run against the
hotel mock: the result file's endpoint_series add up, second by second, to the
time series and to each endpoint's totals; metric_series add up to the custom
metrics' totals; the HTML report draws them (read in headless Chromium at
1280 px), and `lueng report` draws the same from the saved file."""

import os
import tempfile
import unittest
from collections import defaultdict

from hotel_support import start_mock
from support import lueng
from test_html_report import CHROMIUM, chromium, run_lueng

# Two endpoints at different rates (one request to "availability" per
# iteration, one to "missing" every third, answered 404), and one custom metric
# of each type.
SCRIPT = """
local http = require "lueng.http"
local lueng = require "lueng"
local metrics = require "lueng.metrics"
local orders = metrics.Counter("orders")
local depth = metrics.Gauge("queue_depth")
local booked = metrics.Rate("booked")
local quote = metrics.Trend("quote_time", true)
options = {
  scenarios = {
    open = { executor = "constant-arrival-rate", rate = 30, timeUnit = "1s", duration = "3s",
             preAllocatedVUs = 2, maxVUs = 4 },
  },
}
function default()
  local i = lueng.vu.iteration
  http.get(ENV.BASE_URL .. "/health/live", { tags = { endpoint = "availability" } })
  if i % 3 == 0 then
    http.get(ENV.BASE_URL .. "/no/such/path", { tags = { endpoint = "missing" } })
  end
  orders:add(2)
  depth:add(i)
  booked:add(i % 4 ~= 0)
  quote:add(1 + i % 5)
end
"""


def endpoint_totals(result):
    """Requests and failures per (method, endpoint tag or name) from the metrics' tags."""
    totals = defaultdict(lambda: [0, 0])
    for metric, index in (("http_reqs", 0), ("http_req_failed", 1)):
        for series in result["metrics"][metric]["series"]:
            tags = series["tags"]
            key = (tags["method"], tags.get("endpoint") or tags["name"])
            values = series["values"]
            totals[key][index] += int(values["count"] if index == 0 else values["passes"])
    return totals


class SeriesOverTimeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="lueng-series-")
        mock = start_mock()
        try:
            cls.report = os.path.join(cls.dir, "report.html")
            cls.run_ = run_lueng(SCRIPT, ["-e", f"BASE_URL=http://127.0.0.1:{mock.port}",
                                          "--out", f"html={cls.report}"])
        finally:
            assert mock.stop() == 0, "hotel-mock must exit 0 on SIGTERM"
        cls.result = cls.run_.result

    def test_the_run_passed(self):
        self.assertEqual(self.run_.code, 0, self.run_.stderr)

    def test_endpoint_series_add_up_to_the_run(self):
        series = self.result["endpoint_series"]
        self.assertEqual(sorted(s["name"] for s in series), ["availability", "missing"])
        # Each endpoint's seconds sum to its totals from the metrics.
        totals = endpoint_totals(self.result)
        for s in series:
            requests = sum(p["http_reqs"] for p in s["points"])
            failed = sum(p["http_req_failed"] for p in s["points"])
            self.assertEqual([requests, failed], totals[(s["method"], s["name"])], s["name"])
            self.assertGreater(requests, 0)
            for p in s["points"]:
                self.assertGreater(p["http_reqs"], 0)  # seconds with requests only
                self.assertLessEqual(p["avg"], p["max"])
                self.assertLessEqual(p["p(95)"], p["p(99)"] * 1.0001)
        missing = next(s for s in series if s["name"] == "missing")
        self.assertTrue(all(p["http_req_failed"] == p["http_reqs"] for p in missing["points"]))
        # Second by second, the endpoints are the whole time series.
        by_second = defaultdict(int)
        for s in series:
            for p in s["points"]:
                by_second[p["t"]] += p["http_reqs"]
        expected = {p["t"]: p["http_reqs"] for p in self.result["time_series"] if p["http_reqs"]}
        self.assertEqual(dict(by_second), expected)

    def test_metric_series_add_up_to_the_custom_metrics(self):
        series = {s["name"]: s for s in self.result["metric_series"]}
        self.assertEqual(sorted(series), ["booked", "orders", "queue_depth", "quote_time"])
        metrics = self.result["metrics"]
        iterations = int(metrics["iterations"]["values"]["count"])

        orders = series["orders"]
        self.assertEqual(orders["type"], "counter")
        self.assertEqual(sum(p["value"] for p in orders["points"]), 2 * iterations)
        self.assertEqual(sum(p["count"] for p in orders["points"]), iterations)

        booked = series["booked"]
        passes = sum(round(p["value"] * p["count"]) for p in booked["points"])
        self.assertEqual(passes, metrics["booked"]["values"]["passes"])

        quote = series["quote_time"]
        self.assertEqual((quote["type"], quote["contains"]), ("trend", "time"))
        self.assertEqual(sum(p["count"] for p in quote["points"]),
                         metrics["quote_time"]["values"]["count"])
        mean = sum(p["value"] * p["count"] for p in quote["points"]) / iterations
        self.assertAlmostEqual(mean, metrics["quote_time"]["values"]["avg"], places=6)
        self.assertTrue(all(1 <= p["value"] <= p["max"] <= 5 for p in quote["points"]))

        depth = series["queue_depth"]
        self.assertEqual(depth["points"][-1]["value"], metrics["queue_depth"]["values"]["value"])
        self.assertEqual(max(p["max"] for p in depth["points"]),
                         metrics["queue_depth"]["values"]["max"])

    @unittest.skipIf(CHROMIUM is None, "chromium is not installed (tools/install-deps.sh installs it)")
    def test_the_html_report_draws_them(self):
        dom = chromium("--window-size=1280,1000", "--dump-dom", "file://" + self.report,
                       user_dir=os.path.join(self.dir, "profile")).stdout
        start = dom.index('<section id="endpoint-charts"')
        section = dom[start:dom.index("</section>", start)]
        totals = endpoint_totals(self.result)
        for (method, name), (requests, failed) in totals.items():
            self.assertRegex(section, rf"<td>{method}</td><td><code>{name}</code></td>"
                                      rf'<td class="n">{requests}</td><td class="n">{failed}</td>')
        for chart in ("chart-endpoint-rps", "chart-endpoint-p95", "chart-endpoint-errors"):
            chart_start = section.index(f'id="{chart}"')
            svg = section[chart_start:section.index("</svg>", chart_start)]
            self.assertEqual(svg.count('class="series"'), 2, chart)
        for name in ("orders", "queue_depth", "booked", "quote_time"):
            self.assertIn(f'id="chart-metric-time-{name}"', dom)

    def test_lueng_report_draws_the_same_from_the_file(self):
        again = os.path.join(self.dir, "again.html")
        done = lueng("report", self.run_.result_path, "--html", again)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(self.report) as a, open(again) as b:
            drawn = b.read()
            self.assertIn('id="chart-endpoint-rps"', drawn)
            original = a.read()
        section = lambda page: page[page.index('<section id="endpoint-charts"'):]
        self.assertEqual(section(drawn)[:4000], section(original)[:4000])


if __name__ == "__main__":
    unittest.main()
