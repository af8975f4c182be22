"""What a VU waits for, an HTTP request, an http.batch() or a sleep, is abandoned
when its scenario's gracefulStop runs out: the pending operations of
docs/architecture.md (The script seam), seen from a script."""

import unittest

from support import ServerCase


class VuWaitsTest(ServerCase):
    def test_the_end_of_graceful_stop_abandons_every_kind_of_wait(self):
        run = self.run_script("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            local function waiting(exec)
              return { executor = "constant-vus", vus = 2, duration = "1s", gracefulStop = "0s",
                       exec = exec }
            end
            options = { scenarios = { request = waiting("request"), batch = waiting("batch"),
                                      nap = waiting("nap") } }
            local slow = ENV.BASE_URL .. "/slow?ms=10000"
            function request() http.get(slow) end
            function batch() http.batch({ slow, slow, slow }) end
            function nap() lueng.sleep(600) end
        """, timeout=60)
        self.assertEqual(run.code, 0, run.stdout + run.stderr)
        # Ended by the scenarios' 1 s, not by the 10 s responses or the 600 s sleep.
        self.assertLess(run.result["duration_seconds"], 5)
        scenarios = {s["name"]: s for s in run.result["scenarios"]}
        self.assertEqual(set(scenarios), {"request", "batch", "nap"})
        for name, scenario in scenarios.items():
            self.assertEqual(scenario["iterations_completed"], 0, name)
            self.assertEqual(scenario["iterations_interrupted"], 2, name)
        # An abandoned request is no request of the run, an abandoned iteration no
        # iteration.
        self.assertNotIn("http_reqs", run.result["metrics"])
        self.assertNotIn("iterations", run.result["metrics"])


if __name__ == "__main__":
    unittest.main()
