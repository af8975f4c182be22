"""A VU whose iteration ended cleanly after waiting starts its next one without
leaving its coroutine when its executor restarts it at once
(Vu::end_iteration_in_script, docs/architecture.md). Each such iteration must
still begin as one started from the loop does: its number, its group, its
iteration sample, its cookie jar, a lueng.fail() the script caught forgotten."""

import unittest

from support import ServerCase, raw_response

# Every iteration waits (a sleep or a request), so each may follow the last at once.
ITERATION_CHECKS = """
    local http = require "lueng.http"
    local lueng = require "lueng"
    last = -1  -- a global: each VU has its own
    function default()
      lueng.check(lueng.vu, {
        ["the iteration number follows the last"] = function(vu) return vu.iteration == last + 1 end,
        ["__ITER is the iteration number"] = function(vu) return __ITER == vu.iteration end,
        ["the group is the root"] = function(vu) return vu.tags.group == "" end,
        ["the cookie jar is empty"] = function()
          return next(http.cookieJar():cookiesForURL(ENV.BASE_URL .. "/")) == nil
        end,
      })
      last = lueng.vu.iteration
      lueng.group("inside", function()
        http.get(ENV.BASE_URL .. "/set-cookie?iteration=" .. last)
        lueng.sleep(0.001)
      end)
    end
"""


class BackToBackIterationsTest(ServerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server.routes["/set-cookie"] = lambda r: raw_response(
            200, b"", {"Set-Cookie": "iteration=" + r.query.get("iteration", "") + "; Path=/"})

    def assert_every_check_passed(self, run, iterations):
        self.assertEqual(run.code, 0, run.stdout + run.stderr)
        self.assertEqual(run.metric("iterations")["count"], iterations)
        self.assertEqual(run.metric("iteration_duration")["count"], iterations)
        # Each iteration slept 1 ms: its duration is its own, not its predecessor's.
        self.assertGreaterEqual(run.metric("iteration_duration")["min"], 1.0)
        self.assertEqual(run.metric("checks")["fails"], 0)
        self.assertEqual(run.metric("checks")["passes"], 4 * iterations)
        self.assertEqual(run.metric("http_reqs")["count"], iterations)

    def test_per_vu_and_shared_iterations_count_and_begin_every_iteration(self):
        for options, iterations in (
                ('{ scenarios = { s = { executor = "per-vu-iterations", vus = 3, iterations = 40 } } }',
                 120),
                ('{ vus = 4, iterations = 150 }', 150)):
            with self.subTest(options=options):
                run = self.run_script(f"options = {options}\n" + ITERATION_CHECKS, timeout=60)
                self.assert_every_check_passed(run, iterations)

    def test_a_duration_ends_vus_that_go_from_iteration_to_iteration(self):
        run = self.run_script("""
            options = { vus = 5, duration = "1s", gracefulStop = "0s" }
        """ + ITERATION_CHECKS, timeout=60)
        self.assertEqual(run.code, 0, run.stdout + run.stderr)
        self.assertLess(run.result["duration_seconds"], 4)
        self.assertGreater(run.metric("iterations")["count"], 50)
        self.assertEqual(run.metric("checks")["fails"], 0)

    def test_min_iteration_duration_still_spaces_iterations(self):
        run = self.run_script("""
            local lueng = require "lueng"
            options = { vus = 1, iterations = 5, minIterationDuration = "100ms" }
            function default() lueng.sleep(0.001) end
        """, timeout=60)
        self.assertEqual(run.code, 0, run.stdout + run.stderr)
        self.assertEqual(run.metric("iterations")["count"], 5)
        # Four waits of about 99 ms between five iterations.
        self.assertGreaterEqual(run.result["duration_seconds"], 0.4)

    def test_a_caught_fail_marks_no_later_iteration(self):
        run = self.run_script("""
            local lueng = require "lueng"
            options = { vus = 1, iterations = 4 }
            function default()
              lueng.sleep(0.001)
              if lueng.vu.iteration == 0 then
                local ok = pcall(lueng.fail, "caught")
                assert(not ok)
              elseif lueng.vu.iteration == 2 then
                error("later", 0)
              end
            end
        """, timeout=60)
        self.assertEqual(run.code, 0, run.stdout + run.stderr)
        self.assertEqual([(e["kind"], e["message"].split(": ")[-1], e["count"])
                          for e in run.result["errors"]], [("error", "later", 1)])
        self.assertEqual(run.metric("iterations")["count"], 4)


if __name__ == "__main__":
    unittest.main()
