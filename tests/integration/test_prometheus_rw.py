"""--out prometheus-rw against a real Prometheus, the shipped Grafana dashboard's
queries against what it stored, and the alert rules under promtool
(docs/observability.md)."""

import json
import os
import re
import socket
import subprocess
import tempfile
import time
import unittest

from hotel_support import run_scenario, start_mock
from prometheus_support import (DASHBOARD, MISSING, PROMETHEUS, PROMTOOL, RULES, RULES_TEST,
                                Prometheus, RecordingEndpoint)
from support import free_port, run_lueng
from test_tls import make_certificates

# Series the issue names, and k6's prometheus-rw names for them.
REQUIRED = ["k6_http_reqs_total", "k6_iterations_total", "k6_data_sent_total", "k6_vus",
            "k6_http_req_failed_rate", "k6_checks_rate", "k6_http_req_duration_p99",
            "k6_http_req_duration_p95"]

UNDELIVERED = re.compile(r"--out prometheus-rw: (\d+) of (\d+) samples were not delivered to (\S+)")


def labels_of(tags, testid):
    """The labels Prometheus holds for a tag set of the result file."""
    labels = {name: value for name, value in tags.items() if value != ""}
    labels["testid"] = testid
    return labels


def by_labels(points):
    return {frozenset(labels.items()): value for labels, value in points}


@unittest.skipUnless(PROMETHEUS, MISSING)
class RemoteWriteToPrometheusTest(unittest.TestCase):
    """One smoke run of the hotel scenario pushes to one Prometheus; every test
    reads what it stored."""

    @classmethod
    def setUpClass(cls):
        cls.prometheus = Prometheus(rule_files=[RULES])
        cls.mock = start_mock()
        cls.testid = f"rw-{os.getpid()}-{int(time.time())}"
        cls.outcome = run_scenario(
            cls.mock, "smoke", 0.05,
            "--out", f"prometheus-rw={cls.prometheus.write_url},pushInterval=1s,"
            f"labels.testid={cls.testid}", "--threads", "2")

    @classmethod
    def tearDownClass(cls):
        cls.mock.stop()
        cls.prometheus.stop()

    def setUp(self):
        self.assertEqual(self.outcome.code, 0, self.outcome.stderr)
        self.assertNotIn("prometheus-rw", self.outcome.stderr)  # nothing undelivered

    def query(self, expr):
        return self.prometheus.query(expr.replace("$testid", self.testid))

    def result_series(self, metric):
        return self.outcome.result["metrics"][metric]["series"]

    def test_the_k6_series_are_stored(self):
        names = set(self.prometheus.api("label/__name__/values"))
        for name in REQUIRED:
            self.assertIn(name, names)
        # Every trend statistic of the default set, for the built-in trends too.
        for stat in ["avg", "min", "med", "max", "p90", "p95", "p99"]:
            self.assertIn(f"k6_iteration_duration_{stat}", names)

    def test_counts_equal_the_result_file(self):
        for metric, name in [("http_reqs", "k6_http_reqs_total"),
                             ("iterations", "k6_iterations_total"),
                             ("data_sent", "k6_data_sent_total")]:
            total = self.outcome.result["metrics"][metric]["values"]["count"]
            [(_, pushed)] = self.query(f'sum({name}{{testid="$testid"}})')
            self.assertEqual(pushed, total, metric)
        # Tag set by tag set: the same series, the same numbers.
        stored = by_labels(self.query('k6_http_reqs_total{testid="$testid"}'))
        expected = {frozenset(labels_of(s["tags"], self.testid).items()): s["values"]["count"]
                    for s in self.result_series("http_reqs")}
        self.assertEqual(stored, expected)

    def test_checks_and_rates_equal_the_result_file(self):
        stored = by_labels(self.query('k6_checks_rate{testid="$testid"}'))
        expected = {}
        for s in self.result_series("checks"):
            values = s["values"]
            expected[frozenset(labels_of(s["tags"], self.testid).items())] = (
                values["passes"] / (values["passes"] + values["fails"]))
        self.assertEqual(stored, expected)
        self.assertGreater(len(stored), 5)
        failed = by_labels(self.query('k6_http_req_failed_rate{testid="$testid"}'))
        self.assertEqual(failed, {frozenset(labels_of(s["tags"], self.testid).items()):
                                  s["values"]["rate"] for s in self.result_series("http_req_failed")})

    def test_trend_stats_are_the_result_files_in_seconds(self):
        for stat, key in [("p95", "p(95)"), ("p99", "p(99)"), ("med", "med"), ("max", "max")]:
            stored = by_labels(self.query(f'k6_http_req_duration_{stat}{{testid="$testid"}}'))
            series = self.result_series("http_req_duration")
            self.assertEqual(len(stored), len(series))
            for s in series:
                key_labels = frozenset(labels_of(s["tags"], self.testid).items())
                self.assertAlmostEqual(stored[key_labels], s["values"][key] / 1000, delta=1e-12)

    def test_pushed_while_the_test_ran(self):
        # One point per push: during the run (every second of ~3 s) and at the end.
        [(_, points)] = self.query('count_over_time(k6_vus{testid="$testid"}[5m])')
        self.assertGreaterEqual(points, 3)
        # The smoke scenario holds one VU; a push samples the gauge's last value.
        [(_, vus)] = self.query('max_over_time(k6_vus{testid="$testid"}[5m])')
        self.assertEqual(vus, self.outcome.result["metrics"]["vus"]["values"]["max"])

    def test_prometheus_loads_the_alert_rules(self):
        # Evaluated every second (Prometheus' configuration here): each rule ran
        # on the pushed series without an error.
        deadline = time.monotonic() + 10
        while True:
            rules = [rule for group in self.prometheus.api("rules")["groups"]
                     for rule in group["rules"]]
            if all(rule["health"] != "unknown" for rule in rules) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertEqual({rule["name"] for rule in rules},
                         {"LoadTestLatencyP95High", "LoadTestErrorRateHigh",
                          "LoadTestRequestRateDropped"})
        for rule in rules:
            self.assertEqual(rule["health"], "ok", rule)

    def test_every_dashboard_query_returns_data(self):
        with open(DASHBOARD) as f:
            dashboard = json.load(f)
        targets = [(panel["title"], target["expr"])
                   for panel in dashboard["panels"] if panel["type"] != "row"
                   for target in panel["targets"]]
        self.assertGreaterEqual(len(targets), 15)
        for title, expr in targets:
            expr = expr.replace("$__rate_interval", "1m").replace("$testid", self.testid)
            self.assertNotIn("$", expr, title)
            with self.subTest(panel=title, expr=expr):
                points = self.prometheus.query(expr)
                self.assertTrue(points, "no data")
                for labels, value in points:
                    self.assertEqual(value, value, f"NaN for {labels}")  # a real number


class DashboardStructureTest(unittest.TestCase):
    """What Grafana needs to import tools/grafana/lueng-dashboard.json as it is."""

    def setUp(self):
        with open(DASHBOARD) as f:
            self.dashboard = json.load(f)

    def test_uid_datasource_variable_and_panels(self):
        d = self.dashboard
        self.assertEqual(d["uid"], "lueng-load-test")
        self.assertIsInstance(d["schemaVersion"], int)
        variables = {v["name"]: v for v in d["templating"]["list"]}
        self.assertEqual(variables["datasource"]["type"], "datasource")
        self.assertEqual(variables["datasource"]["query"], "prometheus")
        self.assertEqual(variables["testid"]["datasource"]["uid"], "${datasource}")
        ids = [panel["id"] for panel in d["panels"]]
        self.assertEqual(len(ids), len(set(ids)))
        titles = {panel["title"] for panel in d["panels"]}
        for row in ["Overview", "Per endpoint", "SLO status"]:
            self.assertIn(row, titles)
        for panel in d["panels"]:
            if panel["type"] == "row":
                continue
            with self.subTest(panel=panel["title"]):
                self.assertEqual(panel["datasource"]["uid"], "${datasource}")
                self.assertTrue(panel["targets"])
                self.assertTrue(panel["description"])
                for target in panel["targets"]:
                    self.assertTrue(target["expr"].strip())
                    self.assertEqual(target["datasource"]["uid"], "${datasource}")
                    self.assertIn('testid=~"$testid"', target["expr"])
                grid = panel["gridPos"]
                self.assertLessEqual(grid["x"] + grid["w"], 24)

    def test_the_overview_has_what_a_load_test_is_watched_by(self):
        exprs = " ".join(t["expr"] for p in self.dashboard["panels"] for t in p.get("targets", []))
        for series in ["k6_http_reqs_total", "k6_vus", "k6_http_req_duration_med",
                       "k6_http_req_duration_p95", "k6_http_req_duration_p99",
                       "k6_http_req_failed_rate", "k6_checks_rate", "sum by (name)"]:
            self.assertIn(series, exprs)


@unittest.skipUnless(PROMTOOL, MISSING)
class AlertRulesTest(unittest.TestCase):
    def promtool(self, *args):
        completed = subprocess.run([PROMTOOL, *args], capture_output=True, text=True, timeout=60,
                                   cwd=os.path.dirname(RULES))
        self.assertEqual(completed.returncode, 0, completed.stdout + completed.stderr)
        return completed.stdout

    def test_rules_are_valid(self):
        self.assertIn("SUCCESS: 3 rules found", self.promtool("check", "rules", RULES))

    def test_rules_fire_when_and_only_when_they_should(self):
        self.assertIn("SUCCESS", self.promtool("test", "rules", RULES_TEST))


SCRIPT = """
local lueng = require "lueng"
options = { vus = 2, duration = "%s" }
function default() lueng.check(1, { ["one"] = function(v) return v == 1 end }); lueng.sleep(0.05) end
"""


class DeadEndpointTest(unittest.TestCase):
    """A Prometheus that is down never fails or holds up the run: what could not
    be delivered is counted and said."""

    def run_against(self, url, duration="1500ms", interval="500ms"):
        started = time.monotonic()
        run = run_lueng(SCRIPT % duration,
                        args=["--out", f"prometheus-rw={url},pushInterval={interval}"])
        return run, time.monotonic() - started

    def assert_undelivered(self, run, url):
        stderr = run.stderr
        self.assertEqual(run.code, 0, stderr)
        self.assertIn(f"push to {url} failed", stderr)
        self.assertIn("retrying with back-off, the test goes on", stderr)
        match = UNDELIVERED.search(stderr)
        self.assertIsNotNone(match, stderr)
        self.assertEqual(match.group(1), match.group(2))  # nothing got through
        self.assertGreater(int(match.group(1)), 0)
        self.assertEqual(match.group(3), url)
        self.assertGreater(run.result["metrics"]["iterations"]["values"]["count"], 0)

    def test_connection_refused(self):
        url = f"http://127.0.0.1:{free_port()}/api/v1/write"
        run, took = self.run_against(url)
        self.assert_undelivered(run, url)
        self.assertIn("connection refused", run.stderr.lower())
        self.assertLess(took, 10)

    def test_an_endpoint_that_never_answers_costs_bounded_time(self):
        # Accepts connections (the kernel's backlog) and reads nothing.
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen(16)
            url = f"http://127.0.0.1:{listener.getsockname()[1]}/api/v1/write"
            run, took = self.run_against(url, duration="500ms", interval="1m")
        self.assert_undelivered(run, url)
        self.assertIn("request timeout", run.stderr)
        # The run, then the last push's attempts within their 10 s budget.
        self.assertLess(took, 20)


class RequestsTest(unittest.TestCase):
    """What each push sends, and how failures are retried, seen by an endpoint of
    the test's own."""

    def push(self, statuses=(), args="", env=None, duration="1200ms", interval="400ms"):
        endpoint = RecordingEndpoint(statuses)
        self.addCleanup(endpoint.stop)
        run = run_lueng(SCRIPT % duration,
                        args=["--out", f"prometheus-rw={endpoint.url},pushInterval={interval}{args}"],
                        env=env)
        self.assertEqual(run.code, 0, run.stderr)
        return endpoint, run

    def test_headers_and_authentication(self):
        endpoint, run = self.push(args=",headers.X-Scope-OrgID=team-a",
                                  env={"K6_PROMETHEUS_RW_BEARER_TOKEN": "t0ken"})
        self.assertGreaterEqual(len(endpoint.requests), 3)  # during the run and at the end
        for headers, size in endpoint.requests:
            self.assertEqual(headers["Content-Encoding"], "snappy")
            self.assertEqual(headers["Content-Type"], "application/x-protobuf")
            self.assertEqual(headers["X-Prometheus-Remote-Write-Version"], "0.1.0")
            self.assertEqual(headers["Authorization"], "Bearer t0ken")
            self.assertEqual(headers["X-Scope-OrgID"], "team-a")
            self.assertGreater(size, 0)
        self.assertNotIn("prometheus-rw", run.stderr)

        endpoint, _ = self.push(args=",username=alice,password=s3cret", duration="500ms")
        self.assertEqual(endpoint.requests[-1][0]["Authorization"], "Basic YWxpY2U6czNjcmV0")

    def test_a_failing_push_is_retried_and_then_delivered(self):
        # The only push, the last one after the run, fails twice (5xx, 429); its
        # third attempt gets through.
        endpoint, run = self.push(statuses=[503, 429], duration="500ms", interval="1m")
        self.assertIn("status 503: refused for the test", run.stderr)
        self.assertIn("retrying with back-off", run.stderr)
        self.assertIsNone(UNDELIVERED.search(run.stderr), run.stderr)
        self.assertEqual(len(endpoint.requests), 3)

    def test_stale_markers_follow_the_last_push(self):
        endpoint, _ = self.push(duration="300ms", interval="1m")
        self.assertEqual(len(endpoint.requests), 1)  # the last push alone
        endpoint, _ = self.push(args=",staleMarkers=true", duration="300ms", interval="1m")
        self.assertEqual(len(endpoint.requests), 2)  # then every series marked stale

    def test_a_refused_push_is_not_retried(self):
        # 400: Prometheus refuses the data itself; sending it again cannot help.
        # The final push does the same: nothing is delivered.
        endpoint, run = self.push(statuses=[400] * 50, duration="500ms")
        match = UNDELIVERED.search(run.stderr)
        self.assertIsNotNone(match, run.stderr)
        self.assertEqual(match.group(1), match.group(2))
        self.assertLessEqual(len(endpoint.requests), 3)  # one per push: one or two, and the last


@unittest.skipUnless(PROMETHEUS, MISSING)
class TlsTest(unittest.TestCase):
    """https to a Prometheus that requires a client certificate: the CA file and
    the client certificate options, as for a hosted Prometheus or Mimir."""

    @classmethod
    def setUpClass(cls):
        cls.certs = tempfile.mkdtemp(prefix="lueng-rw-tls-")
        make_certificates(cls.certs)
        cls.prometheus = Prometheus(tls=cls.certs)

    @classmethod
    def tearDownClass(cls):
        cls.prometheus.stop()

    def test_ca_file_and_client_certificate(self):
        url = self.prometheus.write_url.replace("https://127.0.0.1", "https://localhost")
        run = run_lueng(SCRIPT % "1s", args=[
            "--out", f"prometheus-rw={url},pushInterval=500ms,labels.testid=tls",
            "--threads", "1"], env={
                "LUENG_PROMETHEUS_RW_CA_CERTIFICATE": f"{self.certs}/ca.pem",
                "K6_PROMETHEUS_RW_CLIENT_CERTIFICATE": f"{self.certs}/client.pem",
                "K6_PROMETHEUS_RW_CLIENT_CERTIFICATE_KEY": f"{self.certs}/client-key.pem"})
        self.assertEqual(run.code, 0, run.stderr)
        self.assertNotIn("prometheus-rw", run.stderr)
        [(_, iterations)] = self.prometheus.query('k6_iterations_total{testid="tls"}')
        self.assertEqual(iterations, run.result["metrics"]["iterations"]["values"]["count"])

    def test_without_the_client_certificate_nothing_is_delivered(self):
        run = run_lueng(SCRIPT % "500ms", args=[
            "--out", f"prometheus-rw={self.prometheus.write_url},caCert={self.certs}/ca.pem"])
        self.assertEqual(run.code, 0, run.stderr)
        match = UNDELIVERED.search(run.stderr)
        self.assertIsNotNone(match, run.stderr)
        self.assertEqual(match.group(1), match.group(2))


NATIVE_SCRIPT = """
local http = require "lueng.http"
local lueng = require "lueng"
local metrics = require "lueng.metrics"
local size = metrics.Trend("basket_size")
options = { vus = 2, duration = "2s" }
function default()
  http.get(ENV.BASE_URL .. "/health/live")
  size:add(1 + lueng.vu.iteration % 9)
  lueng.sleep(0.01)
end
"""


@unittest.skipUnless(PROMETHEUS, MISSING)
class NativeHistogramTest(unittest.TestCase):
    """trendAsNativeHistogram to a Prometheus with its native-histograms feature:
    each trend is one histogram series under k6's name, and PromQL's histogram
    functions give the run's own counts, sums and (within a bucket) p(95)."""

    @classmethod
    def setUpClass(cls):
        cls.prometheus = Prometheus(features=["native-histograms"])
        mock = start_mock()
        try:
            cls.run_ = run_lueng(NATIVE_SCRIPT, args=[
                "-e", f"BASE_URL=http://127.0.0.1:{mock.port}", "--out",
                f"prometheus-rw={cls.prometheus.write_url},pushInterval=500ms,"
                "trendAsNativeHistogram=true,labels.testid=native"])
        finally:
            mock.stop()

    @classmethod
    def tearDownClass(cls):
        cls.prometheus.stop()

    def setUp(self):
        self.assertEqual(self.run_.code, 0, self.run_.stderr)
        self.assertNotIn("prometheus-rw", self.run_.stderr)  # everything delivered

    def one(self, expr):
        [(_, value)] = self.prometheus.query(expr)
        return value

    def test_trends_are_histograms_under_k6s_names(self):
        names = set(self.prometheus.api("label/__name__/values"))
        self.assertIn("k6_http_req_duration_seconds", names)
        self.assertIn("k6_basket_size", names)
        self.assertIn("k6_http_reqs_total", names)  # counters as before
        self.assertNotIn("k6_http_req_duration_p95", names)

    def test_count_and_sum_are_the_runs(self):
        duration = self.run_.metric("http_req_duration")
        selector = 'k6_http_req_duration_seconds{testid="native"}'
        self.assertEqual(self.one(f"histogram_count(sum({selector}))"), duration["count"])
        self.assertAlmostEqual(self.one(f"histogram_sum(sum({selector}))"),
                               duration["avg"] * duration["count"] / 1000, delta=1e-6)
        basket = self.run_.metric("basket_size")
        self.assertEqual(self.one('histogram_count(sum(k6_basket_size{testid="native"}))'),
                         basket["count"])
        self.assertAlmostEqual(self.one('histogram_sum(sum(k6_basket_size{testid="native"}))'),
                               basket["avg"] * basket["count"], delta=1e-6)

    def test_quantiles_within_a_bucket_of_the_runs(self):
        # A schema-3 bucket spans 9%; Prometheus interpolates within it.
        for q, key in [(0.5, "med"), (0.95, "p(95)")]:
            stored = self.one(f'histogram_quantile({q}, sum(k6_basket_size{{testid="native"}}))')
            expected = self.run_.metric("basket_size")[key]
            self.assertLessEqual(abs(stored - expected), expected * 0.1, key)
        p95 = self.one('histogram_quantile(0.95, sum(k6_http_req_duration_seconds'
                       '{testid="native"}))')
        self.assertAlmostEqual(p95, self.run_.metric("http_req_duration")["p(95)"] / 1000,
                               delta=self.run_.metric("http_req_duration")["p(95)"] / 1000 * 0.1)


class OptionsTest(unittest.TestCase):
    def test_a_wrong_option_stops_before_the_test(self):
        for argument, message in [
                ("prometheus-rw=colour=blue", "colour is not an option of prometheus-rw"),
                ("prometheus-rw=pushInterval=5", "pushInterval"),
                ("prometheus-rw=clientCertificate=/nonexistent.pem,clientCertificateKey=/no.pem",
                 "clientCertificate")]:
            with self.subTest(argument=argument):
                run = run_lueng(SCRIPT % "1s", args=["--out", argument])
                self.assertEqual(run.code, 104, run.stderr)
                self.assertIn(message, run.stderr)
                self.assertIn("--out prometheus-rw", run.stderr)


if __name__ == "__main__":
    unittest.main()
