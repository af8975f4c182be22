"""`lueng run` against a real HTTP server on loopback: counts, bytes, checks,
failures, VU isolation, setup data and the result file."""

import os
import signal
import subprocess
import tempfile
import time
import unittest

from support import (LUENG, ServerCase, check_sanitizers, free_port, interrupt, lueng, run_lueng,
                     start_lueng)


class RunTest(ServerCase):
    def test_1000_iterations_give_exactly_1000_requests_and_exact_bytes(self):
        run = self.run_script("""
            local http = require "lueng.http"
            function default() http.get(ENV.BASE_URL .. "/hello") end
        """, "-u", "10", "-i", "1000", "--threads", "2")
        self.assertEqual(run.code, 0, run.stderr)
        self.assertEqual(run.metric("http_reqs")["count"], 1000)
        self.assertEqual(run.metric("iterations")["count"], 1000)
        self.assertEqual(len(self.server.requests), 1000)
        self.assertEqual(run.metric("data_received")["count"], self.server.bytes_out)
        self.assertEqual(run.metric("data_sent")["count"], self.server.bytes_in)
        self.assertEqual(run.metric("http_req_failed")["rate"], 0)
        self.assertEqual(run.metric("http_req_duration")["count"], 1000)
        # Keep-alive: 10 VUs need 10 connections, not 1000.
        self.assertLessEqual(self.server.connections, 1000)

    def test_check_counts_are_exact(self):
        run = self.run_script("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            function default()
              local res = http.get(ENV.BASE_URL .. "/hello")
              lueng.check(res, {
                ["status is 200"] = function(r) return r.status == 200 end,
                ["body is bye"] = function(r) return r.body == "bye" end,
              })
            end
        """, "-u", "4", "-i", "100")
        self.assertEqual(run.code, 0, run.stderr)
        checks = {c["name"]: c for c in run.result["checks"]}
        self.assertEqual(checks["status is 200"]["passes"], 100)
        self.assertEqual(checks["status is 200"]["fails"], 0)
        self.assertEqual(checks["body is bye"]["passes"], 0)
        self.assertEqual(checks["body is bye"]["fails"], 100)
        self.assertEqual(run.metric("checks")["passes"], 100)
        self.assertEqual(run.metric("checks")["fails"], 100)
        self.assertIn("✗ body is bye", run.stdout)
        self.assertIn("✓ status is 200", run.stdout)

    def test_check_names_values_and_result(self):
        # Names that are no strings count under their text; plain values are
        # results as they are; check returns whether all passed.
        run = self.run_script("""
            local lueng = require "lueng"
            local results = {}
            function default()
              results[#results + 1] = lueng.check(7, { [1] = true, [true] = "yes" })
              results[#results + 1] = lueng.check(7, { ["is 8"] = function(v) return v == 8 end,
                                                       ["nil"] = false })
              local ok, message = pcall(lueng.check, 7, "not a table")
              lueng.check(nil, {
                ["returned"] = results[1] == true and results[2] == false,
                ["refused"] = not ok and message:find("second argument must be a table") ~= nil,
              })
            end
        """, "-i", "1")
        self.assertEqual(run.code, 0, run.stderr)
        checks = {c["name"]: (c["passes"], c["fails"]) for c in run.result["checks"]}
        self.assertEqual(checks, {"1": (1, 0), "true": (1, 0), "is 8": (0, 1), "nil": (0, 1),
                                  "returned": (1, 0), "refused": (1, 0)})

    def test_refused_port_is_a_failed_request_not_a_crash_nor_a_pass(self):
        # A refused connection takes no time: the latency SLO "passes" on those
        # zeros, but a run that got not one response measured nothing (exit 2).
        port = free_port()
        run = run_lueng("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = { thresholds = { http_req_duration = "p(95)<500" } }
            function default()
              local res = http.get("http://127.0.0.1:%d/")
              lueng.check(res, { ["status 0"] = function(r) return r.status == 0 end,
                                 ["error code 1212"] = function(r) return r.error_code == 1212 end,
                                 ["error message"] = function(r) return r.error:find("refused") ~= nil end })
            end
        """ % port, ["-i", "20", "-u", "2"])
        self.assertEqual(run.code, 2, run.stderr)
        self.assertEqual(run.result["slos"]["results"][0]["status"], "PASS")
        self.assertEqual(run.result["slos"]["verdict"],
                         "CRITICAL: not one of 20 requests got a response")
        self.assertIn("verdict:    CRITICAL: not one of 20 requests got a response (exit 2)",
                      run.stdout)
        for command in ("gate", "validate"):
            saved = lueng(command, run.result_path)
            self.assertEqual(saved.returncode, 2, saved.stdout)
            self.assertIn("not one of 20 requests got a response", saved.stdout)
        self.assertEqual(run.metric("http_req_failed")["rate"], 1.0)
        self.assertEqual(run.metric("http_reqs")["count"], 20)
        self.assertEqual(run.metric("checks")["fails"], 0)
        tags = [s["tags"] for s in run.result["metrics"]["http_reqs"]["series"]]
        self.assertTrue(all(t["error_code"] == "1212" and t["status"] == "0" for t in tags), tags)

    def test_status_codes_set_expected_response_and_failed_rate(self):
        run = self.run_script("""
            local http = require "lueng.http"
            function default()
              http.get(ENV.BASE_URL .. "/status?code=200")
              http.get(ENV.BASE_URL .. "/status?code=503")
              http.get(ENV.BASE_URL .. "/status?code=404")
              http.get(ENV.BASE_URL .. "/status?code=302")
            end
        """, "-i", "10")
        self.assertEqual(run.code, 0, run.stderr)
        self.assertAlmostEqual(run.metric("http_req_failed")["rate"], 0.5)
        series = run.result["metrics"]["http_req_failed"]["series"]
        by_status = {s["tags"]["status"]: s for s in series}
        self.assertEqual(by_status["503"]["tags"]["expected_response"], "false")
        self.assertEqual(by_status["302"]["tags"]["expected_response"], "true")
        self.assertEqual(by_status["200"]["tags"]["name"], self.server.base_url + "/status?code=200")

    def test_response_fields_headers_json_and_request_params(self):
        run = self.run_script("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            function default()
              local res = http.post(ENV.BASE_URL .. "/echo?x=1", "payload", {
                headers = { ["X-Custom"] = "yes", ["Content-Type"] = "text/plain" },
                tags = { name = "echo", endpoint = "echo" },
              })
              local echoed = res:json()
              lueng.check(res, {
                status = function(r) return r.status == 200 end,
                method = function() return echoed.method == "POST" end,
                body = function() return echoed.body == "payload" end,
                header = function() return echoed.headers["x-custom"] == "yes" end,
                agent = function() return echoed.headers["user-agent"]:match("^lueng/") ~= nil end,
                content_type = function(r) return r.headers["Content-Type"] == "application/json" end,
                proto = function(r) return r.proto == "HTTP/1.1" end,
                url = function(r) return r.url == ENV.BASE_URL .. "/echo?x=1" end,
                timings = function(r)
                  local t = r.timings
                  return t.duration > 0 and math.abs(t.duration - (t.sending + t.waiting + t.receiving)) < 1e-6
                end,
              })
              local doc = http.get(ENV.BASE_URL .. "/json"):json()
              lueng.check(doc, { nested = function(d) return d.nested.name == "lueng" and #d.items == 3 end })
            end
        """, "-i", "5")
        self.assertEqual(run.code, 0, run.stderr)
        failing = [c["name"] for c in run.result["checks"] if c["fails"]]
        self.assertEqual(failing, [])
        self.assertEqual(run.metric("checks")["passes"], 50)
        series = run.result["metrics"]["http_reqs"]["series"]
        echo = [s for s in series if s["tags"]["name"] == "echo"]
        self.assertEqual(len(echo), 1)
        self.assertEqual(echo[0]["tags"]["endpoint"], "echo")
        self.assertEqual(echo[0]["tags"]["method"], "POST")
        self.assertEqual(echo[0]["values"]["count"], 5)

    def test_vu_globals_are_isolated_and_vu_fields_are_set(self):
        run = self.run_script("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = { scenarios = { each = { executor = "per-vu-iterations", vus = 3, iterations = 4 } } }
            shared_at_init = "init"
            function default()
              counter = (counter or 0) + 1
              http.get(ENV.BASE_URL .. "/hello?vu=" .. lueng.vu.id .. "&n=" .. counter ..
                       "&it=" .. lueng.vu.iteration .. "&s=" .. lueng.vu.scenario .. "&i=" .. shared_at_init)
            end
        """)
        self.assertEqual(run.code, 0, run.stderr)
        seen = {}
        for request in self.server.requests:
            q = request.query
            self.assertEqual(q["s"], "each")
            self.assertEqual(q["i"], "init")
            self.assertEqual(int(q["n"]), int(q["it"]) + 1)
            seen.setdefault(q["vu"], []).append(int(q["n"]))
        self.assertEqual(sorted(seen), ["1", "2", "3"])
        for values in seen.values():
            self.assertEqual(sorted(values), [1, 2, 3, 4])

    def test_vu_globals_survive_waits_and_never_leak_to_later_vus(self):
        # VUs interleave on one worker (each request is a wait another VU runs in);
        # the second scenario's VUs are made after the first's are gone and must
        # start with globals of their own.
        run = self.run_script("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = { scenarios = {
              first = { executor = "per-vu-iterations", vus = 6, iterations = 5 },
              second = { executor = "per-vu-iterations", vus = 6, iterations = 5, startTime = "1s" },
            } }
            function default()
              local me = lueng.vu.scenario .. "-" .. lueng.vu.id .. "-" .. lueng.vu.iteration
              if lueng.vu.iteration == 0 then
                first_seen = lueng.vu.scenario
                -- A fresh VU: nothing set by anyone else.
                http.get(ENV.BASE_URL .. "/hello?kind=fresh&me=" .. me .. "&was=" .. tostring(mine))
              end
              mine = me
              http.get(ENV.BASE_URL .. "/hello?kind=wait")
              http.get(ENV.BASE_URL .. "/hello?kind=after&me=" .. me .. "&mine=" .. mine ..
                       "&first=" .. first_seen)
            end
        """, "--threads", "1")
        self.assertEqual(run.code, 0, run.stderr)
        fresh = [r.query for r in self.server.requests if r.query.get("kind") == "fresh"]
        after = [r.query for r in self.server.requests if r.query.get("kind") == "after"]
        self.assertEqual(len(fresh), 12)
        self.assertEqual(len(after), 60)
        self.assertTrue(all(q["was"] == "nil" for q in fresh), fresh)
        for q in after:
            self.assertEqual(q["mine"], q["me"])
            self.assertEqual(q["first"], q["me"].split("-")[0])

    def test_test_wide_tags_from_options_and_the_command_line(self):
        # k6's precedence: request tags over scenario tags over test-wide tags, and
        # --tag over options.tags.
        run = self.run_script("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = {
              tags = { team = "hotel", env = "staging", site = "from-options" },
              scenarios = {
                plain = { executor = "per-vu-iterations", vus = 1, iterations = 1 },
                own = { executor = "per-vu-iterations", vus = 1, iterations = 1, exec = "tagged",
                        tags = { env = "scenario" } },
              },
            }
            function default() http.get(ENV.BASE_URL .. "/hello") end
            function tagged()
              http.get(ENV.BASE_URL .. "/hello", { tags = { team = "request" } })
              lueng.check(true, { ok = function() return true end })
            end
        """, "--tag", "site=cli", "--tag", "run_id=42")
        self.assertEqual(run.code, 0, run.stderr)
        self.assertNotIn("WARN", run.stderr)
        by_scenario = {s["tags"]["scenario"]: s["tags"] for s in run.result["metrics"]["http_reqs"]["series"]}
        self.assertEqual(by_scenario["plain"]["team"], "hotel")
        self.assertEqual(by_scenario["plain"]["env"], "staging")
        self.assertEqual(by_scenario["plain"]["site"], "cli")
        self.assertEqual(by_scenario["plain"]["run_id"], "42")
        self.assertEqual(by_scenario["own"]["env"], "scenario")
        self.assertEqual(by_scenario["own"]["team"], "request")
        self.assertEqual(by_scenario["own"]["site"], "cli")
        # Not only http samples: checks and iterations carry them too.
        [check] = run.result["metrics"]["checks"]["series"]
        self.assertEqual(check["tags"]["run_id"], "42")
        self.assertTrue(all(s["tags"]["site"] == "cli" for s in run.result["metrics"]["iterations"]["series"]))

    def test_unknown_options_are_named_and_the_run_goes_on(self):
        run = self.run_script("""
            local http = require "lueng.http"
            options = { vus = 1, iterations = 1, thersholds = { http_req_failed = { "rate<0.01" } },
                        linger = true, max_redirects = 3, frobnicate = true }
            function default() http.get(ENV.BASE_URL .. "/hello") end
        """)
        self.assertEqual(run.code, 0, run.stderr)
        warnings = [line for line in run.stderr.splitlines() if line.startswith("WARN")]
        self.assertEqual(len(warnings), 3, run.stderr)
        self.assertIn("options.thersholds: unknown option; ignored (did you mean thresholds?)", run.stderr)
        self.assertIn("options.linger: a k6 option lueng does not implement (lueng has no REST "
                      "API", run.stderr)
        self.assertIn("options.frobnicate: unknown option; ignored", run.stderr)
        self.assertTrue(all("script.lua" in line for line in warnings), warnings)
        self.assertEqual(run.metric("http_reqs")["count"], 1)

    def test_a_bad_tag_is_named(self):
        run = self.run_script("""function default() end""", "--tag", "novalue")
        self.assertEqual(run.code, 104)
        self.assertIn("--tag expects NAME=VALUE, got 'novalue'", run.stderr)
        run = self.run_script("""options = { tags = { team = { 1 } } } function default() end""")
        self.assertEqual(run.code, 104)
        self.assertIn("options.tags.team: must be a string", run.stderr)

    def test_setup_data_reaches_every_iteration_and_teardown(self):
        run = self.run_script("""
            local http = require "lueng.http"
            function setup()
              local res = http.get(ENV.BASE_URL .. "/json")
              return { token = "t-" .. res:json().status, list = { 1, 2, 3 } }
            end
            function default(data)
              data.list[1] = 99  -- each VU has its own copy
              http.get(ENV.BASE_URL .. "/hello?token=" .. data.token .. "&n=" .. #data.list)
            end
            function teardown(data)
              http.get(ENV.BASE_URL .. "/hello?teardown=" .. data.token .. "&first=" .. data.list[1])
            end
        """, "-u", "2", "-i", "6")
        self.assertEqual(run.code, 0, run.stderr)
        paths = [r.target for r in self.server.requests]
        self.assertEqual(paths[0], "/json")
        self.assertEqual(paths[-1], "/hello?teardown=t-ok&first=1")
        middle = self.server.requests[1:-1]
        self.assertEqual(len(middle), 6)
        self.assertTrue(all(r.query == {"token": "t-ok", "n": "3"} for r in middle))
        self.assertEqual(run.metric("http_reqs")["count"], 8)

    def test_iteration_errors_are_logged_once_counted_and_the_vu_goes_on(self):
        run = self.run_script("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            function default()
              http.get(ENV.BASE_URL .. "/hello")
              if lueng.vu.iteration % 2 == 0 then lueng.fail("even iteration") end
              local t = nil
              return t.boom
            end
            options = { scenarios = { s = { executor = "per-vu-iterations", vus = 2, iterations = 10 } } }
        """)
        self.assertEqual(run.code, 0, run.stderr)
        self.assertEqual(run.metric("iterations")["count"], 20)
        self.assertEqual(run.metric("http_reqs")["count"], 20)
        self.assertEqual(run.stderr.count("even iteration"), 2, run.stderr)  # first time + the count line
        errors = {e["message"]: e["count"] for e in run.result["errors"]}
        even = [m for m in errors if "even iteration" in m]
        boom = [m for m in errors if "attempt to index" in m]
        self.assertEqual(errors[even[0]], 10)
        self.assertEqual(errors[boom[0]], 10)
        self.assertRegex(even[0], r"script\.lua:6: even iteration")

    def test_constant_vus_for_a_duration_stops_by_itself(self):
        started = time.monotonic()
        run = self.run_script("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            function default() http.get(ENV.BASE_URL .. "/hello"); lueng.sleep(0.05) end
        """, "-u", "5", "-d", "2s")
        elapsed = time.monotonic() - started
        self.assertEqual(run.code, 0, run.stderr)
        self.assertLess(elapsed, 15)
        self.assertGreater(run.metric("iterations")["count"], 20)
        self.assertEqual(run.result["metrics"]["vus_max"]["values"]["value"], 5)
        self.assertGreaterEqual(run.result["duration_seconds"], 2)
        self.assertGreaterEqual(len(run.result["time_series"]), 2)
        # Every second, the first included, shows the 5 running VUs.
        self.assertEqual([p["vus"] for p in run.result["time_series"][:2]], [5, 5])
        self.assertEqual(sum(p["http_reqs"] for p in run.result["time_series"]),
                         run.metric("http_reqs")["count"])

    def test_groups_tag_samples_and_time_group_duration(self):
        run = self.run_script("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            function default()
              lueng.group("booking", function()
                http.get(ENV.BASE_URL .. "/hello")
                lueng.check(true, { ["inside"] = true })
              end)
            end
        """, "-i", "3")
        self.assertEqual(run.code, 0, run.stderr)
        tags = run.result["metrics"]["http_reqs"]["series"][0]["tags"]
        self.assertEqual(tags["group"], "::booking")
        self.assertEqual(run.result["checks"][0]["group"], "::booking")
        self.assertEqual(run.result["metrics"]["group_duration"]["values"]["count"], 3)

    def test_summary_prints_checks_as_a_tree_of_groups(self):
        # Two groups named "pay" in different places stay apart, each under its
        # parent; "a-b" sorts between "a" and "a::x" by text, not in the tree.
        run = self.run_script("""
            local lueng = require "lueng"
            function default()
              lueng.check(true, { ["root"] = true })
              lueng.group("guest", function()
                lueng.group("pay", function() lueng.check(false, { ["paid"] = false }) end)
              end)
              lueng.group("admin", function()
                lueng.check(true, { ["seen"] = true })
                lueng.group("pay", function() lueng.check(true, { ["paid"] = true }) end)
              end)
              lueng.group("admin-b", function() lueng.check(true, { ["other"] = true }) end)
            end
        """, "-i", "1")
        self.assertEqual(run.code, 0, run.stderr)
        start = run.stdout.index("     ✓ root")
        end = run.stdout.index("     checks.")
        tree = [line for line in run.stdout[start:end].splitlines() if line.strip()]
        self.assertNotIn("\n\n\n", run.stdout[start:end])
        self.assertEqual(tree, [
            "     ✓ root",
            "     █ admin",
            "       ✓ seen",
            "       █ pay",
            "         ✓ paid",
            "     █ admin-b",
            "       ✓ other",
            "     █ guest",
            "       █ pay",
            "         ✗ paid",
            "          ↳  0% — ✓ 0 / ✗ 1",
        ], run.stdout)

    def test_iterations_cut_short_by_max_duration_are_named(self):
        script = """
            local http = require "lueng.http"
            function default() http.get(ENV.BASE_URL .. "/slow?ms=150") end
        """
        run = self.run_script(script, "-i", "50", "-d", "1s")
        self.assertEqual(run.code, 0, run.stderr)
        ran = run.result["scenarios"][0]["iterations_completed"]
        self.assertLess(ran, 50)
        self.assertIn(f"WARN scenario default: {ran} of 50 iterations ran, its maxDuration (1s) "
                      "ended it first", run.stdout)
        whole = self.run_script(script, "-i", "2")
        self.assertNotIn("WARN scenario", whole.stdout)

    def test_request_timeout_is_a_failed_request(self):
        run = self.run_script("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            function default()
              local res = http.get(ENV.BASE_URL .. "/slow?ms=1500", { timeout = "200ms" })
              lueng.check(res, { ["timed out"] = function(r) return r.error_code == 1050 end })
            end
        """, "-i", "2")
        self.assertEqual(run.code, 2, run.stderr)  # not one response
        self.assertEqual(run.metric("checks")["passes"], 2)
        self.assertEqual(run.metric("http_req_failed")["rate"], 1.0)

    def test_modules_load_from_the_script_folder_and_lueng_path(self):
        folder = tempfile.mkdtemp()
        extra = tempfile.mkdtemp()
        with open(os.path.join(folder, "helpers.lua"), "w") as f:
            f.write("return { path = function() return '/hello' end }\n")
        os.makedirs(os.path.join(extra, "shared"))
        with open(os.path.join(extra, "shared", "init.lua"), "w") as f:
            f.write("return { tag = 'from-lueng-path' }\n")
        script = os.path.join(folder, "main.lua")
        with open(script, "w") as f:
            f.write("""
                local http = require "lueng.http"
                local helpers = require "helpers"
                local shared = require "shared"
                function default()
                  http.get(ENV.BASE_URL .. helpers.path(), { tags = { origin = shared.tag } })
                end
            """)
        run = run_lueng(None, ["-e", f"BASE_URL={self.server.base_url}", "-i", "1"], script_path=script,
                        env={"LUENG_PATH": extra})
        self.assertEqual(run.code, 0, run.stderr)
        self.assertEqual(run.result["metrics"]["http_reqs"]["series"][0]["tags"]["origin"], "from-lueng-path")

    def test_summary_has_k6_metrics_and_a_per_endpoint_table(self):
        run = self.run_script("""
            local http = require "lueng.http"
            function default()
              http.get(ENV.BASE_URL .. "/hello")
              http.get(ENV.BASE_URL .. "/json")
            end
        """, "-i", "10")
        self.assertEqual(run.code, 0, run.stderr)
        for text in ("http_req_duration", "avg=", "p(95)=", "p(99)=", "http_reqs", "iterations",
                     "data_received", "endpoint", f"GET {self.server.base_url}/hello",
                     f"GET {self.server.base_url}/json"):
            self.assertIn(text, run.stdout)

    def test_result_file_is_versioned_and_holds_mergeable_histograms(self):
        run = self.run_script("""
            local http = require "lueng.http"
            function default() http.get(ENV.BASE_URL .. "/hello") end
        """, "-i", "50")
        self.assertEqual(run.code, 0, run.stderr)
        r = run.result
        self.assertEqual(r["schema"], "lueng.result/1")
        self.assertEqual(r["exit_code"], 0)
        self.assertFalse(r["interrupted"])
        duration = r["metrics"]["http_req_duration"]
        self.assertEqual(duration["type"], "trend")
        self.assertEqual(duration["contains"], "time")
        histogram = duration["histogram"]
        self.assertEqual(sum(count for _, count in histogram["buckets"]), 50)
        self.assertEqual(histogram["count"], 50)
        self.assertLessEqual(duration["values"]["min"], duration["values"]["p(95)"])
        self.assertEqual(r["scenarios"][0]["executor"], "shared-iterations")

    def test_sigint_stops_gracefully_exits_105_and_still_writes_the_result(self):
        folder = tempfile.mkdtemp()
        script = os.path.join(folder, "long.lua")
        result = os.path.join(folder, "result.json")
        with open(script, "w") as f:
            f.write("""
                local http = require "lueng.http"
                local lueng = require "lueng"
                function default() http.get(ENV.BASE_URL .. "/hello"); lueng.sleep(0.1) end
            """)
        process = start_lueng(["-q", "-u", "4", "-d", "60s", "--summary-export", result,
                               "-e", f"BASE_URL={self.server.base_url}", script])
        time.sleep(1.5)
        stdout, stderr = interrupt(process, timeout=30)
        self.assertEqual(process.returncode, 105, stderr)
        import json
        with open(result) as f:
            data = json.load(f)
        self.assertTrue(data["interrupted"])
        self.assertEqual(data["interrupt_reason"], "SIGINT")
        self.assertEqual(data["exit_code"], 105)
        self.assertGreater(data["metrics"]["http_reqs"]["values"]["count"], 4)
        self.assertLess(data["duration_seconds"], 30)
        self.assertIn("http_reqs", stdout)

    def test_second_signal_stops_at_once_and_still_writes_the_result(self):
        folder = tempfile.mkdtemp()
        script = os.path.join(folder, "stuck.lua")
        result = os.path.join(folder, "result.json")
        with open(script, "w") as f:
            # Iterations that never end by themselves and a graceful stop of a minute:
            # only the second signal can end this run quickly.
            f.write("""
                local http = require "lueng.http"
                local lueng = require "lueng"
                options = { scenarios = { stuck = { executor = "constant-vus", vus = 2,
                  duration = "60s", gracefulStop = "60s" } } }
                function default() http.get(ENV.BASE_URL .. "/hello"); lueng.sleep(600) end
            """)
        process = subprocess.Popen([LUENG, "run", "-q", "--summary-export", result,
                                    "-e", f"BASE_URL={self.server.base_url}", script],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        process.send_signal(signal.SIGTERM)
        time.sleep(1)
        self.assertIsNone(process.poll(), "the first signal must wait for running iterations")
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=30)
        check_sanitizers(stderr)
        self.assertEqual(process.returncode, 105, stderr)
        self.assertIn("stopping gracefully", stderr)
        import json
        with open(result) as f:
            data = json.load(f)
        self.assertEqual(data["interrupt_reason"], "SIGTERM")
        self.assertEqual(data["metrics"]["http_reqs"]["values"]["count"], 2)
        self.assertLess(data["duration_seconds"], 30)
        self.assertIn("http_reqs", stdout)


if __name__ == "__main__":
    unittest.main()
