"""The HTML report's detail sections, read in headless Chromium at 1280 px, for
a run against the hotel mock: the custom metrics (a table and each trend's
distribution), where the time of a request went (blocked to receiving), the
generator's dropped iterations and start lag over time, the checks' pass
percentages, and hover values and wall-clock times on the charts."""

import datetime
import html
import os
import re
import tempfile
import unittest

from hotel_support import start_mock
from test_html_report import CHROMIUM, chromium, run_lueng

SCRIPT = """
local http = require "lueng.http"
local lueng = require "lueng"
local metrics = require "lueng.metrics"
local think = metrics.Trend("think_time", true)
local orders = metrics.Counter("orders")
local booked = metrics.Rate("booked")
options = {
  scenarios = {
    open = { executor = "constant-arrival-rate", rate = 40, timeUnit = "1s", duration = "3s",
             preAllocatedVUs = 1, maxVUs = 1 },
  },
}
function default()
  local i = lueng.vu.iteration
  local res = http.get(ENV.BASE_URL .. "/health/live", { tags = { endpoint = "health" } })
  lueng.check(res, { ["status is 200"] = function(r) return r.status == 200 end,
                     ["every third"] = function(r) return i % 3 == 0 end })
  think:add(5 + i % 7)
  orders:add(2)
  booked:add(i % 4 ~= 0)
  lueng.sleep(0.1)
end
"""

PHASES = ["blocked", "connecting", "TLS", "sending", "waiting", "receiving"]


@unittest.skipIf(CHROMIUM is None, "chromium is not installed (tools/install-deps.sh installs it)")
class HtmlReportContentsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="lueng-html-contents-")
        mock = start_mock()
        try:
            report = os.path.join(cls.dir, "report.html")
            cls.run_ = run_lueng(SCRIPT, ["-e", f"BASE_URL=http://127.0.0.1:{mock.port}",
                                          "--out", f"html={report}"])
        finally:
            assert mock.stop() == 0, "hotel-mock must exit 0 on SIGTERM"
        cls.dom = chromium("--window-size=1280,1000", "--dump-dom", "file://" + report,
                           user_dir=os.path.join(cls.dir, "profile")).stdout

    def test_the_run_passed(self):
        self.assertEqual(self.run_.code, 0, self.run_.stderr)

    def section(self, section_id):
        start = self.dom.index(f'<section id="{section_id}"')
        return self.dom[start:self.dom.index("</section>", start)]

    def test_every_detail_section(self):
        result = self.run_.result
        # Custom metrics: one row each with the run's values, and the trend's chart.
        custom = self.section("custom-metrics")
        for name in ("think_time", "orders", "booked"):
            self.assertIn(f'data-metric="{name}"', custom)
        orders = result["metrics"]["orders"]["values"]["count"]
        self.assertRegex(custom, rf'data-metric="orders".*?<td>counter</td><td>{int(orders)} ')
        booked = result["metrics"]["booked"]["values"]
        self.assertRegex(custom, rf'data-metric="booked".*?<td>rate</td><td>[\d.]+% \({booked["passes"]} of ')
        self.assertIn('id="chart-metric-think_time"', custom)
        self.assertNotIn('data-metric="http_reqs"', custom)

        # Where the time went: the six phases in order, and their averages drawn.
        timings = self.section("timings")
        self.assertEqual(re.findall(r'<tr data-phase="([^"]+)"', timings), PHASES)
        self.assertIn('id="chart-timings"', timings)

        # The generator: 40 arrivals/s on one VU that takes 100 ms drops most of them.
        self.assertGreater(result["metrics"]["dropped_iterations"]["values"]["count"], 20)
        charts = self.section("charts")
        self.assertIn('id="chart-dropped"', charts)
        self.assertIn('id="chart-start-lag"', charts)

        # Checks: the pass percentage of each.
        checks = self.section("checks")
        self.assertRegex(checks, r'status is 200.*?class="n pass-percent">100\.00%')
        passes = {c["name"]: c for c in result["checks"]}["every third"]
        share = 100 * passes["passes"] / (passes["passes"] + passes["fails"])
        self.assertIn(f'class="n pass-percent">{share:.2f}%', checks)

    def test_hover_values_and_wall_clock_axes(self):
        start = datetime.datetime.fromtimestamp(self.run_.result["start_unix_ms"] / 1000,
                                                datetime.timezone.utc)
        rps = self.dom[self.dom.index('id="chart-rps"'):]
        rps = rps[:rps.index("</svg>")]
        titles = [html.unescape(t) for t in re.findall(r'<rect class="hover"[^>]*><title>(.*?)</title>', rps, re.S)]
        self.assertGreaterEqual(len(titles), 3)
        self.assertRegex(titles[0], rf"^{start:%H:%M:%S} UTC \(\+0s\)\nreq/s: [\d.]+$")
        # The x axis shows wall-clock times of the run, marked UTC.
        labels = re.findall(r'text-anchor="middle">(\d\d:\d\d:\d\d)</text>', rps)
        self.assertIn(f"{start:%H:%M:%S}", labels)
        self.assertIn(">UTC</text>", rps)


if __name__ == "__main__":
    unittest.main()
