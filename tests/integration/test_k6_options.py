"""Options checked as k6 checks them: the flags of k6's config consolidation
table that lueng parses itself (each refused with exit 104), the config file
and K6_* variables at work in a real run, shortcuts next to scenarios, scenario
names, and `scenarios = {}` (one iteration, with k6's warning). The rest of the
tables are unit tests (tests/unit/exec/test_k6_*)."""

import json
import os
import tempfile
import time
import unittest

from support import ServerCase, free_port, lueng, raw_response, run_lueng

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

    # k6 lib/executor configMapTestCases #1, #3, #4 and #7: scenarios given as JSON
    # text that does not parse. In a script that is a Lua syntax error; k6's JSON
    # comes to lueng in a --config file, where it is refused as k6 refuses it.
    def test_k6_config_map_text_that_does_not_parse(self):
        directory = tempfile.mkdtemp(prefix="lueng-config-map-")
        for number, text in (("1", ""), ("3", "asdf"), ("4", "'adsf'"), ("7", "{}asdf")):
            with self.subTest(case=number):
                path = os.path.join(directory, f"case{number}.json")
                with open(path, "w") as f:
                    f.write('{"scenarios": ' + text + "}")
                run = run_lueng(PLAIN, args=["--config", path])
                self.assertEqual(run.code, 104, run.stderr)
                self.assertIn(f"config file '{path}'", run.stderr)
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
                        env={"K6_ITERATIONS": "6", "K6_TAGS": "from_env:e", "K6_PAUSED": "true"})
        self.assertEqual(run.code, 0, run.stderr)
        scenario = run.result["scenarios"][0]
        self.assertEqual(scenario["executor"], "shared-iterations")
        self.assertEqual((scenario["vus"], scenario["iterations"]), (2, 6))
        self.assertNotIn("SETUP RAN", run.stderr)  # the file's noSetup
        self.assertIn("OPTIONS vus=2 iterations=6", run.stderr)
        self.assertIn("K6_PAUSED: a k6 option lueng does not implement", run.stderr)
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
        for entry, message in (('["a.test:http"] = "127.0.0.1:8080"',
                                "'a.test:http' is not a host name or HOST:PORT"),
                               ('["b.test"] = "nowhere"',
                                "options.hosts[\"b.test\"]: 'nowhere' must be an IPv4 or IPv6")):
            bad = self.run_script(f"options = {{ hosts = {{ {entry} }} }}\nfunction default() end\n")
            self.assertEqual(bad.code, 104, bad.stderr)
            self.assertIn(message, bad.stderr)

    def test_hosts_maps_a_name_and_port_to_an_address_and_port(self):
        # As k6: "host:port" keys and "ip:port" values; a key with the URL's port
        # wins over the name alone; the Host header stays the URL's.
        port = self.server.base_url.rsplit(":", 1)[1]
        run = self.run_ok(f"""
            local http = require "lueng.http"
            options = {{ hosts = {{ ["api.invalid:443"] = "127.0.0.1:{port}",
                                    ["api.invalid"] = "127.0.0.9",
                                    ["v6.invalid:80"] = "[::1]:9",
                                    ["other.invalid"] = "127.0.0.1:{port}" }} }}
            function default()
              print("MAPPED " .. http.get("http://api.invalid:443/hello").status)
              print("ANY PORT " .. http.get("http://other.invalid:7/hello").status)
              local r = http.get("http://api.invalid:81/hello", {{ timeout = "1s" }})
              print("NAME ONLY " .. r.status .. " " .. r.error)
            end
        """)
        self.assertIn("MAPPED 200", run.stderr)
        self.assertIn("ANY PORT 200", run.stderr)
        # api.invalid:81 is not mapped by port: the name's entry, 127.0.0.9 (port 81, closed).
        self.assertRegex(run.stderr, r"NAME ONLY 0 .*127\.0\.0\.9:81")
        hosts = [r.headers.get("host") for r in self.server.requests]
        self.assertEqual(hosts, ["api.invalid:443", "other.invalid:7"])

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


# Two requests per iteration, three iterations on one VU.
REUSE_SCRIPT = """
    local http = require "lueng.http"
    options = {{ {options}
                scenarios = {{ s = {{ executor = "per-vu-iterations", vus = 1, iterations = 3 }} }} }}
    function default()
      http.get(ENV.BASE_URL .. "/hello")
      http.get(ENV.BASE_URL .. "/hello")
    end
"""


class ConnectionReuseTest(ServerCase):
    def connections_of_requests(self, options="", *flags):
        run = self.run_ok(REUSE_SCRIPT.format(options=options), *flags)
        self.assertEqual(len(self.server.requests), 6)
        self.assertNotIn("ConnectionReuse", run.stderr)  # no "not implemented" warning
        return run, [request.connection for request in self.server.requests]

    def test_a_vu_keeps_one_connection_by_default(self):
        _, connections = self.connections_of_requests()
        self.assertEqual(connections, [1] * 6)
        self.assertEqual(self.server.connections, 1)
        self.assertNotIn("connection", self.server.requests[0].headers)

    def test_no_connection_reuse_opens_one_connection_per_request(self):
        for options, flags in (("noConnectionReuse = true,", ()),
                               ("", ("--no-connection-reuse",))):
            with self.subTest(options=options, flags=flags):
                self.server.reset()
                run, connections = self.connections_of_requests(options, *flags)
                self.assertEqual(sorted(connections), [1, 2, 3, 4, 5, 6])
                self.assertEqual(self.server.connections, 6)
                # As Go's DisableKeepAlives in k6: the server is told so.
                self.assertEqual({r.headers.get("connection") for r in self.server.requests},
                                 {"close"})
                # Every request measured a connect of its own.
                self.assertEqual(run.metric("http_req_connecting")["count"], 6)

    def test_no_vu_connection_reuse_opens_one_connection_per_iteration(self):
        for options, flags in (("noVUConnectionReuse = true,", ()),
                               ("", ("--no-vu-connection-reuse",))):
            with self.subTest(options=options, flags=flags):
                self.server.reset()
                _, connections = self.connections_of_requests(options, *flags)
                # The two requests of an iteration share its connection.
                self.assertEqual(sorted(connections), [1, 1, 2, 2, 3, 3])
                self.assertEqual(self.server.connections, 3)
                self.assertNotIn("connection", self.server.requests[0].headers)

    def test_the_options_must_be_booleans(self):
        for name in ("noConnectionReuse", "noVUConnectionReuse"):
            with self.subTest(name=name):
                run = self.run_script(f'options = {{ {name} = "yes" }}\nfunction default() end\n')
                self.assertEqual(run.code, 104, run.stderr)
                self.assertIn(f"options.{name}: must be true or false", run.stderr)


THROW_SCRIPT = """
    local http = require "lueng.http"
    options = {{ {options} }}
    local closed = "http://127.0.0.1:{closed}/x"
    local function outcome(f)
      local ok, err = pcall(f)
      return ok and "returned" or ("raised " .. tostring(err))
    end
    function default()
      print("PLAIN " .. outcome(function() local res = http.get(closed) end))
      print("PARAM " .. outcome(function() local res = http.get(closed, {{ throw = false }}) end))
      print("404 " .. outcome(function() local res = http.get(ENV.BASE_URL .. "/status?code=404") end))
      print("BATCH " .. outcome(function()
        local responses = http.batch({{ ENV.BASE_URL .. "/hello", closed }})
      end))
    end
"""


class ThrowOptionTest(ServerCase):
    def outcomes(self, options="", *flags):
        run = self.run_ok(THROW_SCRIPT.format(options=options, closed=free_port()), "-i", "1",
                          *flags)
        lines = {}
        for line in run.stderr.splitlines():
            for key in ("PLAIN", "PARAM", "404", "BATCH"):
                if key + " " in line:
                    lines[key] = line.split(key + " ", 1)[1]
        self.assertNotIn("options.throw", run.stderr)  # no "not implemented" warning
        return lines

    def test_without_throw_failed_requests_return_responses(self):
        self.assertEqual(set(self.outcomes().values()), {"returned"})

    def test_throw_makes_every_request_raise_on_a_network_error(self):
        for options, flags in (("throw = true", ()), ("", ("--throw",)), ("", ("-w",))):
            with self.subTest(options=options, flags=flags):
                lines = self.outcomes(options, *flags)
                self.assertIn("raised", lines["PLAIN"])
                self.assertIn("connection refused", lines["PLAIN"])
                self.assertIn("script.lua:", lines["PLAIN"])
                # params.throw still decides for its request; a 4xx is a response.
                self.assertEqual(lines["PARAM"], "returned")
                self.assertEqual(lines["404"], "returned")
                # As k6: a batch with a failed request raises its error.
                self.assertIn("raised", lines["BATCH"])
                self.assertIn("connection refused", lines["BATCH"])

    def test_throw_must_be_a_boolean(self):
        run = self.run_script('options = { throw = 1 }\nfunction default() end\n')
        self.assertEqual(run.code, 104, run.stderr)
        self.assertIn("options.throw: must be true or false", run.stderr)


SUMMARY_SCRIPT = """
    local http = require "lueng.http"
    options = {{ iterations = 2, {options} }}
    function default() http.get(ENV.BASE_URL .. "/hello") end
"""


class SummaryOptionsTest(ServerCase):
    def summary(self, options="", *flags):
        run = self.run_ok(SUMMARY_SCRIPT.format(options=options), *flags)
        lines = {}
        for line in run.stdout.splitlines():
            name, dots, values = line.strip().partition("...")
            if dots:
                lines[name] = values.lstrip(".: ")
        self.assertNotIn("options.summary", run.stderr)  # no "not implemented" warning
        return run, lines

    def columns(self, line):
        return [part.split("=", 1)[0] for part in line.split()]

    # k6 consolidation #56, a documented difference (docs/from-k6.md): lueng's default
    # adds p(99) to k6's avg, min, med, max, p(90), p(95).
    def test_lueng_default_columns(self):
        _, lines = self.summary()
        self.assertEqual(self.columns(lines["http_req_duration"]),
                         ["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)"])

    def test_summary_trend_stats_chooses_the_columns(self):
        run, lines = self.summary('summaryTrendStats = { "avg", "p(99.9)", "count" }')
        self.assertEqual(self.columns(lines["http_req_duration"]), ["avg", "p(99.9)", "count"])
        # A count is a plain number, as in k6.
        self.assertIn("count=2", lines["http_req_duration"])
        self.assertIn("count=2", lines["iteration_duration"])
        self.assertEqual(run.result["options"]["summaryTrendStats"], ["avg", "p(99.9)", "count"])

    def test_summary_time_unit_puts_every_duration_in_one_unit(self):
        for unit, suffix in (("s", "s"), ("ms", "ms"), ("us", "µs")):
            with self.subTest(unit=unit):
                _, lines = self.summary(f'summaryTimeUnit = "{unit}"')
                for value in lines["http_req_duration"].split():
                    number = value.split("=", 1)[1]
                    self.assertRegex(number, r"^\d+\.\d\d" + suffix + "$")

    def test_the_command_line_wins_over_the_script(self):
        run, lines = self.summary('summaryTrendStats = { "avg" }, summary_time_unit = "s"',
                                  "--summary-trend-stats", "max,p(95)",
                                  "--summary-time-unit", "us")
        self.assertEqual(self.columns(lines["http_req_duration"]), ["max", "p(95)"])
        self.assertTrue(lines["http_req_duration"].endswith("µs"), lines["http_req_duration"])
        self.assertEqual(run.result["options"]["summaryTrendStats"], ["max", "p(95)"])
        self.assertEqual(run.result["options"]["summaryTimeUnit"], "us")
        self.assertNotIn("summary_time_unit", run.result["options"])

    def test_bad_values_exit_104_naming_the_option(self):
        cases = [
            ('summaryTrendStats = { "avg", "p95" }', (),
             "options.summaryTrendStats: invalid trend stat 'p95', unknown format"),
            ('summaryTrendStats = "avg"', (), "options.summaryTrendStats: must be a list"),
            ('summaryTimeUnit = "m"', (),
             "options.summaryTimeUnit: invalid summary time unit 'm', use 's', 'ms' or 'us'"),
            ("", ("--summary-time-unit", "ns"),
             "--summary-time-unit: invalid summary time unit 'ns', use 's', 'ms' or 'us'"),
        ]
        for options, flags, message in cases:
            with self.subTest(options=options, flags=flags):
                run = self.run_script(SUMMARY_SCRIPT.format(options=options), *flags)
                self.assertEqual(run.code, 104, run.stderr)
                self.assertIn(message, run.stderr)

    # k6 internal/cmd/config_consolidation_test.go, the summaryTrendStats cases.
    def test_k6_consolidation_cases(self):
        accepted = [
            (("--summary-trend-stats", ""), "", []),                                    # #57
            (("--summary-trend-stats", "med,avg,p(99.999)"), "", ["med", "avg", "p(99.999)"]),  # #62
            ((), 'summaryTrendStats = { "avg", "p(90)", "count" }', ["avg", "p(90)", "count"]),  # #63
        ]
        for flags, options, stats in accepted:
            with self.subTest(flags=flags, options=options):
                run, lines = self.summary(options, *flags)
                self.assertEqual(run.result["options"]["summaryTrendStats"], stats)
                self.assertEqual(self.columns(lines["http_req_duration"]), stats)
        refused = [
            ("coun", "invalid trend stat 'coun', unknown format"),                   # #58
            ("med,avg,p(", "invalid trend stat 'p(', unknown format"),               # #59
            ("med,avg,p(-1)", "invalid percentile trend stat value 'p(-1)'"),        # #60
            ("med,avg,p(101)", "invalid percentile trend stat value 'p(101)'"),      # #61
        ]
        for stats, message in refused:
            with self.subTest(stats=stats):
                run = self.run_script(SUMMARY_SCRIPT.format(options=""),
                                      "--summary-trend-stats", stats)
                self.assertEqual(run.code, 104, run.stderr)
                self.assertIn("--summary-trend-stats: " + message, run.stderr)


TAGS_SCRIPT = """
    local http = require "lueng.http"
    local lueng = require "lueng"
    options = {{ iterations = 1, {options} }}
    function default()
      local res = http.get(ENV.BASE_URL .. "/hello", {{ tags = {{ team = "a" }} }})
      lueng.check(res, {{ ["is 200"] = function(r) return r.status == 200 end }})
      http.get(ENV.BASE_URL .. "/hello", {{ tags = {{ name = "named" }} }})
    end
"""

K6_DEFAULT_HTTP_TAGS = {"proto", "status", "method", "url", "name", "group", "scenario",
                        "expected_response"}


class SystemTagsTest(ServerCase):
    def tags(self, options="", *flags, env=None):
        """The tag names of the first sample of each metric (and of the named request)."""
        path = os.path.join(tempfile.mkdtemp(prefix="lueng-system-tags-"), "samples.json")
        run = self.run_script(TAGS_SCRIPT.format(options=options), "-o", f"json={path}", *flags,
                              env=env)
        self.assertEqual(run.code, 0, run.stdout + run.stderr)
        first = {}
        with open(path) as f:
            for line in f:
                sample = json.loads(line)
                if sample["type"] != "Point":
                    continue
                tags = sample["data"]["tags"]
                key = sample["metric"]
                if key == "http_reqs" and tags.get("name") == "named":
                    key = "named"
                first.setdefault(key, tags)
        return run, first

    def test_k6_default_set(self):  # k6 consolidation #46
        _, tags = self.tags()
        self.assertEqual(set(tags["http_reqs"]), K6_DEFAULT_HTTP_TAGS | {"team"})
        self.assertEqual(set(tags["checks"]), {"check", "group", "scenario"})
        self.assertEqual(set(tags["iterations"]), {"group", "scenario"})

    def test_system_tags_choose_the_tags(self):
        run, tags = self.run_and_check('systemTags = { "status", "ip", "check" }')
        self.assertEqual(tags["http_reqs"], {"status": "200", "ip": "127.0.0.1", "team": "a"})
        self.assertEqual(tags["checks"], {"check": "is 200"})
        self.assertEqual(tags["iterations"], {})
        # A name the script gives is its own tag, kept.
        self.assertEqual(tags["named"], {"status": "200", "ip": "127.0.0.1", "name": "named"})
        # The summary lists the checks from their tags.
        self.assertIn("✓ is 200", run.stdout)

    def run_and_check(self, options, *flags):
        run, tags = self.tags(options, *flags)
        self.assertNotIn("not implement", run.stderr)
        return run, tags

    def test_none_at_all(self):
        for options, flags in (("systemTags = {}", ()),
                               ("", ("--system-tags", '""')),   # k6 consolidation #47
                               ("", ("--system-tags", ""))):
            with self.subTest(options=options, flags=flags):
                _, tags = self.run_and_check(options, *flags)
                self.assertEqual(tags["http_reqs"], {"team": "a"})
                self.assertEqual(tags["checks"], {})
                self.assertEqual(tags["vus"], {})

    def test_k6_consolidation_48_49_from_k6_system_tags(self):
        _, tags = self.tags(env={"K6_SYSTEM_TAGS": '""'})  # #48: none
        self.assertEqual(tags["http_reqs"], {"team": "a"})
        _, tags = self.tags(env={"K6_SYSTEM_TAGS": "proto,method"})  # #49
        self.assertEqual(set(tags["http_reqs"]), {"proto", "method", "team"})
        # The variable over the script, the command line over both.
        _, tags = self.tags('systemTags = { "status" }', env={"K6_SYSTEM_TAGS": "method"})
        self.assertEqual(set(tags["http_reqs"]), {"method", "team"})
        _, tags = self.tags("", "--system-tags", "url", env={"K6_SYSTEM_TAGS": "method"})
        self.assertEqual(set(tags["http_reqs"]), {"url", "team"})

    def test_the_command_line_wins_over_the_script(self):
        _, tags = self.run_and_check('systemTags = { "status" }', "--system-tags", "method, url")
        self.assertEqual(set(tags["http_reqs"]), {"method", "url", "team"})

    def test_vu_and_iter_are_metadata_as_in_k6(self):
        path = os.path.join(tempfile.mkdtemp(prefix="lueng-vu-iter-"), "samples.json")
        run = self.run_script("""
            local http = require "lueng.http"
            options = { scenarios = { s = { executor = "per-vu-iterations", vus = 2, iterations = 3 } },
                        systemTags = { "status", "vu", "iter" } }
            function default() http.get(ENV.BASE_URL .. "/hello") end
        """, "-o", f"json={path}")
        self.assertEqual(run.code, 0, run.stderr)
        self.assertNotIn("systemTags", run.stderr)
        seen = set()
        with open(path) as f:
            for line in f:
                sample = json.loads(line)
                if sample["type"] == "Point" and sample["metric"] == "http_reqs":
                    self.assertEqual(sample["data"]["tags"], {"status": "200"})
                    metadata = sample["data"]["metadata"]
                    seen.add((metadata["vu"], metadata["iter"]))
        self.assertEqual(seen, {(vu, it) for vu in ("1", "2") for it in ("0", "1", "2")})
        # Metadata makes no series: one per status, as without vu and iter.
        self.assertEqual(len(run.result["metrics"]["http_reqs"]["series"]), 1)

    def test_k6_consolidation_50_the_scripts_set(self):
        # subproto (WebSockets) has nothing to tag in an HTTP request, as in k6.
        _, tags = self.run_and_check('systemTags = { "subproto", "url" }')
        self.assertEqual(set(tags["http_reqs"]), {"url", "team"})

    def test_unknown_names_are_warned_about_and_ignored(self):
        run, tags = self.tags('systemTags = { "status", "stauts" }')
        self.assertIn("options.systemTags: 'stauts' is no system tag; ignored", run.stderr)
        self.assertEqual(set(tags["http_reqs"]), {"status", "team"})
        run, _ = self.tags("", "--system-tags", "status,bogus")
        self.assertIn("--system-tags: 'bogus' is no system tag; ignored", run.stderr)

    def test_a_bad_value_exits_104(self):
        run = self.run_script(TAGS_SCRIPT.format(options='systemTags = "status"'))
        self.assertEqual(run.code, 104, run.stderr)
        self.assertIn("options.systemTags: must be a list of system tag names", run.stderr)


RPS_SCRIPT = """
    local http = require "lueng.http"
    options = {{ {options}
                scenarios = {{ s = {{ executor = "{executor}", vus = 5, {load}, gracefulStop = "0s" }} }} }}
    function default() http.get(ENV.BASE_URL .. "/stamp") end
"""


class RpsTest(ServerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.arrivals = []
        cls.server.routes["/stamp"] = cls.stamp

    @classmethod
    def stamp(cls, request):
        cls.arrivals.append(time.monotonic())
        return raw_response(200, b"ok")

    def setUp(self):
        super().setUp()
        self.arrivals.clear()

    def test_rps_caps_the_requests_of_all_vus(self):
        # 5 VUs for 1 s would send hundreds; 20 per second over 2 workers is 20, and
        # at most one more started as the test began.
        for options, flags in (("rps = 20,", ()), ("", ("--rps", "20"))):
            with self.subTest(options=options, flags=flags):
                run = self.run_ok(RPS_SCRIPT.format(options=options, executor="constant-vus",
                                                    load='duration = "1s"'),
                                  "--threads", "2", *flags)
                self.assertLessEqual(run.metric("http_reqs")["count"], 21)
                self.assertGreaterEqual(run.metric("http_reqs")["count"], 1)
                self.assertNotIn("options.rps", run.stderr)

    def test_requests_are_spaced_by_the_pace(self):
        # 11 requests at 20 per second start 0.5 s apart from first to last, however
        # fast the VUs and the machine (the first may come a connect late: 0.1 s).
        self.run_ok(RPS_SCRIPT.format(options="rps = 20,", executor="shared-iterations",
                                      load="iterations = 11"), "--threads", "2")
        self.assertEqual(len(self.arrivals), 11)
        self.assertGreaterEqual(self.arrivals[-1] - self.arrivals[0], 0.4)

    def test_without_rps_the_same_vus_go_faster(self):
        run = self.run_ok(RPS_SCRIPT.format(options="", executor="constant-vus",
                                            load='duration = "1s"'), "--threads", "2")
        self.assertGreater(run.metric("http_reqs")["count"], 21)


if __name__ == "__main__":
    unittest.main()
