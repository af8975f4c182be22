"""The command line: flags, errors and exit statuses of `lueng`."""

import os
import resource
import subprocess
import tempfile
import unittest

from support import LUENG, check_sanitizers, lueng, run_lueng

SIMPLE = "function default() end\n"


def script_file(text):
    fd, path = tempfile.mkstemp(suffix=".lua", prefix="lueng-cli-")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


class CommandLineTest(unittest.TestCase):
    def test_version_prints_the_version(self):
        out = lueng("version")
        self.assertEqual(out.returncode, 0)
        self.assertRegex(out.stdout, r"^lueng \d+\.\d+\.\d+\n$")

    def test_help_lists_commands_and_every_subcommand_has_help(self):
        out = lueng("help")
        self.assertEqual(out.returncode, 0)
        self.assertIn("run SCRIPT.lua", out.stdout)
        for args in (["run", "--help"], ["help", "run"], ["version", "--help"]):
            out = lueng(*args)
            self.assertEqual(out.returncode, 0, args)
            self.assertIn("Usage", out.stdout)
        out = lueng("run", "--help")
        self.assertIn("--vus", out.stdout)
        self.assertIn("--summary-export", out.stdout)

    def test_unknown_flag_is_a_one_line_error_with_exit_104(self):
        out = lueng("run", "--bogus", script_file(SIMPLE))
        self.assertEqual(out.returncode, 104)
        self.assertIn("--bogus", out.stderr)
        self.assertEqual(len(out.stderr.strip().splitlines()), 1)

    def test_bad_duration_names_the_flag_and_value(self):
        out = lueng("run", "-d", "10x", script_file(SIMPLE))
        self.assertEqual(out.returncode, 104)
        self.assertIn("--duration '10x'", out.stderr)

    def test_missing_script(self):
        out = lueng("run", "/nonexistent/script.lua")
        self.assertEqual(out.returncode, 104)
        self.assertIn("/nonexistent/script.lua", out.stderr)
        self.assertIn("not found", out.stderr)

    def test_a_directory_as_the_script_says_so(self):
        directory = tempfile.mkdtemp(prefix="lueng-cli-")
        for command in ("run", "inspect"):
            out = lueng(command, directory)
            self.assertEqual(out.returncode, 104, command)
            self.assertEqual(out.stderr.strip(),
                             f"lueng {command}: script '{directory}' is a directory, not a Lua file")

    def test_counts_out_of_range_are_one_clear_line_with_exit_104(self):
        script = script_file(SIMPLE)
        for args, message in (
                (["-u", "99999999999999"],
                 "--vus: 99999999999999 VUs is more than lueng allows (10000000 at most)"),
                (["-u", "10000001"], "--vus: 10000001 VUs is more than lueng allows"),
                (["-u", "-5"], "--vus: must be at least 1, not -5"),
                (["-u", "0"], "--vus: must be at least 1, not 0"),
                (["-u", "ten"], "--vus: 'ten' is not a whole number"),
                (["-u", "1e3"], "--vus: '1e3' is not a whole number"),
                (["-i", "-1"], "--iterations: must be at least 1, not -1"),
                (["-i", "99999999999999999999999"],
                 "--iterations: 99999999999999999999999 iterations is more than lueng allows"),
                (["--threads", "100000"],
                 "--threads: 100000 threads is more than lueng allows (1024 at most)"),
                (["-s", "10s:99999999999999999999"],
                 "invalid --stage '10s:99999999999999999999': 99999999999999999999 VUs is more"),
                (["-s", "10s:20000000"], "20000000 VUs is more than lueng allows")):
            out = lueng("run", *args, script)
            self.assertEqual(out.returncode, 104, args)
            self.assertEqual(len(out.stderr.strip().splitlines()), 1, out.stderr)
            self.assertIn(message, out.stderr, args)
            self.assertLess(len(out.stderr), 200, out.stderr)  # no 300-digit range

    @unittest.skipIf("ASAN_OPTIONS" in os.environ or "TSAN_OPTIONS" in os.environ,
                     "the sanitizers' shadow memory needs more than a 1 GiB address space")
    def test_vus_that_cannot_fit_in_memory_are_refused_before_the_test(self):
        def limit_address_space():
            resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GiB

        completed = subprocess.run([LUENG, "run", "-u", "1000000", "-d", "1s", script_file(SIMPLE)],
                                   capture_output=True, text=True, timeout=60,
                                   preexec_fn=limit_address_space)
        self.assertEqual(completed.returncode, 104, completed.stderr)
        self.assertIn("command line: 1000000 VUs need 1.9 GiB of memory at the very least",
                      completed.stderr)
        self.assertIn("this process may use 1.0 GiB", completed.stderr)

    def test_bad_env_pair(self):
        out = lueng("run", "-e", "NOEQUALS", script_file(SIMPLE))
        self.assertEqual(out.returncode, 104)
        self.assertIn("KEY=VALUE", out.stderr)

    def test_unknown_command(self):
        out = lueng("frobnicate")
        self.assertEqual(out.returncode, 104)
        self.assertIn("frobnicate", out.stderr)

    def test_syntax_error_exits_107_with_file_and_line(self):
        path = script_file("local x = 1\nfunction default()\n  local y = = 2\nend\n")
        out = lueng("run", path)
        self.assertEqual(out.returncode, 107)
        self.assertIn(f"{path}:3:", out.stderr)

    def test_error_in_top_level_code_exits_107_with_file_and_line(self):
        path = script_file("local a = nil\nlocal b = a.field\nfunction default() end\n")
        out = lueng("run", path)
        self.assertEqual(out.returncode, 107)
        self.assertIn(f"{path}:2:", out.stderr)

    def test_error_in_setup_exits_107_with_file_and_line(self):
        path = script_file("function setup()\n  error('no token')\nend\nfunction default() end\n")
        out = lueng("run", path)
        self.assertEqual(out.returncode, 107)
        self.assertIn(f"{path}:2: no token", out.stderr)

    def test_script_without_default_function(self):
        out = lueng("run", script_file("local x = 1\n"))
        self.assertEqual(out.returncode, 107)
        self.assertIn("default()", out.stderr)

    def test_invalid_options_exit_104_naming_the_option(self):
        cases = {
            'options = { duration = "5 minutes" }': "options.duration",
            'options = { scenarios = { s = { executor = "warp-speed" } } }': "options.scenarios.s.executor",
            'options = { scenarios = { s = { executor = "constant-vus", vus = 2 } } }': "duration",
            'options = { scenarios = { s = { executor = "shared-iterations", exec = "nope" } } }': "nope",
            'options = { scenarios = { s = { executor = "constant-vus", duration = "1s", colour = 1 } } }': "colour",
        }
        for options, expected in cases.items():
            with self.subTest(options=options):
                out = lueng("run", script_file(options + "\n" + SIMPLE))
                self.assertEqual(out.returncode, 104, out.stderr)
                self.assertIn(expected, out.stderr)

    def test_http_in_init_code_is_a_script_error(self):
        path = script_file('local http = require "lueng.http"\nhttp.get("http://127.0.0.1:1/")\n' + SIMPLE)
        out = lueng("run", path)
        self.assertEqual(out.returncode, 107)
        self.assertIn("top-level", out.stderr)

    def run_in(self, directory, *args, env=None):
        """`lueng run -q -i 1 ARGS script` in `directory`, so relative paths land there."""
        completed = subprocess.run([LUENG, "run", "-q", "-i", "1", *args, script_file(SIMPLE)],
                                   capture_output=True, text=True, timeout=60, cwd=directory,
                                   env={**os.environ, **(env or {})})
        check_sanitizers(completed.stderr)
        return completed

    def test_two_outputs_of_one_file_are_refused_before_the_run(self):
        directory = os.path.realpath(tempfile.mkdtemp(prefix="lueng-cli-"))
        os.mkdir(os.path.join(directory, "results"))
        os.symlink("results", os.path.join(directory, "linked"))
        for args, first, second, path in (
                (["--summary-export", "a.json", "--out", "json=a.json"],
                 "--summary-export a.json", "--out json=a.json", "a.json"),
                (["--out", "json=a.json", "--out", "csv=a.json"],
                 "--out json=a.json", "--out csv=a.json", "a.json"),
                (["--out", "html=a.html", "--out", "markdown=a.html"],
                 "--out html=a.html", "--out markdown=a.html", "a.html"),
                (["--out", "json=./a.json", "--out", "junit=a.json"],
                 "--out json=./a.json", "--out junit=a.json", "a.json"),
                (["--out", "json=results/../a.json", "--summary-export", f"{directory}/a.json"],
                 f"--summary-export {directory}/a.json", "--out json=results/../a.json", "a.json"),
                (["--out", "html=results/r.html", "--out", "markdown=linked/r.html"],
                 "--out html=results/r.html", "--out markdown=linked/r.html", "results/r.html"),
                (["--csv", "loc", "--out", "csv=loc_stats.csv"],
                 "--out csv=loc_stats.csv", "--csv loc", "loc_stats.csv"),
                (["--csv", "loc", "--out", "locust=./loc"],
                 "--out locust=./loc", "--csv loc", "loc_stats.csv"),
                (["--out", "csv", "--out", "k6-summary=file.csv"],  # csv's default file
                 "--out csv", "--out k6-summary=file.csv", "file.csv"),
                (["--out", "csv=fileName=s.csv,saveInterval=2s", "--summary-export", "s.csv"],
                 "--summary-export s.csv", "--out csv=fileName=s.csv,saveInterval=2s", "s.csv")):
            with self.subTest(args=args):
                out = self.run_in(directory, *args)
                self.assertEqual(out.returncode, 104, out.stderr)
                self.assertEqual(
                    out.stderr,
                    f"lueng run: {first} and {second} both write {directory}/{path}: give each "
                    "output a file of its own\n")
                self.assertEqual(out.stdout, "")  # refused before the run
                self.assertEqual(sorted(os.listdir(directory)), ["linked", "results"])
        out = self.run_in(directory, "--out", "csv", "--out", "json=k6.csv",
                          env={"K6_CSV_FILENAME": "k6.csv"})
        self.assertEqual(out.returncode, 104, out.stderr)
        self.assertIn(f"--out csv and --out json=k6.csv both write {directory}/k6.csv",
                      out.stderr)
        # A hard link is the file it links to.
        with open(os.path.join(directory, "old.json"), "w") as f:
            f.write("{}")
        os.link(os.path.join(directory, "old.json"), os.path.join(directory, "again.json"))
        out = self.run_in(directory, "--summary-export", "old.json", "--out", "json=again.json")
        self.assertEqual(out.returncode, 104, out.stderr)
        self.assertIn("--summary-export old.json and --out json=again.json both write", out.stderr)

    def test_outputs_of_distinct_files_and_shared_devices_still_run(self):
        directory = tempfile.mkdtemp(prefix="lueng-cli-")
        out = self.run_in(directory, "--summary-export", "result.json", "--out", "json=samples.json",
                          "--out", "csv=samples.csv", "--out", "html=report.html",
                          "--out", "markdown=report.md", "--out", "junit=junit.xml",
                          "--out", "k6-summary=k6.json", "--csv", "locust")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(sorted(os.listdir(directory)),
                         ["junit.xml", "k6.json", "locust_failures.csv", "locust_stats.csv",
                          "locust_stats_history.csv", "report.html", "report.md", "result.json",
                          "samples.csv", "samples.json"])
        # Devices and standard output are written in place, not replaced: they may be shared.
        out = self.run_in(directory, "--out", "json=/dev/null", "--out", "csv=/dev/null",
                          "--summary-export", "/dev/null", "--out", "json=-", "--out", "csv=-")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn('"metric":"iterations"', out.stdout)
        self.assertIn("metric_name,timestamp", out.stdout)

    def test_an_empty_value_is_refused_naming_the_flag(self):
        # `--summary-export "$RESULT"` with RESULT unset must not pass for no flag.
        directory = tempfile.mkdtemp(prefix="lueng-cli-")
        for flag, name in (("--summary-export", None), ("--csv", None), ("-d", "--duration"),
                           ("--duration", None), ("-u", "--vus"), ("--iterations", None),
                           ("--summary-export-interval", None), ("--baseline", None),
                           ("--config", None), ("--tolerance", None), ("--threads", None),
                           ("--dashboard-linger", None), ("--out", None), ("--random-seed", None),
                           ("--start-at", None), ("--segment-count", None),
                           ("--execution-segment", None), ("--dns", None)):
            forms = [[flag, ""]] + ([[flag + "="]] if flag.startswith("--") else [])
            for args in forms:
                with self.subTest(args=args):
                    out = self.run_in(directory, *args)
                    self.assertEqual(out.returncode, 104, out.stderr)
                    self.assertEqual(out.stderr, f"lueng run: {name or flag}: an empty value; "
                                                 "give one, or leave the flag out\n")
                    self.assertEqual(out.stdout, "")
        self.assertEqual(os.listdir(directory), [])
        # `--name=` is `--name ""`: it does not take the next argument as its value.
        script = script_file(SIMPLE)
        out = lueng("run", "--summary-export=", script)
        self.assertEqual(out.returncode, 104, out.stderr)
        self.assertIn("--summary-export: an empty value", out.stderr)
        with open(script) as f:
            self.assertEqual(f.read(), SIMPLE)
        kept = os.path.join(directory, "kept.json")
        with open(kept, "w") as f:
            f.write("{}")
        for args in (["merge", "--summary-export=", kept, kept], ["report", kept, "--html", ""],
                     ["validate", kept, "--output="], ["compare", kept, kept, "--tolerance="]):
            with self.subTest(args=args):
                out = lueng(*args)
                self.assertEqual(out.returncode, 104, out.stderr)
                self.assertIn(": an empty value; give one, or leave the flag out", out.stderr)
                with open(kept) as f:
                    self.assertEqual(f.read(), "{}")
        out = lueng("run", "")
        self.assertEqual((out.returncode, out.stderr), (104, "lueng run: script: an empty value\n"))

    def test_an_empty_value_that_means_none_is_still_a_value(self):
        # As in k6: no stages (one iteration), no trend columns, no system tags.
        for args in (["--stage", ""], ["--stage="], ["--summary-trend-stats", ""],
                     ["--summary-trend-stats="], ["--system-tags", ""]):
            with self.subTest(args=args):
                run = run_lueng(SIMPLE, args)
                self.assertEqual(run.code, 0, run.stderr)
                self.assertEqual(run.metric("iterations")["count"], 1)

    def test_a_negative_duration_is_a_value_with_or_without_equals(self):
        script = script_file(SIMPLE)
        for flag, message in (("--summary-export-interval",
                               "invalid --summary-export-interval '-1s': must not be negative"),
                              ("--duration", "invalid --duration '-1s': must be positive")):
            for args in ([flag, "-1s"], [f"{flag}=-1s"]):
                with self.subTest(args=args):
                    out = lueng("run", *args, script)
                    self.assertEqual(out.returncode, 104, out.stderr)
                    self.assertIn(message, out.stderr)
                    self.assertEqual(len(out.stderr.strip().splitlines()), 1, out.stderr)

    def test_a_run_without_thresholds_exits_0(self):
        run = run_lueng(SIMPLE, ["-i", "3"])
        self.assertEqual(run.code, 0, run.stderr)
        self.assertEqual(run.metric("iterations")["count"], 3)


if __name__ == "__main__":
    unittest.main()
