"""lib/lua/hotel and lib/lua/lueng through the real lueng binary: data generator
properties, the weighted mix, time scaling, signing against hotel-mock (a wrong
secret fails the webhook checks), and the load script's SLOs against a failing
target."""

import glob
import hashlib
import hmac
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from hotel_support import (MP_SECRET, VERIFY_TOKEN, WHATSAPP_SECRET, MockCase, checks_by_name,
                           run_scenario, series_by_tag)
from support import (LUENG, SOURCE_DIR, ServerCase, TestServer, check_sanitizers, raw_response,
                     run_lueng)

E164 = re.compile(r"^\+[1-9]\d{7,14}$")
COUNTRY_PREFIX = {"AR": "+54911", "BR": "+55119", "MX": "+5255", "CL": "+569", "ES": "+346",
                  "US": "+1"}


def lines_with(run, marker):
    return [json.loads(line[len(marker):]) for line in run.stderr.splitlines()
            if line.startswith(marker)]


class DataTest(unittest.TestCase):
    def test_generator_properties(self):
        script = r'''
local data = require "hotel.data"
local json = require "lueng.json"
options = { iterations = 1, vus = 1 }
function setup()
  for vu = 0, 30 do
    for iteration = 0, 49 do
      local d = data.new(vu, iteration)
      local record = { vu = vu, iteration = iteration, phones = {}, emails = {}, payments = {},
                       messages = {}, stays = {} }
      for _, country in ipairs(data.countries) do
        record.phones[#record.phones + 1] = { country, d:phone(country), d:phone(country) }
      end
      for _ = 1, 2 do
        record.emails[#record.emails + 1] = d:email()
        record.payments[#record.payments + 1] = d:payment_id()
        record.messages[#record.messages + 1] = d:message_id()
        local check_in, check_out, nights = d:stay()
        record.stays[#record.stays + 1] = { check_in, check_out, nights }
      end
      record.name = d:name()
      record.same = data.new(vu, iteration):phone("AR") == data.new(vu, iteration):phone("AR")
      print("DATA " .. json.encode(record))
    end
  end
end
function default() end
'''
        run = run_lueng(script)
        self.assertEqual(run.code, 0, run.stderr[-2000:])
        records = lines_with(run, "DATA ")
        self.assertEqual(len(records), 31 * 50)
        phones, emails, payments, messages = set(), set(), set(), set()
        import datetime
        today = datetime.date.today()
        for record in records:
            self.assertTrue(record["same"], "same VU and iteration give the same data")
            for country, *numbers in record["phones"]:
                for number in numbers:
                    self.assertRegex(number, E164)
                    self.assertTrue(number.startswith(COUNTRY_PREFIX[country]), number)
                    self.assertLessEqual(len(number) - 1, 15)
                    self.assertNotIn(number, phones, "phones are unique per VU, iteration and call")
                    phones.add(number)
            for email in record["emails"]:
                self.assertRegex(email, r"^[a-z0-9.]+@example\.com$")
                self.assertNotIn(email, emails)
                emails.add(email)
            for payment in record["payments"]:
                self.assertRegex(payment, r"^\d{10}$")
                self.assertNotIn(payment, payments)
                payments.add(payment)
            for message in record["messages"]:
                self.assertTrue(message.startswith("wamid."))
                self.assertNotIn(message, messages)
                messages.add(message)
            for check_in, check_out, nights in record["stays"]:
                start = datetime.date.fromisoformat(check_in)
                end = datetime.date.fromisoformat(check_out)
                self.assertGreater(end, start, "check-out after check-in")
                self.assertEqual((end - start).days, nights)
                self.assertGreater(start, today, "stays are in the future")
        self.assertEqual(len({r["name"] for r in records}) > 50, True, "names vary")

    def test_current_follows_the_running_vu_and_iteration(self):
        script = r'''
local data = require "hotel.data"
local lueng = require "lueng"
options = { scenarios = { s = { executor = "per-vu-iterations", vus = 4, iterations = 5 } } }
local function show()
  local d = data.current()
  print(("PHONE {\"vu\": %d, \"iteration\": %d, \"phone\": \"%s\"}"):format(d.vu, d.iteration, d:phone()))
end
setup, default = show, show
'''
        run = run_lueng(script)
        self.assertEqual(run.code, 0, run.stderr[-2000:])
        phones = lines_with(run, "PHONE ")
        # setup()'s VU is 0: its data is no VU's of the load.
        self.assertEqual(sorted((p["vu"], p["iteration"]) for p in phones),
                         [(0, 0)] + [(vu, i) for vu in range(1, 5) for i in range(5)])
        self.assertEqual(len({p["phone"] for p in phones}), 21)


class MixAndTimescaleTest(unittest.TestCase):
    def test_classes_and_tasks_follow_their_weights_over_every_cycle(self):
        script = r'''
local mix = require "lueng.mix"
local json = require "lueng.json"
local noop = function() end
local m = mix.new({
  { name = "reservations", weight = 70, tasks = { { name = "a", weight = 5, run = noop }, { name = "b", weight = 1, run = noop } } },
  { name = "whatsapp", weight = 20, tasks = { { name = "text", weight = 9, run = noop }, { name = "audio", weight = 1, run = noop } } },
  { name = "mercadopago", weight = 10, tasks = { { name = "pay", weight = 1, run = noop } } },
})
options = { iterations = 1, vus = 1 }
function setup()
  for _, n in ipairs({ 1, 3, 10, 100 }) do print("SHARES " .. json.encode({ n = n, shares = m:shares(n) })) end
  -- Windows of 10 consecutive picks, from wherever the round robin starts.
  local tasks = {}
  for _ = 1, 30 do
    local classes = {}
    for _ = 1, 10 do
      local class, task = m:pick()
      classes[class.name] = (classes[class.name] or 0) + 1
      tasks[task.name] = (tasks[task.name] or 0) + 1
    end
    print("WINDOW " .. json.encode(classes))
  end
  print("TASKS " .. json.encode(tasks))
end
function default() end
'''
        run = run_lueng(script)
        self.assertEqual(run.code, 0, run.stderr[-2000:])
        shares = {s["n"]: s["shares"] for s in lines_with(run, "SHARES ")}
        # The cycle of 70/20/10 is 10 iterations long, the heaviest class first.
        self.assertEqual(shares[1], {"reservations": 1, "whatsapp": 0, "mercadopago": 0})
        self.assertEqual(shares[3], {"reservations": 2, "whatsapp": 1, "mercadopago": 0})
        self.assertEqual(shares[10], {"reservations": 7, "whatsapp": 2, "mercadopago": 1})
        self.assertEqual(shares[100], {"reservations": 70, "whatsapp": 20, "mercadopago": 10})
        windows = lines_with(run, "WINDOW ")
        self.assertEqual(len(windows), 30)
        for window in windows:
            self.assertEqual(window, {"reservations": 7, "whatsapp": 2, "mercadopago": 1})
        # 210, 60 and 30 picks of the classes: whole cycles of their tasks.
        self.assertEqual(lines_with(run, "TASKS "),
                         [{"a": 175, "b": 35, "text": 54, "audio": 6, "pay": 30}])

    def test_bad_mixes_are_refused_at_load_time(self):
        cases = {
            "{}": "mix: classes must be a non-empty list",
            "{ { name = 'a', weight = 0, tasks = { { weight = 1, run = print } } } }":
                "mix: classes[1] (a) needs a positive whole weight",
            "{ { name = 'a', weight = 1, tasks = { { name = 't', weight = 1 } } } }":
                "mix: classes[1].tasks[1] (t) needs a run function",
        }
        for classes, message in cases.items():
            with self.subTest(classes=classes):
                run = run_lueng(f'local mix = require "lueng.mix"\nlocal m = mix.new({classes})\n'
                                'function default() end\n')
                self.assertEqual(run.code, 107)
                self.assertIn(message, run.stderr)

    def test_time_scale_scales_stages_and_rejects_bad_values(self):
        script = r'''
local stages = require "lueng.stages"
local timescale = require "lueng.timescale"
local json = require "lueng.json"
options = { iterations = 1, vus = 1 }
function setup()
  print("SCALED " .. json.encode({ factor = timescale.factor, load = stages.load().stages,
    soak = stages.soak().duration, d = timescale.duration("2m30s"), ms = timescale.duration("500ms") }))
end
function default() end
'''
        run = run_lueng(script, args=["-e", "TIME_SCALE=0.01"])
        self.assertEqual(run.code, 0, run.stderr[-2000:])
        scaled = lines_with(run, "SCALED ")[0]
        self.assertEqual(scaled["factor"], 0.01)
        self.assertEqual(scaled["load"], [{"duration": "1200ms", "target": 5},
                                          {"duration": "3000ms", "target": 10},
                                          {"duration": "3000ms", "target": 10},
                                          {"duration": "1200ms", "target": 0}])
        self.assertEqual(scaled["soak"], "18000ms")
        self.assertEqual(scaled["d"], "1500ms")
        self.assertEqual(scaled["ms"], "5ms")
        bad = run_lueng(script, args=["-e", "TIME_SCALE=0"])
        self.assertEqual(bad.code, 107)
        self.assertIn("TIME_SCALE: '0' is not a positive number", bad.stderr)


class MixWeightsTest(ServerCase):
    """lueng.mix under real executors: each class's share of the iterations follows
    its weight, whichever VUs run them."""

    SCRIPT = r'''
local http = require "lueng.http"
local mix = require "lueng.mix"
local function visit(ctx)
  http.get(ENV.BASE_URL .. "/hello", { tags = { class = ctx.class, task = ctx.task } })
end
local classes = {}
for weight in ENV.WEIGHTS:gmatch("%d+") do
  local i = #classes + 1
  classes[i] = { name = "c" .. i, weight = tonumber(weight), tasks = {
    { name = "c" .. i .. "a", weight = 3, run = visit }, { name = "c" .. i .. "b", weight = 1, run = visit } } }
end
local traffic = mix.new(classes)
local executors = {
  -- The VU pool reuses its first VUs: a class per VU gave 4 iterations to one
  -- class of a 50/50 mix and 596 to the other.
  arrival = { executor = "constant-arrival-rate", rate = 200, timeUnit = "1s", duration = "3s",
              preAllocatedVUs = 5, maxVUs = 50 },
  -- 5 VUs cannot split 70/20/10 by VU (3/1/1), but their iterations can.
  vus = { executor = "constant-vus", vus = 5, duration = "2s" },
}
options = { scenarios = { mix = executors[ENV.EXECUTOR] } }
function default() traffic:run() end
'''

    def test_class_and_task_shares_follow_the_weights_under_every_executor(self):
        for executor in ("arrival", "vus"):
            for weights in ((50, 50), (70, 20, 10)):
                with self.subTest(executor=executor, weights=weights):
                    self.server.reset()
                    run = self.run_ok(self.SCRIPT, "--threads", "2", "-e", f"EXECUTOR={executor}",
                                      "-e", "WEIGHTS=" + ",".join(map(str, weights)))
                    classes = series_by_tag(run.result, "http_reqs", "class")
                    tasks = series_by_tag(run.result, "http_reqs", "task")
                    total = sum(classes.values())
                    self.assertGreaterEqual(total, 400, classes)
                    self.assertEqual(total, len(self.server.requests))
                    for i, weight in enumerate(weights, 1):
                        name = f"c{i}"
                        self.assertAlmostEqual(classes.get(name, 0) / total, weight / sum(weights),
                                               delta=0.03, msg=classes)
                        # Within the class, tasks a and b go 3 to 1.
                        self.assertAlmostEqual(tasks.get(name + "a", 0) / classes[name], 0.75,
                                               delta=0.03, msg=tasks)


class SigningTest(MockCase):
    def test_wrong_secrets_fail_the_webhook_checks(self):
        mock = self.start_mock()
        run = run_scenario(mock, "smoke", 0.02, "-e", "WHATSAPP_SECRET=wrong", "-e", "MP_SECRET=wrong")
        self.assertIsNotNone(run.result, run.stderr[-2000:])
        checks = checks_by_name(run.result)
        for name in ("whatsapp signature accepted", "mercadopago signature accepted"):
            passes, fails = checks[name]
            self.assertEqual(passes, 0, name)
            self.assertGreater(fails, 0, name)
        # Everything else still works.
        self.assertEqual(checks["prereserve is 201"][1], 0)
        statuses = series_by_tag(run.result, "http_reqs", "status")
        self.assertGreater(statuses.get("401", 0), 0)
        # The summary says so.
        self.assertRegex(run.stdout, r"✗ whatsapp signature accepted")
        self.assertRegex(run.stdout, r"✗ mercadopago signature accepted")
        self.assertEqual(run.code, 2, "failed requests break smoke's P0 error SLO")
        self.assertRegex(run.stdout, r"CRITICAL\s+http_req_failed")

    def test_right_secrets_are_accepted(self):
        mock = self.start_mock()
        run = run_scenario(mock, "smoke", 0.02)
        checks = checks_by_name(run.result)
        self.assertGreater(checks["whatsapp signature accepted"][0], 0)
        self.assertEqual(checks["whatsapp signature accepted"][1], 0)
        self.assertEqual(checks["mercadopago signature accepted"][1], 0)


class WireFormatTest(unittest.TestCase):
    """What the library puts on the wire, verified independently in Python."""

    def test_webhooks_are_signed_over_the_exact_escaped_bytes(self):
        server = TestServer()
        self.addCleanup(server.stop)
        ok = lambda r: raw_response(200, b'{"status":"received"}', {"Content-Type": "application/json"})
        server.routes["/api/v1/webhooks/whatsapp"] = ok
        server.routes["/api/v1/webhooks/mercadopago"] = ok
        script = r'''
local hotel = require "hotel"
options = { iterations = 1, vus = 1 }
function default()
  local ctx = hotel.context()
  hotel.whatsapp.send_text(ctx, "Hola, ¿hay cabaña para el 20? 🏔")
  hotel.whatsapp.send_audio(ctx)
  hotel.mercadopago.post(ctx)
end
'''
        run = run_lueng(script, args=["-e", f"BASE_URL={server.base_url}", "-e", "WHATSAPP_SECRET=wa_s",
                                      "-e", "MP_SECRET=mp_s"])
        self.assertEqual(run.code, 0, run.stdout[-2000:] + run.stderr[-2000:])
        whatsapp = [r for r in server.requests if r.path == "/api/v1/webhooks/whatsapp"]
        self.assertEqual(len(whatsapp), 2)
        for request in whatsapp:
            self.assertTrue(all(b < 0x80 for b in request.body), "non-ASCII is escaped")
            expected = "sha256=" + hmac.new(b"wa_s", request.body, hashlib.sha256).hexdigest()
            self.assertEqual(request.headers["x-hub-signature-256"], expected)
            self.assertEqual(request.headers["content-type"], "application/json")
            body = json.loads(request.body)
            self.assertEqual(body["object"], "whatsapp_business_account")
            self.assertRegex(body["entry"][0]["changes"][0]["value"]["messages"][0]["from"], r"^[1-9]\d{7,14}$")
        text = json.loads(whatsapp[0].body)["entry"][0]["changes"][0]["value"]["messages"][0]
        self.assertEqual(text["type"], "text")
        self.assertEqual(text["text"]["body"], "Hola, ¿hay cabaña para el 20? 🏔")
        # Meta escapes with lowercase hex, and the signature covers these very bytes.
        self.assertIn(b"\\u00bf", whatsapp[0].body)
        self.assertIn(b"\\ud83c\\udfd4", whatsapp[0].body)
        audio = json.loads(whatsapp[1].body)["entry"][0]["changes"][0]["value"]["messages"][0]
        self.assertEqual((audio["type"], audio["audio"]["mime_type"], audio["audio"]["voice"]),
                         ("audio", "audio/ogg; codecs=opus", True))

        [payment] = [r for r in server.requests if r.path == "/api/v1/webhooks/mercadopago"]
        self.assertEqual(payment.query["type"], "payment")
        data_id = payment.query["data.id"]
        self.assertEqual(json.loads(payment.body)["data"]["id"], data_id)
        request_id = payment.headers["x-request-id"]
        self.assertRegex(request_id, r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        match = re.fullmatch(r"ts=(\d+),v1=([0-9a-f]{64})", payment.headers["x-signature"])
        self.assertIsNotNone(match, payment.headers["x-signature"])
        manifest = f"id:{data_id};request-id:{request_id};ts:{match.group(1)};".encode()
        self.assertEqual(match.group(2), hmac.new(b"mp_s", manifest, hashlib.sha256).hexdigest())


class SloTest(MockCase):
    def test_load_against_a_failing_target_exits_2(self):
        mock = self.start_mock("--error-rate", "0.2")
        run = run_scenario(mock, "load", 0.005)
        self.assertEqual(run.code, 2, run.stdout[-3000:])
        self.assertGreater(run.metric("http_req_failed")["rate"], 0.1)
        self.assertRegex(run.stdout, r"CRITICAL\s+http_req_failed\s+rate=0\.[12]")
        self.assertIn("verdict:", run.stdout)

    def test_stress_finds_the_breaking_point_of_a_small_service(self):
        # Past 4 x capacity requests in flight the mock sheds with 503: more than 5%
        # of requests fail, which is stress.lua's breaking point (a P0 SLO).
        # abort_on_fail stops the run there, before the planned 16 s.
        mock = self.start_mock("--capacity", "2", "--latency", "default=50ms")
        run = run_scenario(mock, "stress", 0.01)
        self.assertEqual(run.code, 2, run.stdout[-3000:])
        statuses = series_by_tag(run.result, "http_reqs", "status")
        self.assertGreater(statuses.get("503", 0), 0, statuses)
        self.assertRegex(run.stdout, r"CRITICAL\s+http_req_failed")
        self.assertEqual(run.result["slos"]["aborted_by"], 'options.thresholds["http_req_failed"][1]')
        self.assertIn("verdict:    ABORTED (exit 2)", run.stdout)


class PerfScriptTest(MockCase):
    """tools/perf.sh, the body of the perf-* make targets."""

    def perf(self, mock, perf_dir, *args, whatsapp_secret=WHATSAPP_SECRET):
        perf_args = (f"-e TIME_SCALE=0.02 --quiet -e WHATSAPP_SECRET={whatsapp_secret} "
                     f"-e MP_SECRET={MP_SECRET} -e VERIFY_TOKEN={VERIFY_TOKEN}")
        env = {**os.environ, "LUENG": LUENG, "BASE_URL": f"http://127.0.0.1:{mock.port}",
               "PERF_DIR": perf_dir, "PERF_ARGS": perf_args}
        out = subprocess.run([os.path.join(SOURCE_DIR, "tools", "perf.sh"), *args], cwd=SOURCE_DIR,
                             env=env, capture_output=True, text=True, timeout=60)
        check_sanitizers(out.stderr)
        return out

    def temp_dir(self):
        path = tempfile.mkdtemp(prefix="lueng-perf-")
        self.addCleanup(shutil.rmtree, path, True)
        return path

    def test_run_writes_a_timestamped_result_and_summary_and_baseline_keeps_it(self):
        mock = self.start_mock()
        perf_dir = self.temp_dir()
        run = self.perf(mock, perf_dir, "run", "smoke")
        self.assertEqual(run.returncode, 0, run.stdout[-2000:] + run.stderr[-2000:])
        [result] = glob.glob(os.path.join(perf_dir, "results-smoke-*.json"))
        self.assertRegex(os.path.basename(result), r"^results-smoke-\d{8}T\d{6}Z\.json$")
        with open(result) as f:
            self.assertEqual(json.load(f)["slos"]["verdict"], "PASSED")
        summary = os.path.join(perf_dir, "summary-" + os.path.basename(result)[len("results-"):-len(".json")] + ".txt")
        with open(summary) as f:
            self.assertIn("verdict:    PASSED (exit 0)", f.read())
        # perf-baseline runs the scenario again and keeps that run as its baseline.
        baseline = self.perf(mock, perf_dir, "baseline", "smoke")
        self.assertEqual(baseline.returncode, 0, baseline.stderr)
        newest = max(glob.glob(os.path.join(perf_dir, "results-smoke-*.json")), key=os.path.getmtime)
        with open(os.path.join(perf_dir, "baseline-smoke.json")) as a, open(newest) as b:
            self.assertEqual(a.read(), b.read())
        self.assertTrue(os.path.exists(os.path.join(perf_dir, "baseline-report.md")))
        result = newest
        validate = self.perf(mock, perf_dir, "validate")
        self.assertEqual(validate.returncode, 0, validate.stdout + validate.stderr)
        self.assertIn(f"perf: validating {result}", validate.stdout)
        self.assertIn("PASSED", validate.stdout)

    def test_failing_slos_give_lueng_exit_status_and_bad_names_are_refused(self):
        mock = self.start_mock()
        perf_dir = self.temp_dir()
        run = self.perf(mock, perf_dir, "run", "smoke", whatsapp_secret="wrong")
        self.assertEqual(run.returncode, 2, run.stdout[-2000:])
        self.assertIn("perf: smoke exited 2", run.stdout)
        # perf-validate re-checks the newest result offline with the same verdict.
        validate = self.perf(mock, perf_dir, "validate")
        self.assertEqual(validate.returncode, 2, validate.stdout + validate.stderr)
        self.assertIn("CRITICAL", validate.stdout)
        missing = self.perf(mock, perf_dir, "run", "nosuch")
        self.assertEqual(missing.returncode, 104)
        self.assertIn("scripts/nosuch.lua does not exist", missing.stderr)
        empty = self.temp_dir()
        nothing = self.perf(mock, empty, "validate")
        self.assertEqual(nothing.returncode, 104)
        self.assertIn("no result file", nothing.stderr)


if __name__ == "__main__":
    unittest.main()
