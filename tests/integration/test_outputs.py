"""Outputs during a run against a real server on loopback: k6's JSON lines and
CSV (plain and gzip), Locust's stats/history/failures trio, bad targets, and
complete files after an interrupt and after abort_on_fail."""

import csv
import datetime
import gzip
import json
import os
import subprocess
import tempfile
import threading
import time
import unittest

from support import ServerCase, interrupt, run_lueng, start_lueng, wait_for_requests

# Locust as Debian packages it (python3-locust), with its own interpreter.
LOCUST = "/usr/bin/locust"

K6_CSV_HEADER = ["metric_name", "timestamp", "metric_value", "check", "error", "error_code",
                 "expected_response", "group", "method", "name", "proto", "scenario", "service",
                 "status", "subproto", "tls_version", "url", "extra_tags", "metadata"]
PERCENTILES = ["50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%", "100%"]
LOCUST_STATS_HEADER = ["Type", "Name", "Request Count", "Failure Count", "Median Response Time",
                       "Average Response Time", "Min Response Time", "Max Response Time",
                       "Average Content Size", "Requests/s", "Failures/s", *PERCENTILES]
LOCUST_HISTORY_HEADER = ["Timestamp", "User Count", "Type", "Name", "Requests/s", "Failures/s",
                         *PERCENTILES, "Total Request Count", "Total Failure Count",
                         "Total Median Response Time", "Total Average Response Time",
                         "Total Min Response Time", "Total Max Response Time",
                         "Total Average Content Size"]

TWO_ENDPOINTS = """
local http = require "lueng.http"
local lueng = require "lueng"
function default()
  local res = http.get(ENV.BASE_URL .. "/hello", { tags = { name = "hello", endpoint = "greet" } })
  lueng.check(res, { ["status is 200"] = function(r) return r.status == 200 end })
  http.get(ENV.BASE_URL .. "/status?code=503", { tags = { name = "broken" } })
  %s
end
"""


EXPECTED_RESPONSE = {"name": "http_req_duration{expected_response:true}",
                     "suffix": "expected_response:true", "tags": {"expected_response": "true"}}

THRESHOLDS = """
options = {
  thresholds = {
    http_req_duration = { "p(95)<3000", { "p(99)<5000", warn = "p(99)<4000" } },
    ["http_req_duration{ endpoint : greet }"] = { "p(95)<2000" },
    ["http_req_duration{expected_response:true}"] = { "p(95)<2500" },
    ["http_reqs{name:hello,method:GET}"] = { "count>0" },
    checks = { "rate>0.5" },
  },
}
"""


def read_json_lines(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        return [json.loads(line) for line in f]


def read_csv(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", newline="") as f:
        return list(csv.reader(f))


def points(lines, metric):
    return [l for l in lines if l["type"] == "Point" and l["metric"] == metric]


# A few requests, then a long wait: what is in the file before the end was
# flushed by the clock, not by a full buffer or the end of the run.
SLOW_TRICKLE = """
local http = require "lueng.http"
local lueng = require "lueng"
options = { vus = 1, duration = "20s" }
function default()
  http.get(ENV.BASE_URL .. "/hello")
  lueng.sleep(0.3)
end
"""


class OutputsTest(ServerCase):
    def setUp(self):
        super().setUp()
        self.dir = tempfile.mkdtemp(prefix="lueng-outputs-")

    def path(self, name):
        return os.path.join(self.dir, name)

    def script_file(self, text):
        path = self.path("script.lua")
        with open(path, "w") as f:
            f.write(text)
        return path

    def assert_k6_json(self, lines, requests, thresholds=None):
        # A Metric line once per metric, before that metric's first Point.
        seen = set()
        for line in lines:
            self.assertIn(line["type"], ("Metric", "Point"))
            if line["type"] == "Metric":
                self.assertNotIn(line["metric"], seen)
                seen.add(line["metric"])
                data = line["data"]
                self.assertEqual(data["name"], line["metric"])
                self.assertIn(data["type"], ("counter", "gauge", "rate", "trend"))
                self.assertIn(data["contains"], ("default", "time", "data"))
                self.assertEqual(data["thresholds"], (thresholds or {}).get(line["metric"], []))
                if line["metric"] == "http_req_duration":
                    # k6 always has this sub-metric (for its summary).
                    self.assertEqual(data["submetrics"], [EXPECTED_RESPONSE])
                else:
                    self.assertIsNone(data["submetrics"])
            else:
                self.assertIn(line["metric"], seen)
                data = line["data"]
                # Go's RFC3339Nano, as k6 writes it: no trailing zeros in the fraction.
                self.assertRegex(data["time"],
                                 r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{0,8}[1-9])?Z$")
                datetime.datetime.strptime(data["time"][:19], "%Y-%m-%dT%H:%M:%S")
                self.assertIsInstance(data["value"], (int, float))
                self.assertIsInstance(data["tags"], dict)
        self.assertEqual(len(points(lines, "http_reqs")), requests)
        self.assertEqual(len(points(lines, "http_req_duration")), requests)
        types = {l["metric"]: l["data"]["type"] for l in lines if l["type"] == "Metric"}
        self.assertEqual(types["http_reqs"], "counter")
        self.assertEqual(types["http_req_duration"], "trend")
        self.assertEqual(types["http_req_failed"], "rate")
        self.assertEqual(types["vus"], "gauge")

    def test_csv_options_as_k6(self):
        # timeFormat from k6's variable, the file from the argument.
        run = self.run_script(TWO_ENDPOINTS % "", "-u", "1", "-i", "2", "--out",
                              f"csv=fileName={self.path('t.csv')}",
                              env={"K6_CSV_TIME_FORMAT": "rfc3339_nano"})
        self.assertEqual(run.code, 0, run.stderr)
        rows = read_csv(self.path("t.csv"))
        self.assertEqual(rows[0][:3], ["metric_name", "timestamp", "metric_value"])
        self.assertRegex(rows[1][1], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{0,8}[1-9])?Z$")
        # `--out csv` alone writes k6's file.csv in the working folder; `-` is stdout.
        run = run_lueng(TWO_ENDPOINTS % "", ["-e", f"BASE_URL={self.server.base_url}", "-i", "1",
                                             "--out", "csv", "--out", "csv=fileName=-,timeFormat=unix_milli"],
                        cwd=self.dir)
        self.assertEqual(run.code, 0, run.stderr)
        self.assertEqual(read_csv(self.path("file.csv"))[0][0], "metric_name")
        milli = [line.split(",") for line in run.stdout.splitlines() if line.startswith("http_reqs,")]
        self.assertEqual(len(milli), 2)
        self.assertAlmostEqual(int(milli[0][1]) / 1000, time.time(), delta=120)
        # A wrong option stops the run before it starts, naming it.
        run = self.run_script(TWO_ENDPOINTS % "", "--out", "csv=timeFormat=iso8601")
        self.assertEqual(run.code, 104, run.stderr)
        self.assertIn("timeFormat: 'iso8601' is not a time format", run.stderr)

    def test_csv_columns_are_the_system_tags(self):
        # As k6: the system tags the run sets, but vu and iter, in name order.
        run = self.run_script(TWO_ENDPOINTS % "", "-i", "1", "--system-tags", "status,method,ip,vu",
                              "--out", f"csv={self.path('tags.csv')}")
        self.assertEqual(run.code, 0, run.stderr)
        rows = read_csv(self.path("tags.csv"))
        self.assertEqual(rows[0], ["metric_name", "timestamp", "metric_value", "ip", "method",
                                   "status", "extra_tags", "metadata"])
        hello = next(r for r in rows if r[0] == "http_reqs" and "name=hello" in r[6])
        self.assertEqual(hello[3:6], ["127.0.0.1", "GET", "200"])

    def test_csv_rows_reach_the_file_every_save_interval(self):
        path = self.path("live.csv")
        proc = start_lueng(["-e", f"BASE_URL={self.server.base_url}", "--quiet", "--out",
                            f"csv=fileName={path},saveInterval=200ms", self.script_file(SLOW_TRICKLE)])
        try:
            deadline = time.monotonic() + 20
            rows = 0
            while time.monotonic() < deadline and rows < 2 and proc.poll() is None:
                time.sleep(0.1)
                rows = len(read_csv(path)) - 1 if os.path.exists(path) else 0
            # Rows written while the run goes on, long before its end.
            self.assertIsNone(proc.poll(), "the run ended before any row was seen")
            self.assertGreaterEqual(rows, 2)
        finally:
            interrupt(proc)

    def test_json_lines_carry_every_request_and_check_with_tags(self):
        run = self.run_script(TWO_ENDPOINTS % "", "-u", "4", "-i", "150", "--threads", "2",
                              "--out", f"json={self.path('out.json')}")
        self.assertEqual(run.code, 0, run.stderr)
        self.assertEqual(len(self.server.requests), 300)
        self.assertEqual(run.metric("http_reqs")["count"], 300)
        lines = read_json_lines(self.path("out.json"))
        self.assert_k6_json(lines, 300)
        hello = [p for p in points(lines, "http_reqs") if p["data"]["tags"]["name"] == "hello"]
        self.assertEqual(len(hello), 150)
        tags = hello[0]["data"]["tags"]
        self.assertEqual(tags["method"], "GET")
        self.assertEqual(tags["status"], "200")
        self.assertEqual(tags["endpoint"], "greet")
        self.assertEqual(tags["scenario"], "default")
        failed = points(lines, "http_req_failed")
        self.assertEqual(sum(p["data"]["value"] for p in failed), 150)
        checks = points(lines, "checks")
        self.assertEqual(len(checks), 150)
        self.assertEqual(checks[0]["data"]["tags"]["check"], "status is 200")
        self.assertEqual(len(points(lines, "iterations")), 150)
        self.assertEqual(sum(p["data"]["value"] for p in points(lines, "data_received")),
                         run.metric("data_received")["count"])
        self.assertGreaterEqual(len(points(lines, "vus")), 1)
        self.assertEqual(run.result["dropped_samples"], 0)

    def test_json_metric_lines_list_the_thresholds_and_submetrics_as_k6_does(self):
        run = self.run_script(THRESHOLDS + TWO_ENDPOINTS % "", "-u", "1", "-i", "3",
                              "--out", f"json={self.path('out.json')}")
        self.assertEqual(run.code, 0, run.stderr)
        metrics = {l["metric"]: l["data"] for l in read_json_lines(self.path("out.json"))
                   if l["type"] == "Metric"}
        # A metric's own expressions, in their order; warn is lueng's, not a threshold.
        duration = metrics["http_req_duration"]
        self.assertEqual(duration["thresholds"], ["p(95)<3000", "p(99)<5000"])
        # Sub-metric thresholds are not the metric's: only their sub-metric is listed,
        # named as written; the built-in expected_response one is not repeated.
        self.assertEqual(sorted(duration["submetrics"], key=lambda s: s["name"]), [
            {"name": "http_req_duration{endpoint : greet}", "suffix": "endpoint : greet",
             "tags": {"endpoint": "greet"}},
            EXPECTED_RESPONSE])
        self.assertEqual(metrics["http_reqs"]["thresholds"], [])
        self.assertEqual(metrics["http_reqs"]["submetrics"], [
            {"name": "http_reqs{name:hello,method:GET}", "suffix": "name:hello,method:GET",
             "tags": {"method": "GET", "name": "hello"}}])
        self.assertEqual(metrics["checks"]["thresholds"], ["rate>0.5"])
        self.assertIsNone(metrics["checks"]["submetrics"])
        self.assertEqual(metrics["http_req_failed"]["thresholds"], [])
        self.assertIsNone(metrics["http_req_failed"]["submetrics"])

    def test_gzip_json_and_csv_decompress_and_agree_with_each_other(self):
        run = self.run_script(TWO_ENDPOINTS % "", "-u", "2", "-i", "60",
                              "--out", f"json={self.path('out.json.gz')}",
                              "--out", f"csv={self.path('out.csv.gz')}",
                              "--out", f"csv={self.path('out.csv')}")
        self.assertEqual(run.code, 0, run.stderr)
        with open(self.path("out.json.gz"), "rb") as f:
            self.assertEqual(f.read(2), b"\x1f\x8b")
        lines = read_json_lines(self.path("out.json.gz"))
        self.assert_k6_json(lines, 120)
        rows = read_csv(self.path("out.csv.gz"))
        self.assertEqual(rows[0], K6_CSV_HEADER)
        self.assertEqual(rows, read_csv(self.path("out.csv")))
        body = rows[1:]
        self.assertTrue(all(len(r) == len(K6_CSV_HEADER) for r in body))
        # One CSV row per JSON point, metric by metric.
        self.assertEqual(len(body), sum(1 for l in lines if l["type"] == "Point"))
        reqs = [r for r in body if r[0] == "http_reqs"]
        self.assertEqual(len(reqs), 120)
        column = {name: i for i, name in enumerate(K6_CSV_HEADER)}
        broken = [r for r in reqs if r[column["name"]] == "broken"]
        self.assertEqual(len(broken), 60)
        self.assertEqual(broken[0][column["status"]], "503")
        self.assertEqual(broken[0][column["expected_response"]], "false")
        self.assertEqual(broken[0][column["method"]], "GET")
        self.assertEqual(broken[0][column["scenario"]], "default")
        hello = next(r for r in reqs if r[column["name"]] == "hello")
        self.assertEqual(hello[column["extra_tags"]], "endpoint=greet")
        self.assertEqual(float(hello[column["metric_value"]]), 1.0)
        self.assertAlmostEqual(int(hello[column["timestamp"]]), time.time(), delta=120)

    def test_locust_trio_has_a_row_per_endpoint_history_per_second_and_the_failures(self):
        prefix = self.path("locust")
        run = self.run_script(TWO_ENDPOINTS % 'lueng.sleep(0.05)', "-u", "2", "-d", "3s",
                              "--csv", prefix)
        self.assertEqual(run.code, 0, run.stderr)
        requests = int(run.metric("http_reqs")["count"])
        stats = read_csv(prefix + "_stats.csv")
        self.assertEqual(stats[0], LOCUST_STATS_HEADER)
        self.assertEqual([(r[0], r[1]) for r in stats[1:]],
                         [("GET", "broken"), ("GET", "hello"), ("", "Aggregated")])
        by_name = {r[1]: dict(zip(LOCUST_STATS_HEADER, r)) for r in stats[1:]}
        self.assertEqual(int(by_name["Aggregated"]["Request Count"]), requests)
        self.assertEqual(int(by_name["hello"]["Request Count"]), requests // 2)
        self.assertEqual(int(by_name["hello"]["Failure Count"]), 0)
        self.assertEqual(int(by_name["broken"]["Failure Count"]), requests // 2)
        self.assertEqual(int(by_name["Aggregated"]["Failure Count"]), requests // 2)
        hello = by_name["hello"]
        self.assertLessEqual(float(hello["Min Response Time"]), float(hello["50%"]))
        self.assertLessEqual(float(hello["50%"]), float(hello["99%"]))
        self.assertLessEqual(float(hello["99%"]), float(hello["Max Response Time"]) * 1.01)
        self.assertGreater(float(hello["Average Content Size"]), len(b"hello world"))
        self.assertAlmostEqual(float(by_name["Aggregated"]["Requests/s"]),
                               requests / run.result["duration_seconds"], delta=0.01)

        failures = read_csv(prefix + "_failures.csv")
        self.assertEqual(failures[0], ["Method", "Name", "Error", "Occurrences"])
        self.assertEqual(failures[1:], [["GET", "broken", "HTTP 503", str(requests // 2)]])

        history = read_csv(prefix + "_stats_history.csv")
        self.assertEqual(history[0], LOCUST_HISTORY_HEADER)
        rows = [dict(zip(LOCUST_HISTORY_HEADER, r)) for r in history[1:]]
        self.assertGreaterEqual(len(rows), 3)
        self.assertLessEqual(len(rows), 5)
        self.assertTrue(all(r["Name"] == "Aggregated" for r in rows))
        self.assertEqual(sum(int(r["Requests/s"]) for r in rows), requests)
        self.assertEqual(int(rows[-1]["Total Request Count"]), requests)
        self.assertEqual(int(rows[-1]["Total Failure Count"]), requests // 2)
        totals = [int(r["Total Request Count"]) for r in rows]
        self.assertEqual(totals, sorted(totals))
        stamps = [int(r["Timestamp"]) for r in rows]
        self.assertEqual(stamps, sorted(stamps))
        self.assertEqual(int(rows[0]["User Count"]), 2)

    def test_locust_trio_has_the_columns_locust_itself_writes(self):
        # Debian's python3-locust (tools/install-deps.sh) runs for 5 s against the
        # same server and writes its own trio: lueng's headers must be the same,
        # column for column, and its rows laid out alike (method in Type, the
        # Aggregated row with an empty Type), so tools that read Locust's CSVs
        # read lueng's.
        locustfile = self.path("locustfile.py")
        with open(locustfile, "w") as f:
            f.write("from locust import HttpUser, constant, task\n"
                    "class Visitor(HttpUser):\n"
                    "    wait_time = constant(0.05)\n"
                    "    @task\n"
                    "    def hello(self):\n"
                    "        self.client.get('/hello', name='hello')\n")
        real = self.path("real")
        done = subprocess.run(
            [LOCUST, "-f", locustfile, "--headless", "-u", "2", "-r", "2", "-t", "5s",
             "--host", self.server.base_url, "--csv", real, "--only-summary", "--loglevel", "WARNING"],
            capture_output=True, text=True, timeout=60, cwd=self.dir)
        self.assertEqual(done.returncode, 0, done.stderr)
        ours = self.path("ours")
        run = self.run_script(TWO_ENDPOINTS % 'lueng.sleep(0.05)', "-u", "2", "-d", "2s",
                              "--csv", ours)
        self.assertEqual(run.code, 0, run.stderr)
        for suffix in ("_stats.csv", "_stats_history.csv", "_failures.csv"):
            with self.subTest(suffix):
                theirs, mine = read_csv(real + suffix), read_csv(ours + suffix)
                self.assertEqual(mine[0], theirs[0])
                for rows in (theirs, mine):
                    self.assertTrue(all(len(r) == len(rows[0]) for r in rows), rows)
        theirs, mine = read_csv(real + "_stats.csv"), read_csv(ours + "_stats.csv")
        self.assertEqual(theirs[-1][:2], ["", "Aggregated"])
        self.assertEqual(mine[-1][:2], theirs[-1][:2])
        self.assertEqual(theirs[1][:2], ["GET", "hello"], theirs)
        self.assertIn(theirs[1][:2], [r[:2] for r in mine[1:]])
        theirs, mine = read_csv(real + "_stats_history.csv"), read_csv(ours + "_stats_history.csv")
        self.assertEqual(mine[1][2:4], theirs[-1][2:4])  # Type "", Name "Aggregated"

    def test_an_interrupted_run_leaves_complete_parseable_files(self):
        script = os.path.join(self.dir, "script.lua")
        with open(script, "w") as f:
            f.write(TWO_ENDPOINTS % 'lueng.sleep(0.05)')
        prefix = self.path("locust")
        process = start_lueng(
            ["--quiet", "-u", "3", "-d", "60s", "-e",
             f"BASE_URL={self.server.base_url}", "--summary-export", self.path("result.json"),
             "--out", f"json={self.path('out.json.gz')}", "--out", f"csv={self.path('out.csv')}",
             "--csv", prefix, script])
        wait_for_requests(self.server, 100)
        time.sleep(1.2)  # past the first second, so the history has a row
        stdout, stderr = interrupt(process)
        self.assertEqual(process.returncode, 105, stderr)
        with open(self.path("result.json")) as f:
            result = json.load(f)
        self.assertTrue(result["interrupted"])
        requests = int(result["metrics"]["http_reqs"]["values"]["count"])
        self.assertGreater(requests, 0)
        # The gzip stream is complete (gzip raises on a truncated one), every
        # line parses, and no request is missing.
        lines = read_json_lines(self.path("out.json.gz"))
        self.assert_k6_json(lines, requests)
        rows = read_csv(self.path("out.csv"))
        self.assertEqual(rows[0], K6_CSV_HEADER)
        self.assertEqual(sum(1 for r in rows[1:] if r[0] == "http_reqs"), requests)
        stats = read_csv(prefix + "_stats.csv")
        self.assertEqual(stats[-1][1], "Aggregated")
        self.assertEqual(int(stats[-1][2]), requests)
        history = read_csv(prefix + "_stats_history.csv")
        self.assertGreaterEqual(len(history), 2)
        self.assertEqual(int(history[-1][LOCUST_HISTORY_HEADER.index("Total Request Count")]),
                         requests)
        self.assertEqual(len(read_csv(prefix + "_failures.csv")), 2)

    def test_outputs_are_complete_when_abort_on_fail_stops_the_run(self):
        script = """
            local http = require "lueng.http"
            options = { vus = 2, duration = "60s",
                        thresholds = { http_req_failed = { { "rate<0.01", abort_on_fail = true } } } }
            function default()
              http.get(ENV.BASE_URL .. "/status?code=500")
              require("lueng").sleep(0.02)
            end
        """
        run = self.run_script(script, "--out", f"json={self.path('out.json.gz')}",
                              "--csv", self.path("locust"), timeout=90)
        self.assertEqual(run.code, 2, run.stderr)
        self.assertLess(run.result["duration_seconds"], 30)
        requests = int(run.metric("http_reqs")["count"])
        self.assert_k6_json(read_json_lines(self.path("out.json.gz")), requests,
                            {"http_req_failed": [{"threshold": "rate<0.01", "abortOnFail": True,
                                                 "delayAbortEval": None}]})
        failures = read_csv(self.path("locust") + "_failures.csv")
        self.assertEqual(int(failures[1][3]), requests)

    def test_a_writer_that_cannot_write_drops_and_counts_instead_of_blocking_the_vus(self):
        # The JSON file is a pipe nobody reads until all 8000 iterations are done:
        # the writer thread blocks on it, the worker's ring (65,536 samples) fills,
        # and the rest of the 104,000 samples must be dropped and counted, not
        # waited for.
        fifo = self.path("stalled.json")
        os.mkfifo(fifo)
        received = []

        def read_when_the_load_is_done():
            with open(fifo, "rb") as f:
                deadline = time.time() + 120
                while len(self.server.requests) < 8000 and time.time() < deadline:
                    time.sleep(0.05)
                received.append(f.read())

        reader = threading.Thread(target=read_when_the_load_is_done, daemon=True)
        reader.start()
        run = self.run_script("""
            local http = require "lueng.http"
            function default() http.get(ENV.BASE_URL .. "/hello") end
        """, "-u", "8", "-i", "8000", "--threads", "1", "--out", f"json={fifo}", timeout=150)
        reader.join(30)
        self.assertEqual(run.code, 0, run.stderr)
        self.assertEqual(run.metric("http_reqs")["count"], 8000)  # the metrics miss nothing
        dropped = run.result["dropped_samples"]
        self.assertGreater(dropped, 104000 - 65536 - 20000)
        self.assertIn(f"WARN {dropped} samples were dropped from the streaming outputs",
                      run.stdout)
        lines = [json.loads(line) for line in received[0].decode().splitlines()]
        # Dropping loses whole samples: every line is complete, and what was
        # written plus what was dropped is every sample (11 per request, 2 per
        # iteration; the VU gauges travel on a channel of their own).
        written = sum(1 for l in lines if l["type"] == "Point" and
                      l["metric"] not in ("vus", "vus_max"))
        self.assertEqual(written + dropped, 8000 * 13)

    def test_bad_outputs_fail_before_the_test_with_exit_104(self):
        script = 'function default() end'
        for args, message in [
            (["--out", "influxdb=http://x"], "unknown kind 'influxdb' (kinds: json, csv, locust"),
            (["--out", "json"], "--out expects KIND=FILE, got 'json'"),
            (["--out", f"json={self.path('missing/dir/out.json')}"], "cannot create"),
            (["--csv", self.path("missing/dir/prefix")], "cannot write: no folder"),
        ]:
            with self.subTest(args=args):
                run = self.run_script(script, "-i", "1", *args)
                self.assertEqual(run.code, 104, run.stderr)
                self.assertIn(message, run.stderr)
                self.assertIsNone(run.result)


if __name__ == "__main__":
    unittest.main()
