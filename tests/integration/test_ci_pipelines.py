"""The CI pipelines of tools/ci (GitHub Actions, GitLab CI, Jenkins) run here as their
CI would run them: each pipeline's shell steps, extracted from the file, in order, in
a workspace laid out like a checkout, against the hotel mock the pipelines start
themselves. What the test changes: port 8000 becomes a free one, durations are capped
by LUENG_MAX_DURATION, and the build step (`make lueng-build`, checked to be exactly
that) is the test's own build. Steps that are not shell (`uses:`, archiveArtifacts,
publishHTML) are the CI's own and not run; the exit-status logic around the gate is
emulated as each CI applies it (GitHub's `if: always()`, GitLab's allow_failure on exit
code 1, Jenkins' returnStatus with unstable/error)."""

import glob
import os
import re
import signal
import subprocess
import tempfile
import unittest

import yaml

from support import BUILD_DIR, LUENG, SOURCE_DIR, free_port

CI_DIR = os.path.join(SOURCE_DIR, "tools", "ci")
CAP = "2s"


class Workspace:
    """A checkout-like folder: scripts/, tools/, lib/, Makefile and build/ (the tests'
    build). Every step runs in a process group of its own, so whatever it left running
    in the background (the mock) is stopped at the end."""

    def __init__(self, case):
        self.root = tempfile.mkdtemp(prefix="lueng-ci-")
        for name in ("scripts", "tools", "lib", "Makefile"):
            os.symlink(os.path.join(SOURCE_DIR, name), os.path.join(self.root, name))
        os.symlink(os.path.abspath(BUILD_DIR), os.path.join(self.root, "build"))
        self.port = free_port()
        self.groups = []
        case.addCleanup(self.stop)

    def adapt(self, script):
        return script.replace("127.0.0.1:8000", f"127.0.0.1:{self.port}")

    def sh(self, script, env, shell=("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c")):
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CI_"))}
        environment.update({"LUENG_MAX_DURATION": CAP, "HEALTH_WAIT": "10", **env})
        process = subprocess.Popen([*shell, self.adapt(script)], cwd=self.root, env=environment,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   start_new_session=True)
        self.groups.append(process.pid)
        out, _ = process.communicate(timeout=120)
        return process.returncode, out

    def stop(self):
        for group in self.groups:
            try:
                os.killpg(group, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def files(self, pattern):
        return glob.glob(os.path.join(self.root, ".performance", pattern))


class GitHubActions:
    """Runs the `run:` steps of the one job, with GITHUB_ENV, GITHUB_OUTPUT and
    GITHUB_STEP_SUMMARY, `${{ }}` expressions resolved from `context`."""

    def __init__(self, case, context):
        with open(os.path.join(CI_DIR, "github-actions.yml")) as f:
            self.workflow = yaml.safe_load(f)
        self.case = case
        self.context = context
        [self.job] = self.workflow["jobs"].values()
        self.workspace = Workspace(case)

    def expression(self, text):
        def value(match):
            for operand in match.group(1).split("||"):
                found = self.context.get(operand.strip(), "")
                if found:
                    return found
            return ""
        return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", value, str(text))

    def run(self, only=None):
        files = {name: os.path.join(self.workspace.root, name.lower())
                 for name in ("GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY")}
        env = {k: self.expression(v) for k, v in self.job.get("env", {}).items()}
        env.update(files)
        failed, log, summary = False, "", ""
        for step in self.job["steps"]:
            if "run" not in step:
                continue
            if step.get("name") == "Build lueng":
                self.case.assertEqual(step["run"].strip(), "make lueng-build")
                continue
            if only and step.get("name") not in only:
                continue
            condition = step.get("if", "")
            self.case.assertIn(condition, ("", "always()"), "a run step's if is shell logic instead")
            if failed and condition != "always()":
                continue
            for path in files.values():
                open(path, "w").close()
            code, out = self.workspace.sh(step["run"], env)
            log += f"--- {step.get('name')}: exit {code}\n{out}"
            failed = failed or code != 0
            with open(files["GITHUB_ENV"]) as f:
                for line in f.read().splitlines():
                    key, _, value = line.partition("=")
                    env[key] = value
            with open(files["GITHUB_STEP_SUMMARY"]) as f:  # each step's, shown together
                summary += f.read()
        return (not failed), env, summary, log


class PipelinesTest(unittest.TestCase):
    def gate_status(self, workspace):
        with open(os.path.join(workspace.root, ".performance", "gate-status")) as f:
            return int(f.read())

    def test_github_pull_request_runs_smoke_comments_and_passes(self):
        pipeline = GitHubActions(self, {"github.event_name": "pull_request"})
        passed, env, summary, log = pipeline.run()
        self.assertEqual(env["SCENARIO"], "smoke", log)
        self.assertTrue(passed, log)
        self.assertEqual(self.gate_status(pipeline.workspace), 0, log)
        self.assertIn("perf-gate: ALLOW", log)
        self.assertIn("PASSED", summary)  # the Markdown report in the job summary
        self.assertIn("gate: exit 0", summary)
        for pattern in ("results-smoke-*.json", "summary-smoke-*.html", "results-smoke-*.md",
                        "junit-smoke-*.xml", "summary.md"):
            self.assertTrue(pipeline.workspace.files(pattern), pattern)

    def test_github_schedules_pick_load_nightly_and_stress_weekly(self):
        for schedule, scenario in (("0 2 * * *", "load"), ("0 3 * * 0", "stress")):
            pipeline = GitHubActions(self, {"github.event_name": "schedule",
                                            "github.event.schedule": schedule})
            passed, env, _, log = pipeline.run(only={"Choose the scenario"})
            self.assertTrue(passed, log)
            self.assertEqual(env["SCENARIO"], scenario, log)

    def test_github_dispatch_takes_its_inputs_and_fails_only_on_a_block(self):
        pipeline = GitHubActions(self, {"github.event_name": "workflow_dispatch",
                                        "inputs.scenario": "load", "inputs.vus": "3",
                                        "inputs.duration": "2s"})
        passed, env, summary, log = pipeline.run()
        self.assertEqual(env["SCENARIO"], "load")
        self.assertIn("-u 3 -d 2s", env["PERF_ARGS"])
        status = self.gate_status(pipeline.workspace)
        self.assertIn(status, (0, 1, 2), log)
        self.assertEqual(passed, status != 2, log)
        if status == 1:
            self.assertIn("::warning", log)
        self.assertIn(f"gate: exit {status}", summary)
        self.assertTrue(pipeline.workspace.files("results-load-*.json"))

    def test_gitlab_job_runs_and_warns_on_exit_1(self):
        with open(os.path.join(CI_DIR, "gitlab-ci.yml")) as f:
            job = yaml.safe_load(f)["performance"]
        self.assertEqual(job["allow_failure"], {"exit_codes": [1]})
        self.assertEqual(job["before_script"][0], "make lueng-build")
        workspace = Workspace(self)
        variables = {k: str(v) for k, v in job["variables"].items()}
        # GitLab runs before_script and script as one shell, stopping at a failing line.
        lines = job["before_script"][1:] + job["script"]
        code, out = workspace.sh("\n".join(lines), variables)
        self.assertIn(code, (0, 1), out)  # smoke on a healthy target: allowed
        self.assertIn("perf-gate: ALLOW", out)
        self.assertTrue(workspace.files(os.path.basename(job["artifacts"]["reports"]["junit"])))
        # A schedule running load: whatever the gate decides, GitLab's reading of it
        # (1 passes with a warning) is the gate's own exit status.
        variables.update({"PERF_SCENARIO": "load", "PERF_VUS": "2", "PERF_DURATION": "2s"})
        workspace = Workspace(self)
        code, out = workspace.sh("\n".join(lines), variables)
        self.assertIn(code, (0, 1, 2), out)
        self.assertIn(f"perf-gate: {('ALLOW', 'ALLOW WITH WARNING', 'BLOCK')[code]}", out)
        self.assertIn("with ' -u 2 -d 2s'", out)

    def test_jenkins_pipeline_runs_its_sh_steps(self):
        with open(os.path.join(CI_DIR, "Jenkinsfile")) as f:
            text = f.read()
        steps = re.findall(r"sh\((?:returnStatus: true, )?script: '''(.*?)'''\)|sh '''(.*?)'''|sh '([^']*)'",
                           text, re.S)
        scripts = [next(part for part in step if part) for step in steps]
        self.assertEqual(scripts[0], "make lueng-build")
        self.assertIn("if (status == 1) {\n                        unstable(", text)
        self.assertIn("} else if (status != 0) {\n                        error(", text)
        self.assertIn("reportFiles: 'summary-*.html'", text)
        workspace = Workspace(self)
        params = {"SCENARIO": "smoke", "VUS": "", "DURATION": "", "BASE_URL": ""}
        log = ""
        gate = None
        for script in scripts[1:]:
            # Jenkins runs each sh step with `sh -xe`.
            code, out = workspace.sh(script, params, shell=("sh", "-xe", "-c"))
            log += out
            if "perf-gate.sh" in script:
                gate = code
            elif "kill" not in script:
                self.assertEqual(code, 0, log)
        self.assertEqual(gate, 0, log)
        self.assertTrue(workspace.files("summary-smoke-*.html"), log)


if __name__ == "__main__":
    unittest.main()
