"""The mistakes of a first hour with lueng get a hint instead of silence or a bare
error: a misspelled command or module function (`http.gett`), `local options`,
`local function default`, -d on a script whose scenarios run named functions,
scenarios listed in another order than the script's, and an output folder that
does not exist (said before the run, leaving no file behind)."""

import os
import select
import subprocess
import tempfile
import time
import unittest

from support import LUENG, ServerCase, check_sanitizers, lueng


class FirstHourTest(ServerCase):
    def test_a_misspelled_command_gets_a_did_you_mean(self):
        done = lueng("runn", "x.lua")
        self.assertEqual(done.returncode, 104)
        self.assertIn("unknown command 'runn' (did you mean 'run'?)", done.stderr)
        done = lueng("deploy")
        self.assertEqual(done.returncode, 104)
        self.assertNotIn("did you mean", done.stderr)

    def test_misspelled_request_parameters_are_named_once(self):
        run = self.run_script('local http = require "lueng.http"\n'
                              'function default() http.get(ENV.BASE_URL .. "/hello", '
                              '{ header = { A = "1" }, tag = { x = "y" }, timout = "1s", flavour = 1 }) end\n',
                              "-i", "5")
        self.assertEqual(run.code, 0, run.stderr)
        for wrong, right in (("header", "headers"), ("tag", "tags"), ("timout", "timeout")):
            line = f"params.{wrong} is not a request parameter; ignored (did you mean {right}?)"
            self.assertEqual(run.stderr.count(line), 1, run.stderr)
        self.assertIn("params.flavour is not a request parameter; ignored\n", run.stderr)
        run = self.run_script('local http = require "lueng.http"\n'
                              'function default() http.get(ENV.BASE_URL .. "/hello", '
                              '{ headers = { A = "1" }, tags = { x = "y" }, timeout = "1s" }) end\n',
                              "-i", "1")
        self.assertNotIn("not a request parameter", run.stderr)

    def test_local_options_are_named_as_ignored(self):
        run = self.run_script('local http = require "lueng.http"\n'
                              'local options = { vus = 3, iterations = 6 }\n'
                              'function default() http.get(ENV.BASE_URL .. "/hello") end\n',
                              "-i", "1")
        self.assertEqual(run.code, 0, run.stderr)
        self.assertIn("`local options = ...` is not read: lueng reads the global `options`",
                      run.stderr)
        run = self.run_script('options = { iterations = 1 }\nfunction default() end\n')
        self.assertNotIn("local options", run.stderr)

    def test_a_k6_script_run_as_it_is_points_to_the_porting_guide(self):
        run = self.run_script("import http from 'k6/http';\n"
                              "export const options = { vus: 1 };\n"
                              "export default function () {\n"
                              "  http.get('http://127.0.0.1:8000/');\n"
                              "}\n")
        self.assertEqual(run.code, 107)
        self.assertIn(":1: '=' expected near 'http'", run.stderr)
        self.assertIn("hint: this looks like a k6 JavaScript script", run.stderr)
        self.assertIn("docs/from-k6.md", run.stderr)
        # A Lua syntax error of a Lua script gets Lua's message alone.
        run = self.run_script("function default()\n  local x = = 1\nend\n")
        self.assertEqual(run.code, 107)
        self.assertNotIn("k6", run.stderr)

    def test_a_local_default_function_is_named(self):
        run = self.run_script("local function default() end\n", "-i", "1")
        self.assertEqual(run.code, 107)
        self.assertIn("the script defines no function default() (`local function default` is "
                      "not seen by lueng: drop the `local`)", run.stderr)

    def test_duration_on_a_script_of_named_exec_functions_says_why_default_is_missing(self):
        script = ('options = { scenarios = { guests = { executor = "constant-vus", vus = 1,\n'
                  '  duration = "1s", exec = "browse" } } }\nfunction browse() end\n')
        run = self.run_script(script, "-d", "1s")
        self.assertEqual(run.code, 107)
        self.assertIn("replace options.scenarios with one scenario running default(), and this "
                      "script's scenarios run browse", run.stderr)

    def test_the_banner_comes_first_and_a_progress_line_early_without_a_terminal(self):
        script = os.path.join(tempfile.mkdtemp(prefix="lueng-first-hour-"), "slow.lua")
        with open(script, "w") as f:
            f.write('local http = require "lueng.http"\nlocal lueng = require "lueng"\n'
                    'function default() http.get(ENV.BASE_URL .. "/hello"); lueng.sleep(0.2) end\n')
        process = subprocess.Popen([LUENG, "run", "-d", "8s", "-e", f"BASE_URL={self.server.base_url}",
                                    script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            def first_line_with(stream, text, seconds):
                deadline, seen = time.time() + seconds, b""
                while time.time() < deadline and text not in seen:
                    ready, _, _ = select.select([stream], [], [], 0.2)
                    if ready:
                        seen += os.read(stream.fileno(), 65536)
                return seen
            out = first_line_with(process.stdout, b"scenarios:", 5)
            self.assertIn(b"default: 1 looping VUs for 8s", out)
            err = first_line_with(process.stderr, b"running (", 5)
            self.assertIn(b"running (", err)
            self.assertIsNone(process.poll(), "both came while the test ran")
        finally:
            rest, errors = process.communicate(timeout=60)
        check_sanitizers(errors)
        self.assertEqual(process.returncode, 0)
        self.assertNotIn(b"scenarios:", rest, "the summary does not repeat the banner")

    def test_a_misspelled_module_function_gets_a_did_you_mean(self):
        run = self.run_script('local http = require "lueng.http"\n'
                              'function default() http.gett(ENV.BASE_URL .. "/hello") end\n',
                              "-i", "2")
        self.assertEqual(run.code, 107, run.stderr)
        self.assertIn("script.lua:2: http.gett is not a function of http (did you mean http.get?)",
                      run.stderr)
        self.assertNotIn("attempt to call field", run.stderr)
        # In the init code too, with a module bound to another name and a method call.
        run = self.run_script('local core = require("lueng")\ncore.slep(1)\n'
                              'function default() end\n', "-i", "1")
        self.assertEqual(run.code, 107, run.stderr)
        self.assertIn("script.lua:2: core.slep is not a function of core (did you mean core.sleep?)",
                      run.stderr)
        # Nothing near: Lua's own message. Reading a missing field is no error at all.
        run = self.run_script('local http = require "lueng.http"\n'
                              'function default()\n'
                              '  if http.websocket == nil and not http.gett then return end\n'
                              '  http.teleport()\nend\n', "-i", "1")
        self.assertEqual(run.code, 0, run.stderr)
        run = self.run_script('local http = require "lueng.http"\n'
                              'function default() http.teleport() end\n', "-i", "1")
        self.assertEqual(run.code, 107, run.stderr)
        self.assertIn("attempt to call field 'teleport' (a nil value)", run.stderr)

    def test_scenarios_are_listed_in_the_scripts_order(self):
        # Written zeta, alpha, then mid starting later; Lua's hash order is another.
        script = ('options = { scenarios = {\n'
                  '  zeta = { executor = "per-vu-iterations", vus = 1, iterations = 1 },\n'
                  '  alpha = { executor = "per-vu-iterations", vus = 1, iterations = 1 },\n'
                  '  ["mid-way"] = { executor = "per-vu-iterations", vus = 1, iterations = 1,\n'
                  '                  startTime = "100ms" },\n'
                  '  beta = { executor = "per-vu-iterations", vus = 1, iterations = 1 },\n'
                  '} }\nfunction default() end\n')
        run = self.run_script(script)
        self.assertEqual(run.code, 0, run.stderr)
        names = ["zeta", "alpha", "beta", "mid-way"]
        self.assertEqual([s["name"] for s in run.result["scenarios"]], names)
        banner = run.stdout[run.stdout.index("scenarios:"):]
        positions = [banner.index(f"{name}: ") for name in names]
        self.assertEqual(positions, sorted(positions), banner)
        inspected = lueng("inspect", run.script_path).stdout
        positions = [inspected.index(f"{name}: ") for name in names]
        self.assertEqual(positions, sorted(positions), inspected)

    def test_an_output_folder_that_does_not_exist_is_named_before_the_run(self):
        folder = tempfile.mkdtemp(prefix="lueng-first-hour-")
        prefix = os.path.join(folder, "results", "locust")
        run = self.run_script('local http = require "lueng.http"\n'
                              'function default() http.get(ENV.BASE_URL .. "/hello") end\n',
                              "-i", "1", "--csv", prefix)
        self.assertEqual(run.code, 104)
        self.assertIn("no folder", run.stderr)
        self.assertEqual(self.server.requests, [], "nothing ran")
        self.assertEqual(os.listdir(folder), [], "no empty file left behind")


if __name__ == "__main__":
    unittest.main()
