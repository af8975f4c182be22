"""The HTML report (--out html=, lueng report --html) rendered in a real
headless Chromium: the DOM holds the verdict, a row per SLO, the chart <svg>
elements, the run metadata, and no markup injected from tag values; the page
requests nothing from any network (Chromium's own network log says so); it
fits a 1280 px window; the screenshot and the printed PDF are real."""

import html.parser
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import unittest

from support import TestServer, lueng, run_lueng

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

SCRIPT = """
local http = require "lueng.http"
local lueng = require "lueng"
options = {
  thresholds = {
    http_req_duration = { "p(95)<5000", { "p(99)<0.001", priority = "P1" } },
    http_req_failed = { "rate<0.5" },
    ["http_req_duration{endpoint:none}"] = { { "p(95)<100", priority = "P2" } },
  },
}
function default()
  local i = lueng.vu.iteration
  local res = http.get(ENV.BASE_URL .. "/hello",
      { tags = { endpoint = "<img src=x onerror=alert(1)></td></table><script>x()</script>", name = "hello" } })
  lueng.check(res, { ["status is 200 <i>"] = function(r) return r.status == 200 end })
  lueng.sleep(0.02)
end
"""

STATUSES = {"http_req_duration p(95)<5000": "PASS", "http_req_duration p(99)<0.001": "FAIL",
            "http_req_failed rate<0.5": "PASS", "http_req_duration{endpoint:none} p(95)<100": "NO DATA"}


class Dom(html.parser.HTMLParser):
    """The elements Chromium serialized: tags with attributes, and the text of
    the verdict and of each SLO row."""

    def __init__(self):
        super().__init__()
        self.elements = []
        self.slo_rows = []
        self.verdict = ""
        self._in_verdict = False
        self._row = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if attrs.get("id") == "verdict":
            self._in_verdict = True
        if tag == "tr" and "slo" in attrs.get("class", "").split():
            self._row = {"status": attrs.get("data-status"), "text": ""}

    def handle_endtag(self, tag):
        if tag == "div":
            self._in_verdict = False
        if tag == "tr" and self._row is not None:
            self.slo_rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._in_verdict:
            self.verdict += data
        if self._row is not None:
            self._row["text"] += data + " "

    def ids(self, tag):
        return {a.get("id") for t, a in self.elements if t == tag}


def chromium(*args, user_dir):
    # Every host name resolves to nothing: Chromium's own background requests
    # (update and time checks, which some builds send despite the flags) never
    # leave the machine, and neither could a request from the page.
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={user_dir}",
         *args],
        capture_output=True, text=True, timeout=120)


def page_requests(page, directory):
    """The URLs a file:// page asked Chromium's network stack for, read from
    Chromium's network log: requests on behalf of the page carry its file://
    isolation key; the browser's own carry none."""
    log = os.path.join(directory, "net-log.json")
    chromium(f"--log-net-log={log}", "--net-log-capture-mode=Everything", "--dump-dom",
             "file://" + page, user_dir=os.path.join(directory, "profile-net"))
    with open(log) as f:
        events = json.load(f)
    start_job = events["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [e["params"]["url"] for e in events["events"]
            if e["type"] == start_job and
            e.get("params", {}).get("network_isolation_key", "").startswith("file://")]


def metadata_rows(dom_text):
    """The run metadata table (id="metadata") as {header: cell text}."""
    rows, cell, inside, depth = {}, None, False, 0

    class Table(html.parser.HTMLParser):
        def handle_starttag(self, tag, attrs):
            nonlocal inside, cell, depth
            if dict(attrs).get("id") == "metadata":
                inside, depth = True, 0
            if inside:
                depth += 1
                if tag == "tr":
                    cell = []
                elif tag in ("th", "td") and cell is not None:
                    cell.append("")

        def handle_endtag(self, tag):
            nonlocal inside, cell, depth
            if inside:
                depth -= 1
                if tag == "tr" and cell and len(cell) >= 2:
                    rows[cell[0].strip()] = " ".join(cell[1].split())
                if depth <= 0:
                    inside = False

        def handle_data(self, data):
            if inside and cell:
                cell[-1] += data

    Table().feed(dom_text)
    return rows


@unittest.skipIf(CHROMIUM is None, "chromium is not installed (tools/install-deps.sh installs it)")
class HtmlReportInBrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = TestServer()
        cls.dir = tempfile.mkdtemp(prefix="lueng-html-")
        cls.report = os.path.join(cls.dir, "report.html")
        cls.outcome = run_lueng(SCRIPT, ["-e", f"BASE_URL={cls.server.base_url}", "-u", "3",
                                         "-d", "3s", "--out", f"html={cls.report}"])
        cls.dom_text = chromium("--dump-dom", "file://" + cls.report,
                                user_dir=os.path.join(cls.dir, "profile")).stdout
        cls.dom = Dom()
        cls.dom.feed(cls.dom_text)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_run_failed_on_the_p1_slo(self):
        self.assertEqual(self.outcome.code, 1, self.outcome.stderr)

    def test_verdict_and_one_row_per_slo(self):
        self.assertEqual(self.dom.verdict.strip(), "FAILED", self.dom_text[:2000])
        self.assertEqual(len(self.dom.slo_rows), len(STATUSES))
        seen = {}
        for row in self.dom.slo_rows:
            words = row["text"].split()
            key = next(k for k in STATUSES if all(part in words for part in k.split()))
            seen[key] = row["status"]
            self.assertIn(row["status"], row["text"])
        self.assertEqual(seen, STATUSES)

    def test_charts_are_inline_svg(self):
        svgs = self.dom.ids("svg")
        for chart in ("chart-rps", "chart-vus", "chart-latency", "chart-errors", "chart-histogram"):
            self.assertIn(chart, svgs)
        polylines = [a for t, a in self.dom.elements if t == "polyline"]
        self.assertGreaterEqual(len(polylines), 6)  # req/s, VUs, p50/p95/p99, errors
        slo_lines = [a for t, a in self.dom.elements if t == "line" and a.get("class") == "slo-line"]
        self.assertEqual(len(slo_lines), 3)  # p(95), p(99) on latency; rate on errors

    def test_tables_and_metadata(self):
        ids = {a.get("id") for _, a in self.dom.elements}
        for section in ("endpoint-table", "check-table", "metadata", "key-metrics", "compliance"):
            self.assertIn(section, ids)
        self.assertIn("<img src=x onerror=alert(1)>", self.dom_text.replace("&lt;", "<").replace("&gt;", ">"))

    def test_nothing_injected_and_nothing_external(self):
        tags = [t for t, _ in self.dom.elements]
        self.assertNotIn("img", tags)
        self.assertNotIn("script", tags)
        self.assertNotIn("i", tags)
        for tag, attrs in self.dom.elements:
            for name in ("src", "href"):
                self.assertNotIn(name, attrs, (tag, attrs))

    def test_the_run_metadata(self):
        rows = metadata_rows(self.dom_text)
        self.assertEqual(rows.get("script"), self.outcome.script_path, rows)
        self.assertIn("default", rows.get("scenarios", ""))
        self.assertIn("3 looping VUs", rows.get("scenarios", ""))
        for key in ("start", "end"):
            self.assertRegex(rows.get(key, ""), r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$", key)
        self.assertRegex(rows.get("duration", ""), r"^3(\.\d+)?s$")
        self.assertEqual(rows.get("host"), self.outcome.result["host"])
        version = subprocess.run([os.environ.get("LUENG_BIN", "lueng"), "version"],
                                 capture_output=True, text=True).stdout
        self.assertIn(rows.get("lueng version"), version)
        self.assertEqual(rows.get("exit status"), "1")

    def test_the_page_requests_nothing_from_any_network(self):
        # The log is a real witness: a page with an image and a style sheet on
        # loopback shows both requests in it.
        probe = os.path.join(self.dir, "probe.html")
        with open(probe, "w") as f:
            f.write(f'<img src="{self.server.base_url}/x.png">'
                    f'<link rel="stylesheet" href="{self.server.base_url}/a.css">')
        seen = page_requests(probe, os.path.join(self.dir, "probe"))
        self.assertEqual(sorted(seen), [f"{self.server.base_url}/a.css", f"{self.server.base_url}/x.png"])
        self.assertEqual(page_requests(self.report, os.path.join(self.dir, "report-net")), [])
        with open(self.report) as f:
            page = f.read()
        self.assertIn("default-src 'none'", page)  # the Content-Security-Policy

    def test_it_prints(self):
        pdf = os.path.join(self.dir, "report.pdf")
        done = chromium(f"--print-to-pdf={pdf}", "--no-pdf-header-footer", "file://" + self.report,
                        user_dir=os.path.join(self.dir, "profile-pdf"))
        self.assertTrue(os.path.exists(pdf), done.stderr)
        with open(pdf, "rb") as f:
            data = f.read()
        self.assertTrue(data.startswith(b"%PDF-"))
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
        self.assertGreaterEqual(pages, 2)  # charts and tables, on more than one page
        with open(self.report) as f:
            self.assertIn("@media print", f.read())

    def test_it_fits_1280_px_without_scrolling_sideways(self):
        # A copy of the report with a script that writes the page's widths into
        # the DOM (the report's own policy forbids scripts, so it goes too).
        with open(self.report) as f:
            page = f.read()
        page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
        self.assertNotIn("Content-Security-Policy", page)
        page = page.replace("</body>", "<script>const d = document.documentElement;"
                            "document.body.dataset.scroll = d.scrollWidth;"
                            "document.body.dataset.client = d.clientWidth;</script></body>")
        probe = os.path.join(self.dir, "width.html")
        with open(probe, "w") as f:
            f.write(page)
        dom = chromium("--window-size=1280,1000", "--dump-dom", "file://" + probe,
                       user_dir=os.path.join(self.dir, "profile-width")).stdout
        match = re.search(r'<body[^>]*data-scroll="(\d+)"[^>]*data-client="(\d+)"', dom)
        self.assertIsNotNone(match, dom[:500])
        scroll, client = int(match.group(1)), int(match.group(2))
        self.assertGreater(client, 1200)  # the window really is 1280 px wide
        self.assertLessEqual(scroll, client)

    def test_screenshot_at_1280(self):
        shot = os.path.join(self.dir, "shot.png")
        done = chromium(f"--screenshot={shot}", "--window-size=1280,2000", "file://" + self.report,
                        user_dir=os.path.join(self.dir, "profile-shot"))
        self.assertTrue(os.path.exists(shot), done.stderr)
        with open(shot, "rb") as f:
            data = f.read()
        self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n")
        width, height = struct.unpack(">II", data[16:24])
        self.assertEqual((width, height), (1280, 2000))
        self.assertGreater(len(data), 30000)  # text, tables and charts, not a blank page

    def test_lueng_report_renders_the_same_html_offline(self):
        result = os.path.join(self.dir, "result.json")
        run = run_lueng(SCRIPT, ["-e", f"BASE_URL={self.server.base_url}", "-u", "1", "-i", "5",
                                 "--out", f"html={self.dir}/live.html"])
        with open(result, "w") as f:
            import json
            json.dump(run.result, f)
        offline = os.path.join(self.dir, "offline.html")
        done = lueng("report", result, "--html", offline)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(f"{self.dir}/live.html") as a, open(offline) as b:
            self.assertEqual(a.read(), b.read())


if __name__ == "__main__":
    unittest.main()
