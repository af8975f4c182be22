"""Execution segments and --start-at: N processes with their segments against one
loopback server do the work of one process, each writes its part into its
result file, and a segmented instance leaves the verdict to `lueng merge`."""

import hashlib
import json
import os
import signal
import subprocess
import tempfile
import time
import unittest

from support import LUENG, RunResult, ServerCase, check_sanitizers, lueng, raw_response


def write_script(text):
    path = os.path.join(tempfile.mkdtemp(prefix="lueng-seg-"), "script.lua")
    with open(path, "w") as f:
        f.write(text)
    return path


class SegmentTest(ServerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stamps = []  # wall-clock time of each /stamp request
        cls.server.routes["/stamp"] = lambda r: (cls.stamps.append(time.time()),
                                                 raw_response(200, b"ok"))[1]

    def run_instances(self, script, segment_args, *extra, timeout=60):
        """Every instance at once (one process each, two threads each), against the
        same server; their RunResults in order."""
        runs = []
        for args in segment_args:
            result = os.path.join(tempfile.mkdtemp(prefix="lueng-seg-"), "result.json")
            command = [LUENG, "run", "--quiet", "--threads", "2", "--summary-export", result,
                       "-e", f"BASE_URL={self.server.base_url}", *args, *extra, script]
            runs.append((subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                          text=True), result))
        done = []
        for process, result in runs:
            stdout, stderr = process.communicate(timeout=timeout)
            completed = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
            run = RunResult(completed, result)
            self.assertEqual(run.code, 0, run.stdout + run.stderr)
            done.append(run)
        return done

    @staticmethod
    def by_index(count):
        return [["--segment-index", str(i), "--segment-count", str(count)] for i in range(count)]

    def iterations(self, run):
        """0 for an instance whose part had no VUs (no iteration was recorded)."""
        metric = run.result["metrics"].get("iterations")
        return metric["values"]["count"] if metric else 0

    def test_shared_and_per_vu_iterations_add_up_exactly(self):
        script = write_script("""
            local http = require "lueng.http"
            options = { scenarios = {
              pool = { executor = "shared-iterations", vus = 5, iterations = 37 },
              each = { executor = "per-vu-iterations", vus = 4, iterations = 3, exec = "each" },
            } }
            function default() http.get(ENV.BASE_URL .. "/hello?s=pool") end
            function each() http.get(ENV.BASE_URL .. "/hello?s=each") end
        """)
        runs = self.run_instances(script, self.by_index(3))
        counts = {}
        for r in self.server.requests:
            counts[r.query["s"]] = counts.get(r.query["s"], 0) + 1
        self.assertEqual(counts, {"pool": 37, "each": 12})
        self.assertEqual(sum(self.iterations(run) for run in runs), 37 + 12)
        # VUs striped k6's way: 5 -> 2, 2, 1 and 4 -> 2, 1, 1.
        self.assertEqual([run.result["max_vus"] for run in runs], [4, 3, 2])
        # The same totals as one process running the whole test.
        self.server.reset()
        whole = self.run_instances(script, [[]])[0]
        self.assertEqual(self.iterations(whole), 37 + 12)
        self.assertEqual(len(self.server.requests), 37 + 12)

    def test_k6_segments_with_a_sequence_split_the_same_way(self):
        script = write_script("""
            local http = require "lueng.http"
            options = { scenarios = { pool = { executor = "shared-iterations", vus = 3, iterations = 20 } } }
            function default() http.get(ENV.BASE_URL .. "/hello") end
        """)
        sequence = ["--execution-segment-sequence", "0,25%,0.5,1"]
        runs = self.run_instances(script, [["--execution-segment", "0:1/4", *sequence],
                                           ["--execution-segment", "1/4:2/4", *sequence],
                                           ["--execution-segment", "50%:100%", *sequence]])
        self.assertEqual(len(self.server.requests), 20)
        self.assertEqual(sum(self.iterations(run) for run in runs), 20)
        self.assertEqual([run.result["execution_segment"]["segment"] for run in runs],
                         ["0:1/4", "1/4:1/2", "1/2:1"])
        # 3 VUs over 1/4, 1/4 and 1/2 stripe as 1, 0, 2: the second instance has no work.
        self.assertEqual([run.result["max_vus"] for run in runs], [1, 0, 2])
        self.assertEqual(self.iterations(runs[1]), 0)

    def test_constant_arrival_rate_adds_up_within_one_percent(self):
        script = write_script("""
            local http = require "lueng.http"
            options = { scenarios = { open = { executor = "constant-arrival-rate", rate = 150,
                                               timeUnit = "1s", duration = "2s",
                                               preAllocatedVUs = 6, maxVUs = 30 } } }
            function default() http.get(ENV.BASE_URL .. "/hello") end
        """)
        runs = self.run_instances(script, self.by_index(3))
        started = sum(self.iterations(run) for run in runs)
        dropped = sum(run.result["metrics"].get("dropped_iterations", {"values": {"count": 0}})
                      ["values"]["count"] for run in runs)
        self.assertAlmostEqual(started + dropped, 300, delta=3)
        # Each instance's part of the schedule follows its share of maxVUs: 10 of 30.
        for run in runs:
            self.assertAlmostEqual(self.iterations(run), 100, delta=5)

    def test_ramping_vus_stage_targets_add_up(self):
        script = write_script("""
            local lueng = require "lueng"
            options = { scenarios = { ramp = { executor = "ramping-vus", startVUs = 7,
                                               stages = { { duration = "2200ms", target = 7 } } } } }
            function default() lueng.sleep(0.05) end
        """)
        runs = self.run_instances(script, self.by_index(3))
        self.assertEqual([run.result["max_vus"] for run in runs], [3, 2, 2])
        self.assertEqual(sum(run.result["metrics"]["vus"]["values"]["max"] for run in runs), 7)

    def test_result_file_records_segment_checksum_and_start_time(self):
        script = write_script("""
            local http = require "lueng.http"
            options = { vus = 3, iterations = 6, thresholds = { http_req_failed = { "rate<0.5" } } }
            function default() http.get(ENV.BASE_URL .. "/hello") end
        """)
        with open(script, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        start_at = time.time() + 0.5
        run = self.run_instances(script, [["--segment-index", "1", "--segment-count", "3",
                                           "--start-at", f"{start_at:.3f}"]])[0]
        self.assertEqual(run.result["execution_segment"],
                         {"segment": "1/3:2/3", "from": "1/3", "to": "2/3",
                          "sequence": "0,1/3,2/3,1", "index": 1, "count": 3})
        self.assertEqual(run.result["script_sha256"], digest)
        self.assertEqual(run.result["start_at_unix_ms"], round(start_at * 1000))
        # A whole run: no segment, no start time, the checksum still.
        whole = self.run_instances(script, [[]])[0]
        self.assertIsNone(whole.result["execution_segment"])
        self.assertIsNone(whole.result["start_at_unix_ms"])
        self.assertEqual(whole.result["script_sha256"], digest)
        # Read back by every offline command.
        markdown = os.path.join(os.path.dirname(run.result_path), "report.md")
        for command in (["report", "--markdown", markdown, run.result_path],
                        ["validate", run.result_path], ["compare", run.result_path, whole.result_path]):
            completed = lueng(*command)
            self.assertIn(completed.returncode, (0, 1), completed.stdout + completed.stderr)

    def test_inspect_prints_the_segments_share(self):
        script = write_script("""
            options = { scenarios = {
              pool = { executor = "shared-iterations", vus = 10, iterations = 100 },
              open = { executor = "constant-arrival-rate", rate = 5, duration = "1s",
                       preAllocatedVUs = 10 },
            } }
            function default() end
        """)
        out = lueng("inspect", "--execution-segment", "1/3:2/3", "--execution-segment-sequence",
                    "0,1/3,2/3,1", script)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("execution segment 1/3:2/3 of 0,1/3,2/3,1", out.stdout)
        self.assertIn("this segment:  3 of 10 VUs, 30 of 100 iterations", out.stdout)
        self.assertIn("this segment:  3 of 10 VUs, 3 of every 10 arrivals", out.stdout)

    def test_start_at_waits_for_its_time(self):
        script = write_script("""
            local http = require "lueng.http"
            options = { vus = 1, iterations = 1 }
            function default() http.get(ENV.BASE_URL .. "/stamp") end
        """)
        self.stamps.clear()
        start_at = time.time() + 2
        run = self.run_instances(script, [["--start-at", f"{start_at:.3f}"]])[0]
        self.assertIn("waiting", run.stderr)
        self.assertIn("--start-at", run.stderr)
        self.assertEqual(len(self.stamps), 1)
        self.assertGreaterEqual(self.stamps[0], start_at)
        self.assertGreaterEqual(run.result["start_unix_ms"], round(start_at * 1000))

    def test_interrupt_while_waiting_writes_the_result(self):
        script = write_script("""
            local http = require "lueng.http"
            options = { vus = 1, iterations = 1 }
            function default() http.get(ENV.BASE_URL .. "/hello") end
        """)
        result = os.path.join(tempfile.mkdtemp(prefix="lueng-seg-"), "result.json")
        process = subprocess.Popen(
            [LUENG, "run", "--quiet", "--summary-export", result, "--start-at",
             f"{time.time() + 60:.3f}", "-e", f"BASE_URL={self.server.base_url}", script],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = process.stderr.readline()  # the wait is announced once the workers are ready
        self.assertIn("waiting", line)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
        check_sanitizers(stderr)
        self.assertEqual(process.returncode, 105, stdout + stderr)
        with open(result) as f:
            data = json.load(f)
        self.assertTrue(data["interrupted"])
        self.assertEqual(len(self.server.requests), 0)

    def test_a_segmented_instance_exits_0_with_failing_slos(self):
        script = write_script("""
            local http = require "lueng.http"
            options = { vus = 2, iterations = 6,
                        thresholds = { http_req_failed = { "rate<0.01" } } }
            function default() http.get(ENV.BASE_URL .. "/status?code=500") end
        """)
        run = self.run_instances(script, [["--segment-index", "0", "--segment-count", "2"]])[0]
        self.assertIn("lueng merge", run.stdout)
        self.assertEqual(run.result["exit_code"], 0)
        self.assertNotEqual(run.result["slos"]["verdict"], "PASS")
        # The same test unsegmented fails.
        whole = subprocess.run([LUENG, "run", "--quiet", "-e", f"BASE_URL={self.server.base_url}",
                                script], capture_output=True, text=True, timeout=60)
        self.assertEqual(whole.returncode, 2, whole.stdout + whole.stderr)

    def test_abort_on_fail_stops_the_instance_that_sees_it(self):
        script = write_script("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = { scenarios = { s = { executor = "constant-vus", vus = 2, duration = "20s" } },
                        thresholds = { http_req_failed = { { "rate<0.01", abort_on_fail = true } } } }
            function default() http.get(ENV.BASE_URL .. "/status?code=500"); lueng.sleep(0.05) end
        """)
        started = time.time()
        run = self.run_instances(script, [["--segment-index", "1", "--segment-count", "2"]])[0]
        self.assertLess(time.time() - started, 15)
        self.assertEqual(run.result["slos"]["aborted_by"], 'options.thresholds["http_req_failed"][1]')
        self.assertEqual(run.result["slos"]["verdict"], "ABORTED")
        self.assertEqual(run.result["exit_code"], 0)
        self.assertGreater(run.result["end_unix_ms"], run.result["start_unix_ms"])

    def test_option_errors_name_the_flag(self):
        script = write_script("function default() end")
        cases = [
            (["--segment-index", "3", "--segment-count", "3"], "--segment-index"),
            (["--segment-index", "-1", "--segment-count", "3"], "--segment-index"),
            (["--segment-index", "0", "--segment-count", "0"], "--segment-count"),
            (["--segment-index", "0", "--segment-count", "20000"], "--segment-count"),
            (["--segment-index", "0"], "--segment-count"),
            (["--segment-count", "2"], "--segment-index"),
            (["--segment-index", "0", "--segment-count", "2", "--execution-segment", "0:1/2"],
             "--execution-segment"),
            (["--execution-segment", "1/2:1/3"], "--execution-segment"),
            (["--execution-segment", "1a5%"], "--execution-segment"),
            (["--execution-segment", "1/3:1/2", "--execution-segment-sequence", "0,1/3,2/3,1"],
             "--execution-segment-sequence"),
            (["--execution-segment-sequence", "0,1/2,1/3"], "--execution-segment-sequence"),
            (["--start-at", "tomorrow"], "--start-at"),
        ]
        for args, flag in cases:
            with self.subTest(args=args):
                out = lueng("inspect", *args, script)
                self.assertEqual(out.returncode, 104, out.stdout + out.stderr)
                self.assertIn(flag, out.stderr)
        out = lueng("run", "--segment-index", "2", "--segment-count", "2", script)
        self.assertEqual(out.returncode, 104)
        self.assertIn("--segment-index", out.stderr)


if __name__ == "__main__":
    unittest.main()
