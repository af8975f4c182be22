"""Reports that explain failures: a run against the hotel mock whose requests
succeed, get a 404 and hit a closed port lists its failed requests by endpoint,
status and error code, with a count and the first error of each, in the
summary, the result file, the Markdown report and the HTML report (read in
headless Chromium); `lueng merge` adds two such files' counts and keeps the
first message; a file without the table (an older version) gets rows from the
metrics' tags."""

import json
import os
import tempfile
import unittest

from hotel_support import MockCase
from support import free_port, lueng, run_lueng
from test_html_report import CHROMIUM, chromium

ITERATIONS = 12

SCRIPT = """
local http = require "lueng.http"
function default()
  http.get(ENV.BASE_URL .. "/health/live", { tags = { endpoint = "health" } })
  http.get(ENV.BASE_URL .. "/api/v1/reservations/no-such-id", { tags = { endpoint = "reservation" } })
  http.get(ENV.DEAD_URL .. "/down")
end
"""


def rows_by_status(result):
    return {row["status"]: row for row in result["failures"]}


class FailureReportTest(MockCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="lueng-failures-")

    def run_failing(self, name, *extra):
        mock = self.start_mock()
        dead = f"http://127.0.0.1:{free_port()}"
        html = os.path.join(self.dir, f"{name}.html")
        markdown = os.path.join(self.dir, f"{name}.md")
        run = run_lueng(SCRIPT, ["-e", f"BASE_URL=http://127.0.0.1:{mock.port}", "-e",
                                 f"DEAD_URL={dead}", "-u", "2", "-i", str(ITERATIONS), "--out",
                                 f"html={html}", "--out", f"markdown={markdown}", "--no-color",
                                 *extra])
        self.assertEqual(run.code, 0, run.stderr)
        with open(markdown) as f:
            run.markdown = f.read()
        run.html = html
        run.dead = dead
        return run

    def test_the_breakdown_in_every_report(self):
        run = self.run_failing("one")
        rows = rows_by_status(run.result)
        self.assertEqual(set(rows), {0, 404}, run.result["failures"])
        refused, missing = rows[0], rows[404]
        self.assertEqual((refused["method"], refused["endpoint"]), ("GET", run.dead + "/down"))
        self.assertEqual(refused["error_code"], 1212)
        self.assertIn("connection refused", refused["message"])
        self.assertEqual(refused["count"], ITERATIONS)
        self.assertEqual((missing["method"], missing["endpoint"]), ("GET", "reservation"))
        self.assertEqual(missing["error_code"], 1404)  # k6's, as the error_code tag says
        self.assertEqual(missing["count"], ITERATIONS)
        self.assertTrue(missing["message"])
        self.assertEqual(run.result["failures_unlisted"], 0)
        # Every failed request is in the table.
        self.assertEqual(sum(r["count"] for r in run.result["failures"]),
                         run.metric("http_req_failed")["passes"])

        # The summary: one line per row, its count, status, code and first error.
        self.assertIn("failures", run.stdout)
        self.assertRegex(run.stdout, rf"GET {run.dead}/down +{ITERATIONS} +- +1212  .*connection refused")
        self.assertRegex(run.stdout, rf"GET reservation +{ITERATIONS} +404 +1404 ")
        failures = run.stdout[run.stdout.index("     failures"):].split("\n\n")[0]
        self.assertEqual(len(failures.splitlines()), 3, failures)  # the header and two rows
        self.assertNotIn("health", failures)

        # Markdown: a Failures table with the same rows.
        self.assertIn("### Failures", run.markdown)
        self.assertRegex(run.markdown, rf"\| {ITERATIONS} \| GET \| `{run.dead}/down` \| - \| 1212 \| .*connection refused")
        self.assertRegex(run.markdown, rf"\| {ITERATIONS} \| GET \| `reservation` \| 404 \| 1404 \| ")

        # HTML, as Chromium shows it.
        if CHROMIUM:
            dom = chromium("--dump-dom", "file://" + run.html,
                           user_dir=os.path.join(self.dir, "profile")).stdout
            self.assertIn('id="failure-table"', dom)
            table = dom[dom.index('id="failure-table"'):]
            table = table[:table.index("</table>")]
            self.assertEqual(table.count('class="failure"'), 2)
            self.assertIn("connection refused", table)
            self.assertIn(f"<td class=\"n\">{ITERATIONS}</td><td>GET</td><td class=\"name\">reservation</td><td class=\"n\">404</td><td class=\"n\">1404</td>", table)

    def test_merge_adds_counts_and_keeps_the_first_message(self):
        # Two halves of one test, as a distributed run writes them.
        first = self.run_failing("a", "--execution-segment", "0:1/2")
        second = self.run_failing("b", "--execution-segment", "1/2:1")
        half = ITERATIONS // 2
        paths = []
        for name, run in (("a", first), ("b", second)):
            path = os.path.join(self.dir, f"{name}.json")
            with open(path, "w") as f:
                json.dump(run.result, f)
            paths.append(path)
        merged_path = os.path.join(self.dir, "merged.json")
        done = lueng("merge", *paths, "--summary-export", merged_path, "--no-color")
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(merged_path) as f:
            merged = json.load(f)
        rows = merged["failures"]
        self.assertEqual(len(rows), 3, rows)
        # The two runs hit different closed ports: two rows for them, one for the 404s.
        by_endpoint = {row["endpoint"]: row for row in rows}
        self.assertEqual(by_endpoint["reservation"]["count"], ITERATIONS)
        self.assertEqual(by_endpoint["reservation"]["message"],
                         rows_by_status(first.result)[404]["message"])
        self.assertEqual(by_endpoint[first.dead + "/down"]["count"], half)
        self.assertEqual(by_endpoint[second.dead + "/down"]["count"], half)
        self.assertEqual(merged["failures_unlisted"], 0)
        self.assertEqual(rows[0]["endpoint"], "reservation")  # most frequent first
        self.assertRegex(done.stdout, rf"GET reservation +{ITERATIONS} +404 ")

    def test_a_file_without_the_table_gets_rows_from_the_tags(self):
        run = self.run_failing("old")
        del run.result["failures"]
        del run.result["failures_unlisted"]
        path = os.path.join(self.dir, "old.json")
        with open(path, "w") as f:
            json.dump(run.result, f)
        markdown = os.path.join(self.dir, "old-offline.md")
        done = lueng("report", path, "--markdown", markdown)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(markdown) as f:
            text = f.read()
        self.assertRegex(text, rf"\| {ITERATIONS} \| GET \| `{run.dead}/down` \| - \| 1212 \| "
                               r"connection\\_refused \(error\\_code 1212\)")


if __name__ == "__main__":
    unittest.main()
