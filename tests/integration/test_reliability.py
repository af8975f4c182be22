"""Nothing is lost: outputs are written safely and checked before the run,
signals stop every phase (a VU in an endless CPU loop and a blocking call
included) and every requested output is still written, a long run leaves a
partial result file behind, memory follows what the script keeps, and a file
descriptor limit too low to start is reported, not a crash."""

import json
import os
import resource
import signal
import stat
import subprocess
import tempfile
import threading
import time
import unittest

from support import (LUENG, SANITIZED, ServerCase, check_sanitizers, lueng, raw_response,
                     run_lueng)

QUICK = """
options = { iterations = 1 }
function default() end
"""


def write_script(text):
    path = os.path.join(tempfile.mkdtemp(prefix="lueng-rel-"), "script.lua")
    with open(path, "w") as f:
        f.write(text)
    return path


class OutputFileTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lueng-files-")
        self.script = write_script(QUICK)

    def path(self, name):
        return os.path.join(self.dir, name)

    def test_a_symlink_is_written_through_and_kept(self):
        target = self.path("real.json")
        link = self.path("link.json")
        os.symlink(target, link)
        md_target = self.path("real.md")
        os.symlink(md_target, self.path("link.md"))
        run = subprocess.run([LUENG, "run", "-q", "--summary-export", link, "--out",
                              "markdown=" + self.path("link.md"), self.script],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertTrue(os.path.islink(link))
        self.assertTrue(os.path.islink(self.path("link.md")))
        with open(target) as f:
            self.assertEqual(json.load(f)["metrics"]["iterations"]["values"]["count"], 1)
        with open(md_target) as f:
            self.assertIn("lueng", f.read())

    def test_a_fifo_is_written_in_place_not_replaced(self):
        fifo = self.path("report.fifo")
        os.mkfifo(fifo)
        received = []
        reader = threading.Thread(target=lambda: received.append(open(fifo).read()))
        reader.start()
        run = subprocess.run([LUENG, "run", "-q", "--out", "junit=" + fifo, self.script],
                             capture_output=True, text=True, timeout=60)
        reader.join(timeout=30)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertTrue(stat.S_ISFIFO(os.stat(fifo).st_mode))
        self.assertIn("<testsuites", received[0])
        # Without a reader the run does not hang on it: the write fails and says why.
        alone = subprocess.run([LUENG, "run", "-q", "--out", "junit=" + fifo, self.script],
                               capture_output=True, text=True, timeout=60)
        self.assertEqual(alone.returncode, 104, alone.stderr)
        self.assertIn(f"{fifo}: cannot write: a FIFO with no reader", alone.stderr)
        self.assertTrue(stat.S_ISFIFO(os.stat(fifo).st_mode))

    def test_a_device_is_written_in_place_not_replaced(self):
        run = subprocess.run([LUENG, "run", "-q", "--summary-export", "/dev/null", "--out",
                              "html=/dev/null", self.script],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertTrue(stat.S_ISCHR(os.stat("/dev/null").st_mode))

    def test_unwritable_outputs_fail_before_the_run_with_exit_104(self):
        slow = write_script("""
            options = { vus = 1, duration = "30s" }
            function default() require("lueng").sleep(1) end
        """)
        self.assertEqual(os.listdir(self.dir), [])
        os.mkdir(self.path("sub"))
        for args, message in [
            (["--summary-export", self.path("no/such/result.json")], "no folder"),
            (["--summary-export", self.dir], "it is a directory"),
            (["--out", "html=" + self.path("missing/r.html")], "no folder"),
            (["--out", "junit=" + self.path("sub")], "it is a directory"),
            (["--out", "markdown=" + self.path("missing/r.md")], "no folder"),
        ]:
            with self.subTest(args=args):
                started = time.monotonic()
                run = subprocess.run([LUENG, "run", "-q", *args, slow], capture_output=True,
                                     text=True, timeout=60)
                self.assertEqual(run.returncode, 104, run.stderr)
                self.assertIn(message, run.stderr)
                self.assertLess(time.monotonic() - started, 10)  # not after the 30 s test


def start(script, *args):
    return subprocess.Popen([LUENG, "run", "-q", *args, script], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


class SignalTest(ServerCase):
    """Each phase gets SIGINT (twice for the load): exit 105 with the outputs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def slow(request):
            time.sleep(20)
            return raw_response(200, b"late")
        cls.server.routes["/hang"] = slow

    def outputs(self):
        folder = tempfile.mkdtemp(prefix="lueng-sig-")
        result = os.path.join(folder, "result.json")
        markdown = os.path.join(folder, "report.md")
        return result, markdown, ["--summary-export", result, "--out", "markdown=" + markdown]

    def stop(self, process, signals=1, gap=0.5):
        for i in range(signals):
            if i:
                time.sleep(gap)
            process.send_signal(signal.SIGINT)
        started = time.monotonic()
        stdout, stderr = process.communicate(timeout=60)
        check_sanitizers(stderr)
        return process.returncode, stdout, stderr, time.monotonic() - started

    def assert_written(self, result, markdown, reason="SIGINT"):
        with open(result) as f:
            data = json.load(f)
        self.assertTrue(data["interrupted"])
        self.assertEqual(data["interrupt_reason"], reason)
        self.assertFalse(data["partial"])
        with open(markdown) as f:
            self.assertIn("**Exit status:** 105 (interrupted: SIGINT)", f.read())
        return data

    def run_until(self, script_text, ready, *args):
        result, markdown, outs = self.outputs()
        script = write_script(script_text.replace("BASE", self.server.base_url))
        process = start(script, *outs, *args)
        deadline = time.monotonic() + 30
        while not ready() and time.monotonic() < deadline:
            time.sleep(0.05)
        return process, result, markdown

    def test_sigint_in_init_code_looping(self):
        process, result, markdown = self.run_until("""
            local x = 0
            while true do x = x + 1 end
        """, lambda: False)  # the loop starts at once: give it a moment
        time.sleep(0.5)
        code, _, stderr, took = self.stop(process)
        self.assertEqual(code, 105, stderr)
        self.assertIn("SIGINT: stopping the init code at once", stderr)
        self.assertLess(took, 10)
        self.assert_written(result, markdown)

    def test_sigint_in_setup_waiting_for_a_response(self):
        process, result, markdown = self.run_until("""
            local http = require "lueng.http"
            options = { vus = 1, duration = "5s" }
            function setup() http.get("BASE/hello"); http.get("BASE/hang") end
            function default() http.get("BASE/hello") end
        """, lambda: len(self.server.requests) >= 1)
        time.sleep(0.3)
        code, _, stderr, took = self.stop(process)
        self.assertEqual(code, 105, stderr)
        self.assertIn("SIGINT: stopping setup() at once", stderr)
        self.assertLess(took, 10)
        data = self.assert_written(result, markdown)
        # What setup() measured is kept; no load ran.
        self.assertEqual(data["metrics"]["http_reqs"]["values"]["count"], 1)
        self.assertEqual([r.path for r in self.server.requests], ["/hello"])

    def test_two_sigints_stop_vus_in_endless_cpu_loops(self):
        # One worker's loop runs in the interpreter, where the hook armed by the
        # hard stop breaks into it; the other's is compiled into a JIT trace, which
        # calls no hook: it is left behind and its numbers come from its snapshot.
        # Each VU loops after its 151st request: once the server has all 302, both
        # are in their loops (a signal sent before would stop them gracefully). 150
        # iterations of 10 ms outlast a worker's first snapshot (every second), so
        # even a worker left behind has requests on record.
        process, result, markdown = self.run_until("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = { vus = 2, duration = "60s" }
            function default()
              http.get("BASE/hello")
              if lueng.vu.iteration >= 150 then
                if lueng.vu.id == 1 then jit.off(true, true) end
                local x = 0
                while true do x = x + 1 end
              end
              lueng.sleep(0.01)
            end
        """, lambda: len(self.server.requests) >= 302, "--threads", "2")
        time.sleep(0.5)
        code, stdout, stderr, took = self.stop(process, signals=2)
        self.assertEqual(code, 105, stderr)
        self.assertIn("SIGINT: stopping gracefully", stderr)
        if "TSAN_OPTIONS" in os.environ:
            # ThreadSanitizer holds a signal back until its thread calls a function
            # it intercepts, which a Lua loop never does: no hook gets armed.
            self.assertRegex(stderr, r"[12] workers? did not stop within 1 s")
        else:
            self.assertIn("1 worker did not stop within 1 s: the run ends without it", stderr)
        self.assertLess(took, 10)
        data = self.assert_written(result, markdown)
        counted = data["metrics"]["http_reqs"]["values"]["count"]
        self.assertLessEqual(counted, len(self.server.requests))
        if "TSAN_OPTIONS" in os.environ:
            # Both workers may be left behind, each counted up to its last snapshot
            # (at most a second before its loop began).
            self.assertGreater(counted, 0)
        else:
            # All 151 of the worker that stopped, and the other's up to its last snapshot.
            self.assertGreaterEqual(counted, 151)
        self.assertIn("interrupted: SIGINT", stdout)

    def test_one_sigint_stops_a_vu_in_a_jit_loop_once_its_graceful_stop_is_over(self):
        # The worker's loop never turns while its VU loops in a JIT trace, so it
        # cannot end the iteration at gracefulStop: the supervisor stops at once
        # then, instead of waiting for the scenario's end (a minute here).
        process, result, markdown = self.run_until("""
            local http = require "lueng.http"
            options = { scenarios = { s = { executor = "constant-vus", vus = 1, duration = "60s",
                                            gracefulStop = "1s" } } }
            function default()
              http.get("BASE/hello")
              local x = 0
              for i = 1, 1e15 do x = x + i end
            end
        """, lambda: len(self.server.requests) >= 1, "--threads", "1")
        time.sleep(0.5)
        code, _, stderr, took = self.stop(process, signals=1)
        self.assertEqual(code, 105, stderr)
        self.assertIn("SIGINT: stopping gracefully", stderr)
        self.assertIn("gracefulStop is over: stopping at once", stderr)
        self.assertLess(took, 10)
        self.assert_written(result, markdown)

    def test_a_second_sigint_stops_teardown(self):
        process, result, markdown = self.run_until("""
            local http = require "lueng.http"
            options = { vus = 1, duration = "60s" }
            function default() http.get("BASE/hello"); require("lueng").sleep(0.05) end
            function teardown() http.get("BASE/hang") end
        """, lambda: len(self.server.requests) >= 3)
        process.send_signal(signal.SIGINT)  # the load stops, teardown() starts and waits
        deadline = time.monotonic() + 30
        while self.server.active == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        code, _, stderr, took = self.stop(process)
        self.assertEqual(code, 105, stderr)
        self.assertIn("stopping teardown() at once", stderr)
        self.assertLess(took, 10)
        data = self.assert_written(result, markdown)
        self.assertGreaterEqual(data["metrics"]["http_reqs"]["values"]["count"], 3)

    def test_a_vu_stuck_in_a_blocking_call_past_the_end_is_left_behind(self):
        # os.execute blocks its worker where no hook reaches: 1 s after the test's
        # longest end (duration + gracefulStop + a margin) the run ends without it,
        # its numbers from the worker's last snapshot, exit 107.
        script = write_script(f"""
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = {{ scenarios = {{ s = {{ executor = "constant-vus", vus = 1, duration = "2s",
                                              gracefulStop = "0s" }} }} }}
            function default()
              http.get("{self.server.base_url}/hello")
              lueng.sleep(0.01)
              if lueng.vu.scenario_elapsed > 1500 then os.execute("sleep 20") end
            end
        """)
        run = run_lueng(args=["--threads", "1"], script_path=script, timeout=60)
        self.assertEqual(run.code, 107, run.stderr)
        self.assertIn("a VU was still running when its scenario should have ended", run.stderr)
        self.assertGreater(run.metric("http_reqs")["count"], 10)  # from the snapshot
        self.assertTrue(run.result["slos"]["verdict"].startswith("SCRIPT ERROR"))


class PartialResultTest(ServerCase):
    def test_the_result_file_is_written_during_the_run_and_survives_sigkill(self):
        folder = tempfile.mkdtemp(prefix="lueng-partial-")
        result = os.path.join(folder, "result.json")
        script = write_script(f"""
            local http = require "lueng.http"
            options = {{ vus = 2, duration = "60s" }}
            function default() http.get("{self.server.base_url}/hello"); require("lueng").sleep(0.05) end
        """)
        process = start(script, "--summary-export", result, "--summary-export-interval", "1s")
        deadline = time.monotonic() + 30
        # A second closes into the time series once every worker had time to report it.
        while time.monotonic() < deadline:
            time.sleep(0.2)
            try:
                with open(result) as f:
                    if json.load(f)["time_series"]:
                        break
            except (OSError, ValueError):
                pass  # not written yet (a file is renamed into place whole)
        process.kill()
        process.communicate(timeout=30)
        with open(result) as f:
            data = json.load(f)
        self.assertTrue(data["partial"])
        self.assertGreater(data["metrics"]["http_reqs"]["values"]["count"], 5)
        self.assertGreater(len(data["time_series"]), 0)
        validated = lueng("validate", result, "--slo", write_script(
            'return { http_reqs = "count>0" }'))
        self.assertEqual(validated.returncode, 0, validated.stderr)
        self.assertIn("PARTIAL: written during the run", validated.stdout)

    def test_a_finished_run_leaves_a_complete_file(self):
        run = self.run_script("""
            local http = require "lueng.http"
            options = { vus = 1, duration = "2500ms" }
            function default() http.get(ENV.BASE_URL .. "/hello"); require("lueng").sleep(0.1) end
        """, "--summary-export-interval", "1s")
        self.assertEqual(run.code, 0, run.stderr)
        self.assertFalse(run.result["partial"])

    def test_a_bad_interval_exits_104(self):
        run = run_lueng(QUICK, ["--summary-export-interval", "often"])
        self.assertEqual(run.code, 104)
        self.assertIn("invalid --summary-export-interval 'often'", run.stderr)


class MemoryTest(ServerCase):
    BODY = os.urandom(2 * 1024 * 1024)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server.routes["/big"] = lambda r: raw_response(200, cls.BODY)

    def test_unread_2_mib_bodies_stay_bounded(self):
        # 5 VUs, each response dropped unread: memory follows what the script keeps.
        script = write_script(f"""
            local http = require "lueng.http"
            options = {{ vus = 5, duration = "8s" }}
            function default() http.get("{self.server.base_url}/big") end
        """)
        with tempfile.TemporaryFile() as err:
            process = subprocess.Popen([LUENG, "run", "-q", script], stdout=subprocess.DEVNULL,
                                       stderr=err)
            _, status, usage = os.wait4(process.pid, 0)  # this very process's peak RSS
            process.returncode = os.waitstatus_to_exitcode(status)
            err.seek(0)
            stderr = err.read().decode()
        check_sanitizers(stderr)
        self.assertEqual(process.returncode, 0, stderr)
        peak_kb = usage.ru_maxrss
        self.assertGreater(len(self.server.requests), 20)
        if not SANITIZED:
            self.assertLess(peak_kb, 100 * 1024)


class StartupTest(unittest.TestCase):
    def test_too_few_file_descriptors_is_a_message_not_a_crash(self):
        script = write_script(QUICK)
        for limit in (6, 12, 24):
            with self.subTest(limit=limit):
                def lower():
                    resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))
                run = subprocess.run([LUENG, "run", "-q", script], capture_output=True, text=True,
                                     timeout=60, preexec_fn=lower)
                self.assertEqual(run.returncode, 103, run.stderr)
                self.assertIn(f"only {limit} open files allowed", run.stderr)
                self.assertIn("ulimit -n", run.stderr)


if __name__ == "__main__":
    unittest.main()
