"""The target's own metrics (options.monitor, --monitor; docs/lua-api.md): the
hotel mock exposes its process memory, CPU and open connections and, with
--leak, memory that grows with requests; lueng scrapes them during a real run
into gauges, the result file and the HTML report (read in Chromium), and the
growth SLO and the target-memory finding tell a leaking mock from a sound one.
A dead, hanging or garbage endpoint is counted and warned about, never fatal."""

import os
import re
import socket
import tempfile
import time
import unittest
import urllib.request

from hotel_support import MockCase
from support import SANITIZED, run_lueng
from test_html_report import CHROMIUM, chromium

SCRIPT = """
local http = require "lueng.http"
local lueng = require "lueng"
options = {
  vus = 4, duration = "4s",
  monitor = {
    targets = { ENV.BASE_URL .. "/metrics" }, interval = "400ms", warmup = "500ms",
    series = { "process_resident_memory_bytes", "process_cpu_seconds_total",
               "hotel_mock_open_connections" },
  },
  thresholds = {
    target_process_resident_memory_bytes_growth = { { "value<30", priority = "P1" } },
  },
}
function default()
  http.get(ENV.BASE_URL .. "/api/v1/accommodations")
  lueng.sleep(0.002)
end
"""


def scrape(mock):
    with urllib.request.urlopen(f"http://127.0.0.1:{mock.port}/metrics", timeout=10) as response:
        text = response.read().decode()
    return {m.group(1): float(m.group(2))
            for m in re.finditer(r"^(\w+) ([0-9.e+]+)$", text, re.M)}


class MockProcessMetricsTest(MockCase):
    def test_process_memory_cpu_and_open_connections(self):
        mock = self.start_mock()
        connections = [mock.connection() for _ in range(3)]
        for conn in connections:
            mock.request("GET", "/health/live", conn=conn)
        values = scrape(mock)
        self.assertGreater(values["process_resident_memory_bytes"], 1 << 20)
        self.assertGreaterEqual(values["process_cpu_seconds_total"], 0)
        self.assertGreater(values["process_open_fds"], 3)
        self.assertGreaterEqual(values["hotel_mock_open_connections"], 3)  # and the scrape's own
        self.assertEqual(values["hotel_mock_leaked_bytes"], 0)
        for conn in connections:
            conn.close()
        deadline = time.monotonic() + 5
        while scrape(mock)["hotel_mock_open_connections"] > 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(scrape(mock)["hotel_mock_open_connections"], 1)

    def test_leak_keeps_memory_per_request_up_to_its_cap(self):
        mock = self.start_mock("--leak", "--leak-per-request", "1MiB", "--leak-cap", "3MiB")
        before = scrape(mock)["process_resident_memory_bytes"]
        mock.request("GET", "/health/live")  # a health check is no business request
        self.assertEqual(scrape(mock)["hotel_mock_leaked_bytes"], 0)
        for _ in range(5):
            self.assertEqual(mock.request("GET", "/api/v1/accommodations")[0], 200)
        after = scrape(mock)
        self.assertEqual(after["hotel_mock_leaked_bytes"], 3 << 20)
        # Written, so resident: at least the 3 MiB kept.
        self.assertGreater(after["process_resident_memory_bytes"] - before, 3 << 20)

    def test_leak_options_are_checked(self):
        from test_hotel_mock import MOCK
        import subprocess
        for args in (["--leak-per-request", "0"], ["--leak-cap", "5GiB"], ["--leak-cap", "lots"]):
            done = subprocess.run([MOCK, *args], capture_output=True, text=True, timeout=10)
            self.assertEqual(done.returncode, 104, args)
            self.assertIn(args[0], done.stderr)


class GrowthThresholdTest(MockCase):
    def run_against(self, *mock_args, html=None):
        mock = self.start_mock(*mock_args)
        extra = ["--out", f"html={html}"] if html else []
        return run_lueng(SCRIPT, ["-e", f"BASE_URL=http://127.0.0.1:{mock.port}", *extra],
                         timeout=60), mock

    def test_a_leaking_target_fails_the_growth_slo_and_shows_the_finding(self):
        folder = tempfile.mkdtemp(prefix="lueng-monitor-")
        report = os.path.join(folder, "report.html")
        run, mock = self.run_against("--leak", "--leak-per-request", "32KiB", html=report)
        self.assertEqual(run.code, 1, run.stdout[-2000:] + run.stderr[-2000:])
        source = f"127.0.0.1:{mock.port}"
        monitor = run.result["monitor"]
        [endpoint] = monitor["sources"]
        self.assertEqual(endpoint["source"], source)
        self.assertEqual(endpoint["errors"], 0, endpoint)
        self.assertGreaterEqual(endpoint["scrapes"], 8)  # every 400 ms for 4 s, and one at the end
        series = {s["metric"]: s for s in monitor["series"]}
        self.assertEqual(set(series), {"target_process_resident_memory_bytes",
                                       "target_process_cpu_seconds_total",
                                       "target_hotel_mock_open_connections"})
        memory = series["target_process_resident_memory_bytes"]
        self.assertEqual(memory["tags"], {"source": source})
        self.assertGreater(memory["growth_percent"], 30)
        values = [v for _, v in memory["points"]]
        self.assertGreater(values[-1], values[0])
        # The gauges the SLO judged.
        growth = run.result["metrics"]["target_process_resident_memory_bytes_growth"]
        self.assertAlmostEqual(growth["values"]["value"], memory["growth_percent"], places=6)
        self.assertEqual(growth["series"][0]["tags"], {"source": source})
        [slo] = run.result["slos"]["results"]
        self.assertEqual(slo["status"], "FAIL", slo)
        [finding] = run.result["findings"]["target_growth"]
        self.assertTrue(finding["flagged"])
        self.assertIn("target memory (target_process_resident_memory_bytes, " + source + "): grew",
                      run.stdout)
        self.assertGreater(run.result["metrics"]["target_hotel_mock_open_connections"]["values"]["max"], 0)
        if CHROMIUM:
            dom = chromium("--dump-dom", "file://" + report,
                           user_dir=os.path.join(folder, "profile")).stdout
            self.assertIn('<section id="monitor">', dom)
            self.assertIn('id="chart-monitor-0"', dom)
            self.assertIn('<tr data-metric="target_process_resident_memory_bytes">', dom)
            self.assertRegex(dom, r'<li class="finding target-growth alert">target memory')

    @unittest.skipIf(SANITIZED, "an ASan-built mock keeps freed memory in quarantine, so its "
                     "resident memory grows without a leak")
    def test_a_sound_target_passes(self):
        run, _ = self.run_against()
        self.assertEqual(run.code, 0, run.stdout[-2000:] + run.stderr[-2000:])
        [finding] = run.result["findings"]["target_growth"]
        self.assertFalse(finding["flagged"], finding)
        self.assertLess(finding["growth_percent"], 30)
        [slo] = run.result["slos"]["results"]
        self.assertEqual(slo["status"], "PASS", slo)


class BrokenEndpointsTest(MockCase):
    def test_dead_hanging_and_garbage_endpoints_are_counted_not_fatal(self):
        mock = self.start_mock()
        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        dead_port = closed.getsockname()[1]
        closed.close()
        hanging = socket.socket()  # accepts (the kernel's backlog) and never answers
        hanging.bind(("127.0.0.1", 0))
        hanging.listen(16)
        self.addCleanup(hanging.close)
        base = f"http://127.0.0.1:{mock.port}"
        urls = [f"http://127.0.0.1:{dead_port}/metrics",
                f"http://127.0.0.1:{hanging.getsockname()[1]}/metrics",
                f"{base}/health/live"]  # JSON, not the text format
        script = """
local http = require "lueng.http"
options = { vus = 2, duration = "2s", monitor = { interval = "200ms", timeout = "300ms" } }
function default() http.get(ENV.BASE_URL .. "/health/live") end
"""
        args = ["-e", f"BASE_URL={base}"]
        for url in urls:
            args += ["--monitor", url]
        started = time.monotonic()
        run = run_lueng(script, args, timeout=60)
        elapsed = time.monotonic() - started
        self.assertEqual(run.code, 0, run.stderr[-3000:])
        self.assertLess(elapsed, 12, "a hanging endpoint must not hold the run up")
        sources = {s["url"]: s for s in run.result["monitor"]["sources"]}
        for url in urls:
            self.assertGreater(sources[url]["scrapes"], 2, sources[url])
            self.assertEqual(sources[url]["errors"], sources[url]["scrapes"], sources[url])
            self.assertIn(f"WARN monitor {url}: ", run.stderr)
        self.assertIn("Connection refused", sources[urls[0]]["first_error"])
        self.assertIn("timed out after 0.3s", sources[urls[1]]["first_error"])
        self.assertIn("unreadable page", sources[urls[2]]["first_error"])
        errors = run.result["metrics"]["target_scrape_errors"]
        self.assertEqual(errors["values"]["count"],
                         sum(s["errors"] for s in sources.values()))
        self.assertEqual(run.result["monitor"]["series"], [])
        self.assertGreater(run.metric("http_reqs")["count"], 100, "the VUs ran on regardless")


if __name__ == "__main__":
    unittest.main()
