"""The distributed set-up of docs/distributed.md, run as far as this machine allows:
the Kubernetes manifests are read and their containers' commands run here, one
process per completion index as the Indexed Job's pods would, then the merge Job's
command; the GitHub Actions matrix example runs its segment jobs side by side and
then its merge job; the container image's steps are the project's own commands, and
its runtime packages provide every library the binary loads. (Debian's kubectl
predates Indexed Jobs and there is no cluster or image registry here.)"""

import datetime
import json
import os
import shutil
import subprocess
import tempfile
import threading
import unittest

import yaml

from hotel_support import start_mock
from support import BUILD_DIR, SANITIZED, SOURCE_DIR, check_sanitizers
from test_ci_pipelines import Workspace

KUBERNETES = os.path.join(SOURCE_DIR, "tools", "kubernetes")

# A test of fixed size, so the merged totals are known: 4 segments share 24 iterations.
SHARED_ITERATIONS = """
local http = require "lueng.http"
options = { scenarios = { book = { executor = "shared-iterations", vus = 4, iterations = 24,
                                   maxDuration = "20s" } } }
function default() http.get(ENV.BASE_URL .. "/health/live") end
"""


def manifests(name):
    with open(os.path.join(KUBERNETES, name)) as f:
        return list(yaml.safe_load_all(f))


def container(job):
    [only] = job["spec"]["template"]["spec"]["containers"]
    return only


def env_of(spec):
    return {e["name"]: e["value"] for e in spec.get("env", [])}


def rfc3339(seconds_ahead):
    at = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds_ahead)
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


class KubernetesManifests(unittest.TestCase):
    def setUp(self):
        [self.config, self.claim] = manifests("config.yaml")
        [self.segments] = manifests("segments-job.yaml")
        [self.merge] = manifests("merge-job.yaml")

    def test_the_segments_run_as_an_indexed_job_into_the_volume_the_merge_reads(self):
        spec = self.segments["spec"]
        self.assertEqual(spec["completionMode"], "Indexed")
        count = int(env_of(container(self.segments))["SEGMENT_COUNT"])
        self.assertEqual(spec["completions"], count)
        self.assertEqual(spec["parallelism"], count)
        self.assertEqual(int(env_of(container(self.merge))["SEGMENT_COUNT"]), count)
        script = container(self.segments)["command"][-1]
        self.assertIn('--segment-index "$JOB_COMPLETION_INDEX"', script)
        self.assertIn('--segment-count "$SEGMENT_COUNT"', script)
        self.assertIn('--start-at "$START_AT"', script)
        self.assertIn("START_AT", self.config["data"])
        # Both Jobs read the same settings and the same claim, mounted where
        # RESULTS_DIR says, and name the run's folder the same way.
        self.assertEqual(self.claim["kind"], "PersistentVolumeClaim")
        self.assertEqual(self.claim["spec"]["accessModes"], ["ReadWriteMany"])
        for job in (self.segments, self.merge):
            pod = job["spec"]["template"]["spec"]
            self.assertEqual(pod["restartPolicy"], "Never")
            self.assertEqual(container(job)["envFrom"],
                             [{"configMapRef": {"name": self.config["metadata"]["name"]}}])
            [volume] = pod["volumes"]
            self.assertEqual(volume["persistentVolumeClaim"]["claimName"],
                             self.claim["metadata"]["name"])
            [mount] = container(job)["volumeMounts"]
            self.assertEqual(mount["name"], volume["name"])
            self.assertEqual(mount["mountPath"], env_of(container(job))["RESULTS_DIR"])
            self.assertIn('out="$RESULTS_DIR/$RUN_ID"', container(job)["command"][-1])
        self.assertIn('--summary-export "$out/segment-$JOB_COMPLETION_INDEX.json"', script)
        self.assertIn('lueng merge "$out"/segment-*.json', container(self.merge)["command"][-1])

    def test_each_pods_command_and_then_the_merge_jobs_command_run_here(self):
        tmp = tempfile.mkdtemp(prefix="lueng-k8s-")
        self.addCleanup(shutil.rmtree, tmp)
        # The image's /opt/lueng is `make install PREFIX=/opt/lueng`: the same here.
        prefix = os.path.join(tmp, "opt-lueng")
        subprocess.run(["make", "--no-print-directory", "-C", SOURCE_DIR, "install",
                        f"BUILD={os.path.abspath(BUILD_DIR)}", f"PREFIX={prefix}"],
                       check=True, capture_output=True, timeout=120)
        shipped = self.config["data"]["SCRIPT"].replace("/opt/lueng", prefix)
        self.assertTrue(os.path.isfile(shipped), shipped)
        script = os.path.join(tmp, "book.lua")
        with open(script, "w") as f:
            f.write(SHARED_ITERATIONS)

        mock = start_mock()
        self.addCleanup(mock.stop)
        results = os.path.join(tmp, "results")
        settings = {**self.config["data"], "RUN_ID": "run-7", "SCRIPT": script,
                    "BASE_URL": f"http://127.0.0.1:{mock.port}", "START_AT": rfc3339(2)}
        base = {k: v for k, v in os.environ.items() if k not in ("LUENG_PATH", "LUA_PATH")}
        base.update(settings, PATH=f"{prefix}/bin:{os.environ['PATH']}")

        def pod_env(job, **more):
            return {**base, **env_of(container(job)), "RESULTS_DIR": results, **more}

        count = self.segments["spec"]["completions"]
        pods = [subprocess.Popen(container(self.segments)["command"],
                                 env=pod_env(self.segments, THREADS="1", JOB_COMPLETION_INDEX=str(i)),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for i in range(count)]
        for pod in pods:
            out, err = pod.communicate(timeout=90)
            check_sanitizers(err)
            self.assertEqual(pod.returncode, 0, err)
        run_dir = os.path.join(results, "run-7")
        for i in range(count):
            with open(os.path.join(run_dir, f"segment-{i}.done")) as f:
                self.assertEqual(f.read().strip(), "0")

        merge = subprocess.run(container(self.merge)["command"],
                               env=pod_env(self.merge, WAIT_SECONDS="10"),
                               capture_output=True, text=True, timeout=90)
        check_sanitizers(merge.stderr)
        self.assertEqual(merge.returncode, 0, merge.stderr)
        with open(os.path.join(run_dir, "merge-status")) as f:
            self.assertEqual(f.read().strip(), "0")
        with open(os.path.join(run_dir, "merged.json")) as f:
            merged = json.load(f)
        self.assertEqual(merged["metrics"]["iterations"]["values"]["count"], 24)
        self.assertEqual(merged["metrics"]["http_reqs"]["values"]["count"], 24)
        self.assertEqual(len(merged["merged_from"]), count)
        self.assertEqual(merged["coverage"]["missing"], [])
        for report in ("report.html", "report.md", "junit.xml"):
            self.assertGreater(os.path.getsize(os.path.join(run_dir, report)), 0, report)


class ContainerImage(unittest.TestCase):
    def test_its_steps_are_the_projects_own_commands(self):
        with open(os.path.join(SOURCE_DIR, "tools", "container", "Containerfile")) as f:
            text = f.read().replace("\\\n", " ")
        runs = [line[4:].strip() for line in text.splitlines() if line.startswith("RUN ")]
        self.assertEqual([" ".join(part.split()) for part in runs[0].split("&&")], [
            "tools/install-deps.sh --build",
            "make build DEPS_FLAGS=--build CMAKE_FLAGS=-DLUENG_TESTS=OFF",
            "make install PREFIX=/opt/lueng"])
        self.assertTrue(runs[1].startswith("lueng-install-deps --runtime"))
        # What `make build` does with those flags: only the build packages, no tests.
        dry = subprocess.run(["make", "--no-print-directory", "-n", "-C", SOURCE_DIR, "build",
                              "DEPS_FLAGS=--build", "CMAKE_FLAGS=-DLUENG_TESTS=OFF"],
                             capture_output=True, text=True, check=True).stdout
        self.assertIn("tools/install-deps.sh --build", dry)
        self.assertIn("-DLUENG_TESTS=OFF", dry)
        listed = subprocess.run([os.path.join(SOURCE_DIR, "tools", "install-deps.sh"), "--list",
                                 "build"], capture_output=True, text=True, check=True).stdout.split()
        self.assertNotIn("chromium", listed)
        self.assertIn("libluajit2-5.1-dev", listed)

    @unittest.skipIf(SANITIZED, "a sanitizer build links the sanitizers' own libraries")
    def test_the_runtime_packages_provide_every_library_the_binary_loads(self):
        listed = subprocess.run([os.path.join(SOURCE_DIR, "tools", "install-deps.sh"), "--list",
                                 "runtime"], capture_output=True, text=True, check=True).stdout.split()
        # In every Debian image: the C library and GCC's runtime.
        available = set(listed) | {"libc6", "libgcc-s1"}
        ldd = subprocess.run(["ldd", os.path.join(BUILD_DIR, "lueng")], capture_output=True,
                             text=True, check=True).stdout
        libraries = [line.split("=>")[1].split()[0] for line in ldd.splitlines()
                     if "=>" in line and "/" in line.split("=>")[1]]
        self.assertGreater(len(libraries), 4, ldd)
        for library in libraries:
            owner = subprocess.run(["dpkg", "-S", os.path.realpath(library)], capture_output=True,
                                   text=True)
            if owner.returncode != 0:  # merged /usr: dpkg knows the /lib path
                owner = subprocess.run(["dpkg", "-S", library], capture_output=True, text=True)
            package = owner.stdout.split(":")[0]
            self.assertIn(package, available, f"{library} comes from {package}")


class GitHubDistributedWorkflow(unittest.TestCase):
    """The matrix jobs of tools/ci/github-actions-distributed.yml side by side, each in
    a workspace of its own (as separate runners), their artifacts then handed to the
    merge job."""

    def setUp(self):
        with open(os.path.join(SOURCE_DIR, "tools", "ci", "github-actions-distributed.yml")) as f:
            self.jobs = yaml.safe_load(f)["jobs"]

    def run_steps(self, job, env, workspace, log):
        files = {name: os.path.join(workspace.root, name.lower())
                 for name in ("GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY")}
        env = {**env, **files}
        failed = False
        for step in job["steps"]:
            if "run" not in step:
                continue
            if step.get("name") == "Build lueng":
                self.assertEqual(step["run"].strip(), "make lueng-build")
                continue
            if failed and step.get("if") != "always()":
                continue
            for path in files.values():
                open(path, "w").close()
            code, out = workspace.sh(step["run"], env)
            log.append(f"--- {step.get('name')}: exit {code}\n{out}")
            failed = failed or code != 0
            with open(files["GITHUB_ENV"]) as f:
                env.update(line.partition("=")[::2] for line in f.read().splitlines())
        return not failed

    def test_segments_then_merge_give_one_verdict(self):
        plan = Workspace(self)
        [step] = self.jobs["plan"]["steps"]
        code, out = plan.sh(step["run"], {"GITHUB_OUTPUT": os.path.join(plan.root, "output")})
        self.assertEqual(code, 0, out)
        with open(os.path.join(plan.root, "output")) as f:
            key, _, value = f.read().strip().partition("=")
        self.assertEqual(key, "start_at")
        ahead = (datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
                 .replace(tzinfo=datetime.timezone.utc) - datetime.datetime.now(datetime.timezone.utc))
        self.assertGreater(ahead.total_seconds(), 60)

        segment = self.jobs["segment"]
        indices = segment["strategy"]["matrix"]["index"]
        self.assertEqual(indices, list(range(int(segment["env"]["SEGMENTS"]))))
        self.assertEqual(self.jobs["merge"]["env"]["SEGMENTS"], segment["env"]["SEGMENTS"])
        start_at = rfc3339(3)  # the plan's instant, brought forward for the test
        workspaces, logs, outcomes = {}, {}, {}

        def run(index):
            workspaces[index] = Workspace(self)
            env = {"SEGMENTS": segment["env"]["SEGMENTS"], "INDEX": str(index),
                   "START_AT": start_at, "SCENARIO": "load", "BASE_URL": "",
                   "PERF_ARGS": "-u 8 -d 2s"}
            logs[index] = []
            outcomes[index] = self.run_steps(segment, env, workspaces[index], logs[index])

        threads = [threading.Thread(target=run, args=(i,)) for i in indices]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=150)
        for index in indices:
            self.assertTrue(outcomes.get(index), "\n".join(logs.get(index, [])))

        merge = Workspace(self)
        os.makedirs(os.path.join(merge.root, ".performance"))
        for index in indices:  # upload-artifact, then download-artifact with merge-multiple
            [produced] = workspaces[index].files("segment-*.json")
            shutil.copy(produced, os.path.join(merge.root, ".performance"))
        log = []
        passed = self.run_steps(self.jobs["merge"], {"SEGMENTS": self.jobs["merge"]["env"]["SEGMENTS"]},
                                merge, log)
        text = "\n".join(log)
        with open(os.path.join(merge.root, ".performance", "gate-status")) as f:
            status = int(f.read())
        self.assertIn(status, (0, 1, 2), text)
        self.assertEqual(passed, status != 2, text)
        self.assertNotIn("segments ran", text)  # every segment was there
        with open(merge.files("results-merged.json")[0]) as f:
            merged = json.load(f)
        self.assertEqual(len(merged["merged_from"]), len(indices))
        self.assertEqual(merged["metrics"]["vus_max"]["values"]["value"], 8, text)
        for pattern in ("summary-merged.html", "summary.md", "junit-merged.xml"):
            self.assertTrue(merge.files(pattern), pattern)


if __name__ == "__main__":
    unittest.main()
