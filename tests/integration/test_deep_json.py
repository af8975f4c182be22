"""JSON nested far deeper than any real document (200,000 '[' once overflowed the
stack of RapidJSON's recursive parser and crashed lueng with SIGSEGV, even inside
pcall): res:json() and lueng.json.decode raise Lua errors that pcall catches,
json.encode refuses tables as deep and cycles, and a result file as deep is a bad
file (exit 104, the file named) for validate, report, compare and run --baseline."""

import os
import tempfile
import unittest

from support import ServerCase, lueng, raw_response, run_lueng

DEEP = b"[" * 200_000
MESSAGE = "JSON nested deeper than 1000 levels"


class DeepJsonInScriptsTest(ServerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server.routes["/deep"] = lambda r: raw_response(
            200, DEEP, {"Content-Type": "application/json"})

    def script_lines(self, run, prefix):
        return [line[len(prefix):] for line in run.stderr.splitlines() if line.startswith(prefix)]

    def test_res_json_of_a_deep_body_is_an_error_pcall_catches(self):
        run = self.run_ok("""
            local http = require "lueng.http"
            function default()
              local res = http.get(ENV.BASE_URL .. "/deep")
              local ok, err = pcall(function() return res:json() end)
              print("RES:" .. tostring(ok) .. " " .. tostring(err))
              print("STATUS:" .. res.status .. " " .. #res.body)
            end
        """)
        self.assertEqual(self.script_lines(run, "STATUS:"), ["200 200000"])
        [line] = self.script_lines(run, "RES:")
        self.assertTrue(line.startswith("false "), line)
        self.assertIn("res:json(): the body is not JSON: " + MESSAGE +
                      " at line 1, column 1001 (offset 1000)", line)

    def test_json_decode_and_encode_stop_at_1000_levels(self):
        run = self.run_ok("""
            local json = require "lueng.json"
            local function try(fn, ...)
              local ok, err = pcall(fn, ...)
              return ok and "ok" or tostring(err)
            end
            function default()
              print("DEEP:" .. try(json.decode, string.rep("[", 200000)))
              print("OBJECTS:" .. try(json.decode, string.rep('{"a":', 1001) .. "1" .. string.rep("}", 1001)))
              local limit = string.rep("[", 1000) .. "1" .. string.rep("]", 1000)
              print("LIMIT:" .. tostring(json.encode(json.decode(limit)) == limit))
              local t = {}
              for _ = 1, 1000 do t = { t } end
              print("ENCODE:" .. try(json.encode, t))
              local cycle = {}
              cycle.self = cycle
              print("CYCLE:" .. try(json.encode, cycle))
            end
        """)
        [deep] = self.script_lines(run, "DEEP:")
        self.assertIn("json.decode: " + MESSAGE + " at line 1, column 1001 (offset 1000)", deep)
        [objects] = self.script_lines(run, "OBJECTS:")
        self.assertIn("json.decode: " + MESSAGE + " at line 1, column 5001 (offset 5000)", objects)
        self.assertEqual(self.script_lines(run, "LIMIT:"), ["true"])
        # 1000 tables around an empty one: 1001 levels.
        [encode] = self.script_lines(run, "ENCODE:")
        self.assertIn("json.encode: value nested deeper than 1000 levels (a cycle?)", encode)
        [cycle] = self.script_lines(run, "CYCLE:")
        self.assertIn("json.encode: value nested deeper than 1000 levels (a cycle?)", cycle)


class DeepResultFileTest(unittest.TestCase):
    # An object around 999 arrays is 1000 levels; the next '[' goes over.
    PREFIX = b'{"schema":"lueng.result/1","options":'

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="lueng-deep-json-")
        cls.deep = os.path.join(cls.dir, "deep.json")
        with open(cls.deep, "wb") as f:
            f.write(cls.PREFIX + DEEP)

    def assertRefused(self, code, stderr, command):
        self.assertEqual(code, 104, stderr)
        offset = len(self.PREFIX) + 999
        self.assertIn(f"lueng {command}: {self.deep}: not JSON: {MESSAGE} at offset {offset}",
                      stderr)

    def test_validate_report_and_compare_exit_104_naming_the_file(self):
        done = lueng("validate", self.deep)
        self.assertRefused(done.returncode, done.stderr, "validate")
        html = os.path.join(self.dir, "report.html")
        done = lueng("report", self.deep, "--html", html)
        self.assertRefused(done.returncode, done.stderr, "report")
        self.assertFalse(os.path.exists(html))
        done = lueng("compare", self.deep, self.deep)
        self.assertRefused(done.returncode, done.stderr, "compare")

    def test_run_with_a_deep_baseline_exits_104_before_the_script_runs(self):
        run = run_lueng("error('must not run')\nfunction default() end", ["--baseline", self.deep])
        self.assertRefused(run.code, run.stderr, "run")
        self.assertNotIn("must not run", run.stderr)


if __name__ == "__main__":
    unittest.main()
