"""`lueng validate` on the result file of a real run gives, for the same SLOs,
exactly what the run's own gate gave: every status, measured value, sample
count, the verdict and the exit status. The SLO set is rich on purpose: every
aggregation (p(99.9), med, p(0), p(100) too), windows over the per-second
series (their worst window too), sub-metrics with one and several
tags, counters' count and per-second rate, rates, custom and VU gauges, NO DATA
with and without allow_empty, warn tiers, priorities, and values whose shortest
decimal form has 17 digits (compared with ==, so a reader one ulp off fails)."""

import json
import os
import tempfile
import unittest

from support import TestServer, lueng, run_lueng

# Gauge values 1000*i/7 + 1/3 for these i need all 17 digits to read back exactly.
AWKWARD = [3, 11, 12, 19]


def awkward(i):
    return 1000 * i / 7 + 1 / 3


THRESHOLDS = """{
  http_req_duration = { "avg<10000", "min>=0", "max<10000", "med<10000", "p(90)<10000",
                        "p(99.9)<10000", "p(0)<10000", "p(100)<10000",
                        { "avg<10000", warn = "max<0.000001", window = "1s", priority = "P1" } },
  ["http_req_duration{name:hello}"] = { { "p(95)<10000", warn = "p(95)<0.000001", priority = "P1" } },
  ["http_req_duration{status:500}"] = "max<10000",
  ["http_req_duration{expected_response:true,scenario:browse}"] = "avg<10000",
  ["http_req_duration{flow:browse}"] = "p(99)<10000",
  http_req_failed = { { "rate<0.5", priority = "P2" }, { "rate<0.5", window = "1s", priority = "P2" } },
  ["http_req_failed{scenario:buy}"] = { { "rate<0.01", priority = "P1" } },
  http_reqs = { "count>0", "rate>0", { "count>0", window = "2s", priority = "P2" } },
  ["http_reqs{status:500}"] = { "count==1", { "rate<0.001", priority = "P2" } },
  iterations = { "count>0", "rate>0.1" },
  data_sent = "count>0",
  data_received = "rate>0",
  checks = { "rate>0.5", { "rate>0.5", window = "1s" } },
  ["checks{check:status is 200}"] = "rate==1",
  vus = "value>=0",
  vus_max = "value==3",
  iteration_duration = "p(95)<10000",
  ["iteration_duration{scenario:buy}"] = "avg<10000",
  group_duration = { { "p(95)<10000", priority = "P1" } },
  ["group_duration{group:::cart}"] = "max<10000",
  step_time = { "avg<1000", "p(99.9)<1000", "med<1000" },
  ["step_time{step:login}"] = { "avg<12", "max==20", "min==5" },
  ["step_time{step:pay,channel:web}"] = { "max==3.3", "p(50)==3.3" },
  ratio = { "avg<1e9", "p(50)>0", "max>0" },
  spent = { "count>0", { "rate>1e9", priority = "P2" } },
  orders = { "count==7", { "rate>1000", priority = "P2" } },
  ["orders{kind:gift}"] = "count==4",
  depth = "value>0",
  AWKWARD_GAUGES
  order_ok = "rate>0.5",
  ["order_ok{kind:gift}"] = "rate==0",
  never_time = { { "avg<1", allow_empty = true } },
  ["never_time{a:b}"] = { { "avg<1", priority = "P2" } },
  dropped_iterations = { { "count<1", allow_empty = true } },
}"""

SCRIPT = """
local http = require "lueng.http"
local lueng = require "lueng"
local metrics = require "lueng.metrics"
local step = metrics.Trend("step_time", true)
local ratio = metrics.Trend("ratio")
local spent = metrics.Counter("spent")
local orders = metrics.Counter("orders")
local depth = metrics.Gauge("depth")
local ok = metrics.Rate("order_ok")
metrics.Trend("never_time", true)
options = {
  scenarios = {
    browse = { executor = "constant-vus", vus = 2, duration = "2s", tags = { flow = "browse" } },
    buy = { executor = "per-vu-iterations", vus = 1, iterations = 7, exec = "buy" },
  },
  thresholds = THRESHOLDS,
}
function default()
  local i = lueng.vu.iteration
  local r = http.get(ENV.BASE_URL .. "/hello", { tags = { name = "hello" } })
  lueng.check(r, { ["status is 200"] = function(r) return r.status == 200 end })
  ratio:add(1 / 3 + i * 0.1)
  spent:add(1000 * (i + 1) / 7 + 1 / 3)
  depth:add(1000 * (i + 1) / 7 + 1 / 3, { lane = "browse" .. lueng.vu.id })
  step:add(7.7 / 3, { step = "search" })
  lueng.sleep(0.05)
end
function buy()
  local i = lueng.vu.iteration
  lueng.group("cart", function()
    http.get(ENV.BASE_URL .. "/status?code=" .. (i == 3 and 500 or 200))
  end)
  local gift = i % 2 == 0
  orders:add(1, { kind = gift and "gift" or "std" })
  ok:add(not gift, { kind = gift and "gift" or "std" })
  step:add(gift and 5 or 20, { step = "login" })
  step:add(3.3, { step = "pay", channel = "web" })
  for _, k in ipairs({ AWKWARD_LIST }) do depth:add(1000 * k / 7 + 1 / 3, { lane = tostring(k) }) end
  -- Series set later sort earlier: step z (i = 0) ... t (i = 6).
  depth:add(i, { lane = "q", step = string.char(122 - i) })
end
"""


def thresholds_table(table=THRESHOLDS):
    gauges = "".join(f'["depth{{lane:{i}}}"] = "value=={awkward(i)!r}",\n  ' for i in AWKWARD)
    return table.replace("AWKWARD_GAUGES\n  ", gauges)


def script(table):
    return SCRIPT.replace("THRESHOLDS", table).replace("AWKWARD_LIST", ", ".join(map(str, AWKWARD)))


def outcome(report):
    """Everything of an SLO report that the gate decides."""
    return {
        "verdict": report["verdict"], "exit_code": report["exit_code"], "met": report["met"],
        "total": report["total"], "compliance": report["compliance_percent"],
        "aborted_by": report["aborted_by"],
        "results": [(r["slo"], r["expression"], r["status"], r["value"], r["warn_value"],
                     r["samples"], r["deviation_percent"], r["window_seconds"],
                     json.dumps(r["worst_window"])) for r in report["results"]],
    }


class ValidateAgreesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = TestServer()
        cls.dir = tempfile.mkdtemp(prefix="lueng-agree-")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def run_rich(self, table, *args):
        """Runs the script with this thresholds table; the same table goes to an SLO file."""
        self.slo_path = os.path.join(self.dir, "slos.lua")
        with open(self.slo_path, "w") as f:
            f.write("return " + table)
        self.server.reset()
        run = run_lueng(script(table), ["-e", f"BASE_URL={self.server.base_url}", "--threads", "2",
                                        *args])
        self.assertIsNotNone(run.result, run.stderr)
        return run

    def validate(self, run, *args):
        done = lueng("validate", run.result_path, "--format", "json", *args)
        return done.returncode, outcome(json.loads(done.stdout))

    def assert_agree(self, run, *file_args):
        """Validates with the run's own SLOs, then with the SLO file (and file_args)."""
        live = outcome(run.result["slos"])
        self.assertEqual(live["exit_code"], run.code)
        for extra in ([], ["--slo", self.slo_path, *file_args]):
            with self.subTest(slos="--slo file" if extra else "the run's own"):
                code, offline = self.validate(run, *extra)
                self.assertEqual(code, run.code)
                if extra:  # an SLO file names its places thresholds[...], not options.thresholds[...]
                    offline["aborted_by"] = offline["aborted_by"].replace(
                        "thresholds[", "options.thresholds[", 1)
                self.assertEqual(offline, live)
        return live

    def test_a_rich_slo_set_gets_the_same_statuses_offline(self):
        run = self.run_rich(thresholds_table())
        self.assertEqual(run.code, 2, run.stderr)
        live = self.assert_agree(run)
        statuses = {(slo, expression): status for slo, expression, status, *_ in live["results"]}
        self.assertEqual(statuses[("http_req_duration{name:hello}", "p(95)<10000")], "WARNING")
        self.assertEqual(statuses[("http_req_failed{scenario:buy}", "rate<0.01")], "FAIL")
        self.assertEqual(statuses[("order_ok", "rate>0.5")], "CRITICAL")
        self.assertEqual(statuses[("never_time", "avg<1")], "NO DATA")
        self.assertEqual(statuses[("never_time{a:b}", "avg<1")], "NO DATA")
        self.assertEqual(statuses[("http_reqs{status:500}", "count==1")], "PASS")
        self.assertEqual(statuses[("step_time{step:pay,channel:web}", "p(50)==3.3")], "PASS")
        for i in AWKWARD:
            self.assertEqual(statuses[(f"depth{{lane:{i}}}", f"value=={awkward(i)!r}")], "PASS")
        self.assertEqual(statuses[("vus_max", "value==3")], "PASS")
        windowed = {(slo, expression): status
                    for slo, expression, status, *rest in live["results"] if rest[4]}
        self.assertEqual(windowed, {("http_req_duration", "avg<10000"): "WARNING",
                                    ("http_req_failed", "rate<0.5"): "PASS",
                                    ("http_reqs", "count>0"): "PASS",
                                    ("checks", "rate>0.5"): "PASS"})
        self.assertEqual(live["verdict"], "CRITICAL")

        # A gauge sub-metric the run did not track, merged from the series of the
        # file: the value set last, not the one of the last series in tag order.
        untracked = os.path.join(self.dir, "untracked.lua")
        with open(untracked, "w") as f:
            f.write('return { ["depth{lane:q}"] = "value==6", ["depth{lane:q,step:z}"] = "value==0" }')
        code, offline = self.validate(run, "--slo", untracked)
        self.assertEqual(code, 0, offline)
        self.assertEqual([(r[0], r[3]) for r in offline["results"]],
                         [("depth{lane:q,step:z}", 0), ("depth{lane:q}", 6)])

    def test_an_abort_carries_over_to_the_same_slos_in_a_file(self):
        table = thresholds_table(THRESHOLDS.replace(
            '["orders{kind:gift}"] = "count==4"',
            '["orders{kind:gift}"] = { { "count<2", abort_on_fail = true, priority = "P2" } }'))
        run = self.run_rich(table)
        self.assertEqual(run.code, 2, run.stderr)
        self.assertEqual(run.result["slos"]["verdict"], "ABORTED")
        self.assertEqual(run.result["slos"]["aborted_by"], 'options.thresholds["orders{kind:gift}"][1]')
        self.assert_agree(run)
        # An SLO file without that SLO judges the data as it is.
        other = os.path.join(self.dir, "other.lua")
        with open(other, "w") as f:
            f.write('return { orders = "count==7" }')
        code, offline = self.validate(run, "--slo", other)
        self.assertEqual((code, offline["verdict"], offline["aborted_by"]), (0, "PASSED", ""))

    def test_the_runs_own_slos_keep_its_strict(self):
        run = self.run_rich("""{
            http_req_duration = { { "p(95)<10000", warn = "p(95)<0.000001" } },
            http_reqs = "count>0",
        }""", "--strict")
        self.assertEqual(run.code, 1, run.stderr)
        self.assertTrue(run.result["slos"]["strict"])
        self.assertEqual(run.result["slos"]["verdict"], "FAILED")
        # The run's own SLOs are strict as the run was; an SLO file is strict with --strict.
        self.assert_agree(run, "--strict")
        code, offline = self.validate(run, "--slo", self.slo_path)
        self.assertEqual((code, offline["verdict"]), (0, "PASSED WITH WARNINGS"))


if __name__ == "__main__":
    unittest.main()
