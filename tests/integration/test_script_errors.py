"""A broken script never passes: every Lua error of an iteration is counted
(script_errors), listed in the summary and every report, and a run in which no
iteration finished without one exits 107. lueng.fail() is counted apart and
leaves the verdict to the SLOs; init and teardown() errors exit 107."""

import os
import re
import tempfile
import unittest
import xml.etree.ElementTree as ET

from support import ServerCase, lueng


def report_paths():
    folder = tempfile.mkdtemp(prefix="lueng-reports-")
    return {kind: os.path.join(folder, f"report.{ext}")
            for kind, ext in (("html", "html"), ("markdown", "md"), ("junit", "xml"))}


def out_args(paths):
    args = []
    for kind, path in paths.items():
        args += ["--out", f"{kind}={path}"]
    return args


def read(path):
    with open(path) as f:
        return f.read()


class ScriptErrorTest(ServerCase):
    def test_the_readme_script_without_base_url_exits_107_and_every_report_says_why(self):
        # README's get.lua run without -e BASE_URL: every iteration fails on its first line.
        paths = report_paths()
        run = self.run_script("""
            local http  = require "lueng.http"
            local lueng = require "lueng"
            options = { vus = 20, duration = "3s" }
            function default()
              local res = http.get(ENV.URL .. "/health/live", { tags = { endpoint = "health" } })
              lueng.sleep(1)
            end
        """, *out_args(paths))
        self.assertEqual(run.code, 107, run.stderr)
        message = f"{run.script_path}:6: attempt to concatenate field 'URL' (a nil value)"
        self.assertIn("lueng run: script error: SCRIPT ERRORS: no iteration finished without one",
                      run.stderr)
        errors = int(run.metric("script_errors")["count"])
        self.assertEqual(errors, run.metric("iterations")["count"])
        # Failing at once backs the VUs off (1 ms doubling to 1 s): a few hundred
        # errors in 3 s, where a busy loop made millions.
        self.assertGreater(errors, 20)
        self.assertLess(errors, 5000)
        # Printed once, counted: the per-message log stays de-duplicated.
        self.assertEqual(run.stderr.count("ERROR iteration failed: " + message), 1)
        # The summary lists the message with its count; the verdict says why.
        self.assertRegex(run.stdout, rf"script errors\n\s+{errors:,}  error    {re.escape(message)}")
        self.assertIn("verdict:    SCRIPT ERRORS: no iteration finished without one "
                      f"({errors:,} script errors in {errors:,} iterations) (exit 107)", run.stdout)
        # The result file: each distinct message with its count and place, and the metric
        # by scenario and exec function.
        self.assertEqual(run.result["errors"], [{
            "message": message, "location": f"{run.script_path}:6", "phase": "iteration",
            "kind": "error", "count": errors}])
        series = run.result["metrics"]["script_errors"]["series"]
        self.assertEqual([s["tags"] for s in series],
                         [{"scenario": "default", "exec": "default", "kind": "error"}])
        self.assertTrue(run.result["slos"]["verdict"].startswith("SCRIPT ERRORS"))
        # JUnit: an <error> per message; Markdown and HTML: the verdict and a table.
        suites = {s.get("name"): s for s in ET.parse(paths["junit"]).getroot()}
        scripted = suites["lueng.script_errors"]
        self.assertEqual(scripted.get("errors"), "1")
        error = scripted.find("testcase/error")
        self.assertEqual(error.get("message"), message)
        self.assertIn(f"ended {errors} iterations", error.text)
        markdown = read(paths["markdown"])
        self.assertIn("## ❌ lueng: SCRIPT ERRORS", markdown)
        self.assertIn("### Script errors", markdown)
        self.assertIn(f"| {errors} | error | `{run.script_path}:6` |", markdown)
        html = read(paths["html"])
        self.assertIn('<div id="verdict" class="verdict fail">SCRIPT ERRORS', html)
        self.assertIn('<table id="script-error-table">', html)
        # validate reads the file to the same verdict.
        validated = lueng("validate", run.result_path, "--slo", self.slo_file())
        self.assertEqual(validated.returncode, 107, validated.stdout + validated.stderr)

    def slo_file(self):
        path = os.path.join(tempfile.mkdtemp(), "slo.lua")
        with open(path, "w") as f:
            f.write('return { iterations = "count>0" }\n')
        return path

    def test_some_errors_pass_with_a_verdict_that_says_so_and_strict_fails(self):
        script = """
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = { scenarios = { s = { executor = "per-vu-iterations", vus = 2, iterations = 20 } },
                        thresholds = { http_req_failed = "rate<0.1" } }
            function default()
              http.get(ENV.BASE_URL .. "/hello")
              if lueng.vu.iteration % 4 == 3 then error("bad row " .. lueng.vu.iteration % 8) end
            end
        """
        run = self.run_script(script)
        self.assertEqual(run.code, 0, run.stderr)
        errors = int(run.metric("script_errors")["count"])
        self.assertEqual(errors, 10)
        self.assertIn(f"verdict:    PASSED with 10 script errors in 40 iterations (exit 0)",
                      run.stdout)
        self.assertEqual(sorted(e["message"].split(": ", 1)[1] for e in run.result["errors"]),
                         ["bad row 3", "bad row 7"])
        self.assertEqual(sum(e["count"] for e in run.result["errors"]), 10)
        strict = self.run_script(script, "--strict")
        self.assertEqual(strict.code, 1, strict.stderr)
        self.assertIn("verdict:    FAILED with 10 script errors in 40 iterations (exit 1), --strict",
                      strict.stdout)

    def test_fail_is_counted_apart_and_leaves_the_verdict_to_the_slos(self):
        run = self.run_script("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = { vus = 1, iterations = 5, thresholds = { checks = "rate>0.5" } }
            function default()
              local res = http.get(ENV.BASE_URL .. "/status?code=409")
              lueng.check(res, { ["is 409"] = function(r) return r.status == 409 end })
              lueng.fail("no availability for " .. res.status)
            end
        """)
        self.assertEqual(run.code, 0, run.stderr)
        self.assertIn("verdict:    PASSED with 5 lueng.fail() in 5 iterations (exit 0)", run.stdout)
        self.assertEqual(run.result["errors"], [{
            "message": f"{run.script_path}:8: no availability for 409",
            "location": f"{run.script_path}:8", "phase": "iteration", "kind": "fail",
            "count": 5}])
        self.assertIn("FAIL iteration ended by lueng.fail(): ", run.stderr)
        # A fail() the script caught marks nothing after it: the error that ends the
        # iteration later is an error; one re-raised by group() is still a fail().
        caught = self.run_script("""
            local lueng = require "lueng"
            options = { iterations = 2 }
            function default()
              local ok, err = pcall(lueng.fail, "caught")
              assert(not ok and err:find("caught"))
              if lueng.vu.iteration == 1 then error("later", 0) end
              lueng.group("g", function() lueng.fail("in a group") end)
            end
        """)
        self.assertEqual(caught.code, 0, caught.stderr)
        self.assertEqual(sorted((e["kind"], e["message"].split(": ")[-1])
                                for e in caught.result["errors"]),
                         [("error", "later"), ("fail", "in a group")])

    def test_script_errors_can_be_a_threshold(self):
        run = self.run_script("""
            local lueng = require "lueng"
            options = { iterations = 4,
                        thresholds = { ["script_errors{kind:error}"] = "count<1" } }
            function default() if lueng.vu.iteration == 2 then error("boom") end end
        """)
        self.assertEqual(run.code, 2, run.stdout + run.stderr)
        [slo] = run.result["slos"]["results"]
        self.assertEqual(slo["status"], "CRITICAL")
        self.assertEqual(slo["value"], 1)

    def test_init_code_failing_in_a_worker_state_exits_107_before_any_request(self):
        # The first load (reading options) succeeds and leaves a marker; the workers' states fail.
        marker = os.path.join(tempfile.mkdtemp(), "marker")
        run = self.run_script(f"""
            local http = require "lueng.http"
            local f = io.open("{marker}", "r")
            if f then f:close(); error("no data file in this worker") end
            io.open("{marker}", "w"):close()
            options = {{ vus = 4, duration = "2s" }}
            function default() http.get(ENV.BASE_URL .. "/hello") end
        """, "--threads", "2")
        self.assertEqual(run.code, 107, run.stderr)
        self.assertIn(f"lueng run: script error: {run.script_path}:4: no data file in this worker",
                      run.stderr)
        self.assertEqual(self.server.requests, [])

    def test_teardown_error_exits_107_and_is_recorded(self):
        run = self.run_script("""
            local http = require "lueng.http"
            options = { iterations = 3 }
            function default() http.get(ENV.BASE_URL .. "/hello") end
            function teardown(data) local t = nil; return t.field end
        """)
        self.assertEqual(run.code, 107, run.stderr)
        self.assertIn(f"script error: teardown() failed: {run.script_path}:5: attempt to index",
                      run.stderr)
        [error] = run.result["errors"]
        self.assertEqual(error["phase"], "teardown")
        self.assertEqual(error["location"], f"{run.script_path}:5")
        self.assertEqual(error["count"], 1)
        self.assertEqual(len(self.server.requests), 3)


    def test_a_failed_phase_or_init_still_writes_every_output_and_the_gate_blocks(self):
        # A result file left from an earlier good run must not be judged for this one.
        cases = {
            "setup": ("function setup() error('login failed') end\nfunction default() end\n",
                      107, "SCRIPT ERROR: setup() failed: {path}:1: login failed"),
            "setupTimeout": ('local lueng = require "lueng"\noptions = { setupTimeout = "200ms" }\n'
                             "function setup() lueng.sleep(3) end\nfunction default() end\n",
                             100, "SCRIPT ERROR: setup() did not finish within 200ms"),
            "teardown": ("function default() end\nfunction teardown() error('cleanup') end\n",
                         107, "SCRIPT ERROR: teardown() failed: {path}:2: cleanup"),
            "syntax": ("local x =\nfunction default() end\n", 107, "SCRIPT ERROR: {path}:2:"),
        }
        for name, (text, code, verdict) in cases.items():
            with self.subTest(name):
                paths = report_paths()
                folder = os.path.dirname(paths["html"])
                script = os.path.join(folder, "script.lua")
                with open(script, "w") as f:
                    f.write(text)
                result_path = os.path.join(folder, "result.json")
                with open(result_path, "w") as f:  # an earlier run's, passed
                    f.write("{}")
                run = lueng("run", "--summary-export", result_path, *out_args(paths), script)
                self.assertEqual(run.returncode, code, run.stderr)
                verdict = verdict.format(path=script)
                self.assertIn(f"verdict:    {verdict}", run.stdout)
                import json
                with open(result_path) as f:
                    result = json.load(f)
                self.assertEqual(result["exit_code"], code)
                self.assertIn(verdict, result["slos"]["verdict"])
                for kind in ("html", "markdown"):
                    self.assertIn(verdict.split(":")[0], read(paths[kind]), kind)
                junit = ET.parse(paths["junit"]).getroot()
                self.assertEqual(junit.get("errors"), "1")
                self.assertNotIn("1970-", read(paths["junit"]))
                gate = lueng("gate", result_path)
                self.assertEqual(gate.returncode, 2, gate.stdout + gate.stderr)
    def test_os_exit_is_a_script_error_not_the_end_of_the_process(self):
        # It would end lueng with the script's status (0 reads as a pass) and no result.
        run = self.run_script("""
            local lueng = require "lueng"
            function default()
              if lueng.vu.iteration == 1 then os.exit(0) end
            end
        """, "-i", "3")
        self.assertEqual(run.code, 0, run.stderr)
        self.assertIn(f"{run.script_path}:4: os.exit() cannot end a lueng run", run.stderr)
        [error] = run.result["errors"]
        self.assertEqual(error["location"], f"{run.script_path}:4")
        self.assertEqual(run.metric("iterations")["count"], 3)
        self.assertIn("with 1 script error in 3 iterations", run.result["slos"]["verdict"])
    def test_a_table_raised_as_the_error_is_named_with_its_line(self):
        run = self.run_script("""
            local lueng = require "lueng"
            local E = setmetatable({}, { __tostring = function() return "custom failure" end })
            function default()
              if lueng.vu.iteration == 0 then error({ code = 5 }) end
              if lueng.vu.iteration == 1 then error(E) end
            end
            function teardown() error({ code = 7 }) end
        """, "-i", "3")
        self.assertEqual(run.code, 107, run.stderr)
        messages = {e["message"]: e for e in run.result["errors"]}
        path = run.script_path
        self.assertEqual(messages[f"{path}:5: (error object is a table value)"]["location"],
                         f"{path}:5")
        self.assertIn(f"{path}:6: custom failure", messages)
        self.assertEqual(messages[f"{path}:8: (error object is a table value)"]["phase"],
                         "teardown")

if __name__ == "__main__":
    unittest.main()
