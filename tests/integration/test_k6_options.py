"""Options checked as k6 checks them: the flags of k6's config consolidation
table that lueng parses itself (each refused with exit 104), the config file
and K6_* variables at work in a real run, shortcuts next to scenarios, scenario
names, and `scenarios = {}` (one iteration, with k6's warning). The rest of the
tables are unit tests (tests/unit/exec/test_k6_*)."""

import os
import tempfile
import unittest

from support import ServerCase, lueng, run_lueng

PLAIN = "function default() end\n"


def script_file(text=PLAIN):
    path = os.path.join(tempfile.mkdtemp(prefix="lueng-k6-options-"), "script.lua")
    with open(path, "w") as f:
        f.write(text)
    return path


class CommandLineTableTest(unittest.TestCase):
    # k6 internal/cmd/config_consolidation_test.go, cases #2-#8 and #18: flags k6
    # refuses before it reads a script; lueng refuses each with exit 104.
    def test_flags_k6_refuses_are_refused(self):
        path = script_file()
        cases = [
            ["--blah", "blah"],               # #2
            ["--duration", "blah"],           # #3
            ["--duration", "1000"],           # #4: a unit is required
            ["--iterations", "blah"],         # #5
            ["--execution", ""],              # #6: no such flag
            ["--stage", "10:20s"],            # #7
            ["--stage", "1000:20"],           # #8
            ["-s", "10s:5", "-s", "10s:"],    # #18: a stage without a target
        ]
        for flags in cases:
            with self.subTest(flags=flags):
                out = lueng("inspect", *flags, path)
                self.assertEqual(out.returncode, 104, out.stdout + out.stderr)


def config_file(text):
    path = os.path.join(tempfile.mkdtemp(prefix="lueng-k6-config-"), "config.json")
    with open(path, "w") as f:
        f.write(text)
    return path


class ConfigLevelsTest(unittest.TestCase):
    # k6 internal/cmd/config_consolidation_test.go, cases #32 and #33: a config
    # file that does not parse, or is not there, is refused (exit 104, naming it).
    def test_a_config_file_that_cannot_be_read_is_refused(self):
        wrong = config_file("wrong-json")
        for flags, env in ((["--config", wrong], {}),        # #32, named with --config
                           ([], {"K6_CONFIG": wrong}),        # #32, named with K6_CONFIG
                           (["--config", "/my/config.file"], {})):  # #33
            with self.subTest(flags=flags, env=env):
                run = run_lueng(PLAIN, args=flags, env=env)
                self.assertEqual(run.code, 104, run.stderr)
                named = flags[1] if flags else wrong
                self.assertIn(f"config file '{named}'", run.stderr)
                self.assertIsNone(run.result)

    def test_k6_variables_with_bad_values_are_refused(self):
        # #30 and #75 end to end; their messages are the unit tests'.
        for env, variable in (({"K6_STAGES": "1000:100"}, "K6_STAGES"),
                              ({"K6_NO_SETUP": "false", "K6_NO_TEARDOWN": "bool"},
                               "K6_NO_TEARDOWN")):
            with self.subTest(env=env):
                run = run_lueng(PLAIN, env=env)
                self.assertEqual(run.code, 104, run.stderr)
                self.assertIn(f"lueng run: {variable}: ", run.stderr)

    def test_the_levels_stack_file_script_environment_command_line(self):
        path = config_file('{"vus": 2, "iterations": 3, "noSetup": true, '
                           '"tags": {"from_file": "f", "level": "file"}, "out": ["json=x"]}')
        script = """
            local lueng = require "lueng"
            options = { iterations = 4, tags = { level = "script" } }
            function setup() print("SETUP RAN") end
            function default()
              print("OPTIONS vus=" .. tostring(lueng.test.options.vus) ..
                    " iterations=" .. tostring(lueng.test.options.iterations))
            end
        """
        run = run_lueng(script, args=["-c", path, "--tag", "level=cli"],
                        env={"K6_ITERATIONS": "6", "K6_TAGS": "from_env:e", "K6_RPS": "5"})
        self.assertEqual(run.code, 0, run.stderr)
        scenario = run.result["scenarios"][0]
        self.assertEqual(scenario["executor"], "shared-iterations")
        self.assertEqual((scenario["vus"], scenario["iterations"]), (2, 6))
        self.assertNotIn("SETUP RAN", run.stderr)  # the file's noSetup
        self.assertIn("OPTIONS vus=2 iterations=6", run.stderr)
        self.assertIn("K6_RPS: a k6 option lueng does not implement", run.stderr)
        self.assertIn(f"config file '{path}': out: a setting of k6's command", run.stderr)
        # Tags merge over the levels, the command line's winning a name all give.
        self.assertEqual(scenario["tags"], {"from_file": "f", "from_env": "e", "level": "cli"})
        # The result file keeps the options the test ran with, stacked.
        self.assertEqual(run.result["options"]["iterations"], 6)
        self.assertEqual(run.result["options"]["vus"], 2)

    def test_an_option_from_a_level_is_named_in_its_error(self):
        path = config_file('{"vus": "many"}')
        run = run_lueng(PLAIN, args=["--config", path])
        self.assertEqual(run.code, 104, run.stderr)
        self.assertIn(f"options.vus: ", run.stderr)
        self.assertIn(f"(vus set by config file '{path}')", run.stderr)
        run = run_lueng(PLAIN, env={"K6_VUS": "4", "K6_ITERATIONS": "2"})
        self.assertEqual(run.code, 104, run.stderr)
        self.assertIn("(iterations set by K6_ITERATIONS, vus set by K6_VUS)", run.stderr)


class ScenarioOptionsTest(unittest.TestCase):
    def test_shortcuts_next_to_scenarios_are_refused(self):
        for shortcut in ('iterations = 5', 'duration = "10s"',
                         'stages = { { duration = "1s", target = 1 } }'):
            with self.subTest(shortcut=shortcut):
                name = shortcut.split(" ")[0]
                run = run_lueng(f"""
                    options = {{ {shortcut},
                      scenarios = {{ s = {{ executor = "constant-vus", duration = "1s" }} }} }}
                    function default() end
                """)
                self.assertEqual(run.code, 104, run.stderr)
                self.assertIn(f"using `{name}` and `scenarios` options simultaneously is not "
                              "allowed", run.stderr)

    def test_scenario_names_as_k6_allows_them(self):
        for name in ("", "two words", "with.dot"):
            with self.subTest(name=name):
                run = run_lueng(f"""
                    options = {{ scenarios = {{ ["{name}"] = {{ executor = "per-vu-iterations" }} }} }}
                    function default() end
                """)
                self.assertEqual(run.code, 104, run.stderr)
                self.assertIn(f'options.scenarios["{name}"]', run.stderr)

    def test_empty_scenarios_run_one_iteration_with_a_warning(self):
        run = run_lueng("""
            options = { scenarios = {} }
            function default() print("ITERATION RAN") end
        """)
        self.assertEqual(run.code, 0, run.stderr)
        self.assertEqual(run.stderr.count("ITERATION RAN"), 1)
        self.assertIn("options.scenarios: was explicitly set to an empty value, running the "
                      "script with 1 iteration in 1 VU", run.stderr)

    def test_vus_alone_share_as_many_iterations_as_vus(self):
        run = run_lueng("""
            options = { vus = 3 }
            function default() print("ITERATION RAN") end
        """)
        self.assertEqual(run.code, 0, run.stderr)
        self.assertEqual(run.stderr.count("ITERATION RAN"), 3)
        self.assertEqual(run.result["scenarios"][0]["executor"], "shared-iterations")


class K6OptionsAtWorkTest(ServerCase):
    def test_hosts_maps_a_name_to_an_address(self):
        port = self.server.base_url.rsplit(":", 1)[1]
        run = self.run_ok(f"""
            local http = require "lueng.http"
            options = {{ hosts = {{ ["hotel.invalid"] = "127.0.0.1" }} }}
            function default()
              local res = http.get("http://hotel.invalid:{port}/hello")
              print("STATUS " .. res.status)
            end
        """)
        self.assertIn("STATUS 200", run.stderr)
        self.assertEqual(self.server.requests[0].headers.get("host"), f"hotel.invalid:{port}")
        bad = self.run_script("""
            options = { hosts = { ["a.test:80"] = "127.0.0.1:8080" } }
            function default() end
        """)
        self.assertEqual(bad.code, 104, bad.stderr)
        self.assertIn("host:port to ip:port mappings are not supported", bad.stderr)

    def test_min_iteration_duration_spaces_a_vus_iterations(self):
        run = self.run_ok("""
            local lueng = require "lueng"
            options = { minIterationDuration = "300ms",
                        scenarios = { s = { executor = "per-vu-iterations", vus = 1, iterations = 3 } } }
            function default() print("START " .. lueng.now()) end
        """)
        starts = [float(line.split("START ", 1)[1]) for line in run.stderr.splitlines()
                  if "START " in line]
        self.assertEqual(len(starts), 3)
        for before, after in zip(starts, starts[1:]):
            self.assertGreaterEqual(after - before, 295)
        # As in k6, the wait is not part of the iteration's duration.
        self.assertLess(run.metric("iteration_duration")["max"], 250)
        self.assertNotIn("minIterationDuration", run.stderr)


if __name__ == "__main__":
    unittest.main()
