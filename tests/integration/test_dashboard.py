"""`lueng run --dashboard`: the live web dashboard, tested over raw sockets (the
event stream, garbage and bounds) and in headless Chromium driven through the
DevTools protocol on a pipe: the page loads, its numbers change while the run
goes on, and its final numbers are those of the result file."""

import fcntl
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from support import LUENG, SANITIZED, TestServer, check_sanitizers, lueng

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

SCRIPT = """
local http = require "lueng.http"
local lueng = require "lueng"
options = {
  vus = 2,
  duration = "%s",
  thresholds = {
    http_req_duration = { "p(95)<5000" },
    http_req_failed = { "rate<0.5" },
  },
}
function default()
  http.get(ENV.BASE_URL .. "/hello", { tags = { name = "hello </script><b>" } })
  lueng.sleep(0.01)
end
"""

URL = re.compile(r"dashboard: (http://127\.0\.0\.1:(\d+)/)")


def start_run(base_url, duration, *flags):
    """`lueng run` with the dashboard on a free port, in the background; returns
    (process, port, result path) once the dashboard's address is printed."""
    workdir = tempfile.mkdtemp(prefix="lueng-dashboard-")
    script = os.path.join(workdir, "script.lua")
    with open(script, "w") as f:
        f.write(SCRIPT % duration)
    result = os.path.join(workdir, "result.json")
    process = subprocess.Popen(
        [LUENG, "run", "-q", "--dashboard=127.0.0.1:0", "--summary-export", result,
         "-e", f"BASE_URL={base_url}", *flags, script],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    for _ in range(20):
        lines.append(process.stderr.readline())
        match = URL.search(lines[-1])
        if match or not lines[-1]:
            break
    if not match:
        process.kill()
        raise AssertionError(f"no dashboard address on stderr: {lines!r}")
    return process, int(match.group(2)), result


def finish_run(process, sig=None, timeout=30):
    if sig:
        process.send_signal(sig)
    stdout, stderr = process.communicate(timeout=timeout)
    check_sanitizers(stderr)
    return stdout, stderr


def http_get(port, request, timeout=10):
    """Sends raw bytes, returns everything until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
        return data


def read_events(sock, until, timeout=20):
    """(name, data) of the server-sent events read until `until(events)`."""
    buffer, events = b"", []
    deadline = time.time() + timeout
    while not until(events) and time.time() < deadline:
        ready, _, _ = select.select([sock], [], [], 0.5)
        if not ready:
            continue
        chunk = sock.recv(65536)
        if not chunk:
            break
        buffer += chunk
        while b"\n\n" in buffer:
            block, buffer = buffer.split(b"\n\n", 1)
            fields = dict(line.split(": ", 1) for line in block.decode().split("\n")
                          if ": " in line)
            if "event" in fields:
                events.append((fields["event"], json.loads(fields["data"])))
    return events


def result_totals(path):
    # The page's last event comes as the run ends, before the reports are written;
    # a slow (sanitizer) build may still be writing them. The file appears whole.
    deadline = time.time() + 30
    while not os.path.exists(path) and time.time() < deadline:
        time.sleep(0.1)
    with open(path) as f:
        result = json.load(f)
    metrics = result["metrics"]
    return {
        "requests": metrics["http_reqs"]["values"]["count"],
        "iterations": metrics["iterations"]["values"]["count"],
        "p95": metrics["http_req_duration"]["values"]["p(95)"],
        "p50": metrics["http_req_duration"]["values"]["med"],
        "error_rate": metrics["http_req_failed"]["values"]["rate"],
    }


class DashboardTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = TestServer()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def assert_final_matches(self, totals, path):
        expected = result_totals(path)
        self.assertEqual(totals["requests"], expected["requests"])
        self.assertEqual(totals["iterations"], expected["iterations"])
        self.assertAlmostEqual(totals["p95"], expected["p95"], places=6)
        self.assertAlmostEqual(totals["p50"], expected["p50"], places=6)
        self.assertAlmostEqual(totals["error_rate"], expected["error_rate"], places=9)

    def test_event_stream_and_bad_requests(self):
        # Under a sanitizer the start is slow enough that a 3 s load could be over
        # before the first snapshot, leaving no change to see.
        length = "8s" if SANITIZED else "3s"
        process, port, result = start_run(self.server.base_url, length, "--dashboard-linger=20s")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as stream:
                stream.sendall(b"GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                head = b""
                while b"\r\n\r\n" not in head:
                    head += stream.recv(1)
                self.assertTrue(head.startswith(b"HTTP/1.1 200 OK\r\n"), head)
                self.assertIn(b"Content-Type: text/event-stream", head)

                # While the stream flows, garbage and other requests are answered and closed.
                garbage = http_get(port, b"\x16\x03\x01\x00\xff\x01garbage\r\n\r\n")
                self.assertTrue(garbage.startswith(b"HTTP/1.1 400 Bad Request"), garbage)
                self.assertTrue(http_get(port, b"DELETE / HTTP/1.1\r\n\r\n")
                                .startswith(b"HTTP/1.1 405"))
                self.assertTrue(http_get(port, b"GET /../etc/passwd HTTP/1.1\r\n\r\n")
                                .startswith(b"HTTP/1.1 404"))
                # A DNS name rebound to loopback does not get the page.
                self.assertTrue(http_get(port, b"GET / HTTP/1.1\r\nHost: rebound.example\r\n\r\n")
                                .startswith(b"HTTP/1.1 403"))
                huge = http_get(port, b"GET / HTTP/1.1\r\nX: " + b"a" * 20000 + b"\r\n\r\n")
                self.assertTrue(huge.startswith(b"HTTP/1.1 431"), huge[:100])
                # A client that sends half a request and stays silent holds no slot for long.
                with socket.create_connection(("127.0.0.1", port), timeout=15) as silent:
                    silent.sendall(b"GET / HTT")
                    started = time.time()
                    self.assertEqual(silent.recv(100), b"")
                    self.assertGreater(time.time() - started, 2)

                events = read_events(stream, lambda e: any(name == "final" for name, _ in e))
            names = [name for name, _ in events]
            self.assertIn("final", names)
            snapshots = [data for name, data in events if name == "snapshot"]
            self.assertGreaterEqual(len(snapshots), 2, names)
            counts = [s["totals"]["requests"] for s in snapshots]
            self.assertEqual(counts, sorted(counts))
            self.assertLess(counts[0], counts[-1])
            final = events[names.index("final")][1]
            self.assertTrue(final["final"])
            self.assertEqual(final["verdict"], "PASSED")
            self.assertEqual([s["status"] for s in final["slos"]], ["PASS", "PASS"])
            self.assertEqual([e["name"] for e in final["endpoints"]], ["hello </script><b>"])
            self.assertEqual(final["endpoints"][0]["requests"], final["totals"]["requests"])
            self.assertGreater(len(final["series"]), 0)
            # The result file is written before the linger: the same numbers.
            self.assert_final_matches(final["totals"], result)

            # Lingering: the page still serves, with the final numbers inline.
            page = http_get(port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            self.assertTrue(page.startswith(b"HTTP/1.1 200 OK"))
            self.assertIn(b"Content-Security-Policy: default-src 'none'", page)
            body = page.split(b"\r\n\r\n", 1)[1]
            self.assertNotIn(b"http://", body)
            self.assertNotIn(b"https://", body)
            self.assertNotIn(b"</script><b>", body)  # the endpoint name, escaped
            self.assertIn(b'"final":true', body)
            started = time.time()
        finally:
            # Ctrl-C ends the linger at once.
            stdout, stderr = finish_run(process, signal.SIGINT)
        self.assertLess(time.time() - started, 10)
        self.assertEqual(process.returncode, 0, stderr)
        self.assertIn("http_reqs", stdout)

    def test_port_in_use_fails_before_the_run(self):
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen(1)
            port = taken.getsockname()[1]
            self.server.reset()
            with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
                script.write(SCRIPT % "1s")
                script.flush()
                run = lueng("run", f"--dashboard=127.0.0.1:{port}", "-e",
                            f"BASE_URL={self.server.base_url}", script.name)
                self.assertEqual(self.server.requests, [])  # nothing ran
                bad = lueng("run", "--dashboard=example.com:80", script.name)
                # A bare --dashboard takes no value (not the script's path); k6's
                # variables give its address.
                bare = subprocess.run(
                    [LUENG, "run", "-q", "--dashboard", "-e", f"BASE_URL={self.server.base_url}",
                     script.name], capture_output=True, text=True, timeout=60,
                    env={**os.environ, "K6_WEB_DASHBOARD_HOST": "127.0.0.1",
                         "K6_WEB_DASHBOARD_PORT": "0"})
        self.assertEqual(run.returncode, 104, run.stderr)
        self.assertIn(f"--dashboard 127.0.0.1:{port}: cannot listen: address already in use",
                      run.stderr)
        self.assertEqual(bad.returncode, 104)
        self.assertIn("--dashboard 'example.com' is not an IP address", bad.stderr)
        check_sanitizers(bare.stderr)
        self.assertEqual(bare.returncode, 0, bare.stderr)
        self.assertRegex(bare.stderr, URL)

    @unittest.skipUnless(CHROMIUM, "chromium is not installed")
    def test_page_in_chromium(self):
        # Chromium first: on a loaded machine it takes seconds to start.
        browser = DevTools()
        browser.command("Target.getTargets")
        process, port, result = start_run(self.server.base_url, "10s", "--dashboard-linger=30s")
        try:
            browser.open(f"http://127.0.0.1:{port}/")
            seen, state = [], None
            deadline = time.time() + 40
            while time.time() < deadline:
                try:
                    state = browser.evaluate(PAGE_STATE)
                except PageNotReady:
                    state = None
                if state and state["requests"] is not None and not state["final"]:
                    seen.append(int(state["requests"]))
                if state and state["final"]:
                    break
                time.sleep(0.25)
            self.assertTrue(state and state["final"], state)
            # The numbers changed while the page was open (server-sent events).
            self.assertGreaterEqual(len(set(seen)), 2, seen)
            self.assertEqual(seen, sorted(seen))
            totals = {key: float(state[key]) for key in ("requests", "iterations", "p95", "p50",
                                                          "error_rate")}
            self.assert_final_matches(totals, result)
            self.assertEqual(state["requestsText"], f"{int(totals['requests']):,}")
            self.assertIn("finished", state["state"])
            self.assertEqual(state["slos"], 2)
            self.assertEqual(state["endpoints"], ["GET hello </script><b>"])
            self.assertEqual(state["canvases"], 4)
        finally:
            browser.close()
            finish_run(process, signal.SIGINT)


PAGE_STATE = """JSON.stringify((() => {
  const v = (id) => document.getElementById(id) && document.getElementById(id).dataset.value;
  return {
    requests: v("requests") === undefined ? null : v("requests"),
    requestsText: document.getElementById("requests").textContent,
    iterations: v("iterations"), p95: v("p95"), p50: v("p50"), error_rate: v("error-rate"),
    state: document.getElementById("state").textContent,
    final: !!(window.dashboard && window.dashboard.final),
    slos: document.querySelectorAll("#slos tbody tr").length,
    endpoints: [...document.querySelectorAll("#endpoints tbody tr td:first-child")]
        .map((td) => td.textContent),
    canvases: [...document.querySelectorAll("canvas")].filter((c) => c.width > 0).length,
  };
})())"""


class PageNotReady(Exception):
    """The page has no script context yet: it is still loading."""


def moved_up(fd):
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


class DevTools:
    """Headless Chromium driven through the DevTools protocol on a pipe
    (--remote-debugging-pipe: JSON messages ending in NUL, commands on its fd 3,
    answers on its fd 4), so no WebSocket client is needed."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="lueng-chromium-")
        to_chrome_read, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_write = os.pipe()
        # Out of the way of 3 and 4, where the child wants them.
        to_chrome_read, from_chrome_write = moved_up(to_chrome_read), moved_up(from_chrome_write)

        def fds():
            os.dup2(to_chrome_read, 3)
            os.dup2(from_chrome_write, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
             f"--user-data-dir={self.profile}", "--remote-debugging-pipe", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=fds,
            pass_fds=(3, 4))
        os.close(to_chrome_read)
        os.close(from_chrome_write)
        self.buffer, self.next_id, self.session = b"", 0, None

    def command(self, method, params=None, session=None, timeout=30):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while time.time() < deadline:
            while b"\0" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\0", 1)
                answer = json.loads(raw)
                if answer.get("id") == self.next_id:
                    if "error" in answer:
                        if "execution context" in answer["error"].get("message", ""):
                            raise PageNotReady(answer["error"]["message"])
                        raise AssertionError(f"{method}: {answer['error']}")
                    return answer["result"]
            ready, _, _ = select.select([self.from_chrome], [], [], 1)
            if ready:
                chunk = os.read(self.from_chrome, 1 << 20)
                if not chunk:
                    raise AssertionError("chromium closed its DevTools pipe")
                self.buffer += chunk
        raise AssertionError(f"{method}: no answer from chromium")

    def open(self, url):
        target = self.command("Target.createTarget", {"url": url})["targetId"]
        self.session = self.command("Target.attachToTarget",
                                    {"targetId": target, "flatten": True})["sessionId"]

    def evaluate(self, expression):
        result = self.command("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                              session=self.session)
        value = result.get("result", {}).get("value")
        return json.loads(value) if isinstance(value, str) else None

    def close(self):
        try:
            self.command("Browser.close", timeout=5)
        except (AssertionError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.to_chrome)
        os.close(self.from_chrome)
        shutil.rmtree(self.profile, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
