"""handleSummary(data), the end-of-run hook (k6's handleSummary, wrk's done()):
it gets the result file as a table, and what it returns goes to stdout (instead
of the summary), stderr or files; a failing hook is a script error (exit 107)
with the default summary printed instead."""

import os
import tempfile

from support import ServerCase


class SummaryHookTest(ServerCase):
    def test_the_hook_sees_the_results_and_writes_stdout_and_files(self):
        folder = tempfile.mkdtemp(prefix="lueng-hook-")
        report = os.path.join(folder, "requests.txt")
        run = self.run_script(f"""
            local http = require "lueng.http"
            options = {{ vus = 2, iterations = 10 }}
            function default() http.get(ENV.BASE_URL .. "/hook") end
            function handleSummary(data)
              local reqs = data.metrics.http_reqs.values.count
              return {{
                stdout = "my summary: " .. reqs .. " requests, exit " .. data.exit_code .. "\\n",
                stderr = "to stderr\\n",
                ["{report}"] = "requests=" .. reqs .. " vus_max=" .. data.max_vus,
              }}
            end
        """)
        self.assertEqual(run.code, 0, run.stderr)
        self.assertEqual(len(self.server.requests), 10)
        self.assertEqual(run.stdout, "my summary: 10 requests, exit 0\n")
        self.assertIn("to stderr", run.stderr)
        with open(report) as f:
            self.assertEqual(f.read(), "requests=10 vus_max=2")
        # The result file is written as ever, and the hook sent nothing.
        self.assertEqual(run.result["metrics"]["http_reqs"]["values"]["count"], 10)

    def test_a_hook_that_returns_nothing_keeps_the_default_summary(self):
        run = self.run_script("""
            options = { iterations = 1 }
            function default() end
            function handleSummary(data) print("hook ran: " .. data.scenarios[1].name) end
        """)
        self.assertEqual(run.code, 0, run.stderr)
        self.assertIn("hook ran: default", run.stderr)
        self.assertIn("iterations", run.stdout)

    def test_a_failing_hook_exits_107_and_prints_the_default_summary(self):
        for body, message in (("error('no report today')", "no report today"),
                              ("return 42", "must return a table of name = text, not a number"),
                              ("return { ['out.txt'] = {} }",
                               "the value of 'out.txt' must be a string, not a table")):
            with self.subTest(body=body):
                run = self.run_script(f"""
                    options = {{ iterations = 1 }}
                    function default() end
                    function handleSummary(data) {body} end
                """)
                self.assertEqual(run.code, 107, run.stderr)
                self.assertIn(message, run.stderr)
                self.assertIn("iterations", run.stdout)
                self.assertEqual(run.result["exit_code"], 107)

    def test_a_file_the_hook_cannot_write_exits_104(self):
        run = self.run_script("""
            options = { iterations = 1 }
            function default() end
            function handleSummary(data) return { ["/nonexistent/dir/out.txt"] = "x" } end
        """)
        self.assertEqual(run.code, 104, run.stderr)
        self.assertIn("/nonexistent/dir/out.txt", run.stderr)
