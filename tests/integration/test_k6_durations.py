"""Durations as k6 reads them: a number alone is milliseconds in a script and a
mistake on the command line; days, a sign and exponents are accepted; a test length
written the old way ("30", meant as seconds) is warned about."""

import os
import tempfile
import time
import unittest

from support import ServerCase, lueng, run_lueng


def script_file(text):
    path = os.path.join(tempfile.mkdtemp(prefix="lueng-durations-"), "script.lua")
    with open(path, "w") as f:
        f.write(text)
    return path

SLOW_CALL = """
local http = require "lueng.http"
function default()
  local res = http.get(ENV.BASE_URL .. "/slow?ms=1500", { timeout = %s })
  print("STATUS " .. res.status)
end
"""


class ScriptDurationTest(ServerCase):
    def timed_call(self, timeout):
        started = time.monotonic()
        run = self.run_script(SLOW_CALL % timeout, "-i", "1")
        return run, time.monotonic() - started

    def test_a_number_alone_in_a_string_is_milliseconds(self):
        # k6: timeout = "300" is 300 ms, so a 1.5 s response times out.
        run, seconds = self.timed_call('"300"')
        self.assertIn("STATUS 0", run.stderr)  # print writes to stderr
        self.assertLess(seconds, 1.4)
        run, _ = self.timed_call('"2"')  # 2 ms: the old reading (2 s) would wait
        self.assertIn("STATUS 0", run.stderr)

    def test_units_still_read_as_written(self):
        run, _ = self.timed_call('"1e4"')  # 10 000 ms
        self.assertIn("STATUS 200", run.stderr)
        run, _ = self.timed_call('"+3s"')
        self.assertIn("STATUS 200", run.stderr)

    def test_days_and_greek_mu_are_durations_and_negatives_are_refused(self):
        path = script_file("""
            options = { scenarios = {
              soak = { executor = "constant-vus", vus = 1, duration = "1d2h", gracefulStop = "5\u03bcs" },
            } }
            function default() end
        """)
        out = lueng("inspect", path)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("26h0m0s", out.stdout)
        negative = run_lueng("""
            options = { scenarios = { s = { executor = "constant-vus", vus = 1, duration = "-1d2h" } } }
            function default() end
        """)
        self.assertEqual(negative.code, 104, negative.stderr)
        self.assertIn("options.scenarios.s.duration: must not be negative", negative.stderr)

    def test_a_test_length_under_a_second_written_as_a_number_is_warned_about(self):
        run = run_lueng("""
            options = { scenarios = { s = { executor = "constant-vus", vus = 1, duration = "30" } } }
            function default() end
        """)
        self.assertEqual(run.code, 0, run.stderr)
        self.assertIn('options.scenarios.s.duration: "30" is 30ms (a number alone is milliseconds, '
                      'as in k6); write "30s" for seconds', run.stderr)
        quiet = run_lueng("""
            options = { scenarios = { s = { executor = "constant-vus", vus = 1, duration = "1500" } } }
            function default() end
        """)
        self.assertEqual(quiet.code, 0, quiet.stderr)
        self.assertNotIn("milliseconds", quiet.stderr)


class FlagDurationTest(unittest.TestCase):
    SCRIPT = "function default() end"

    def test_a_number_alone_on_the_command_line_is_refused_as_k6_does(self):
        for args, message in (
                (["-d", "1000"], "invalid --duration '1000': missing unit in duration "
                                 "(a unit is required: 1000ms or 1000s)"),
                (["--stage", "1000:20"], "invalid --stage '1000:20': duration '1000': missing "
                                         "unit in duration (use DURATION:TARGET, e.g. 1000s:10)"),
                (["--summary-export-interval", "30"], "invalid --summary-export-interval '30': "
                                                      "missing unit in duration"),
                (["-d", "1d"], "invalid --duration '1d': unknown unit 'd' in duration")):
            with self.subTest(args=args):
                run = run_lueng(self.SCRIPT, args)
                self.assertEqual(run.code, 104, run.stderr)
                self.assertIn(message, run.stderr)

    def test_go_durations_with_a_sign_are_accepted(self):
        run = run_lueng(self.SCRIPT, ["-u", "1", "-d", "+300ms"])
        self.assertEqual(run.code, 0, run.stderr)
        self.assertLess(run.result["duration_seconds"], 5)


if __name__ == "__main__":
    unittest.main()
