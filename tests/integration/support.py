"""Shared pieces of the integration tests: a real HTTP/1.1 server on loopback
that counts every byte it reads and writes, and a runner for the lueng binary."""

import json
import os
import re
import signal
import socket
import signal
import subprocess
import tempfile
import threading
import unittest
import time
import urllib.parse

LUENG = os.environ.get("LUENG_BIN", "lueng")
SOURCE_DIR = os.environ.get("LUENG_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD_DIR = os.environ.get("LUENG_BUILD_DIR", os.path.join(SOURCE_DIR, "build"))


# The first line of a report of the sanitizers `make test-asan` and `make test-tsan`
# build with. A report fails the test even where the exit status would not show
# it (a run expected to exit 1 or 2, a test that reads only the output).
SANITIZER_REPORT = re.compile(r"^(==\d+==ERROR: \w+Sanitizer|WARNING: ThreadSanitizer|"
                              r"\S+:\d+:\d+: runtime error: )", re.M)


# A sanitizer build (make test-asan, make test-tsan) runs several times slower and
# keeps freed memory in quarantine: bounds on speed and memory hold only without one.
SANITIZED = "ASAN_OPTIONS" in os.environ or "TSAN_OPTIONS" in os.environ


def check_sanitizers(stderr, what="lueng"):
    """Raises AssertionError with the report when stderr holds a sanitizer report."""
    if isinstance(stderr, bytes):
        stderr = stderr.decode(errors="replace")
    match = SANITIZER_REPORT.search(stderr or "")
    if match:
        raise AssertionError(f"{what}: sanitizer report:\n{stderr[match.start():match.start() + 8000]}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raw_response(status, body=b"", headers=None, reason="OK"):
    head = f"HTTP/1.1 {status} {reason}\r\nContent-Length: {len(body)}\r\n"
    for name, value in (headers or {}).items():
        head += f"{name}: {value}\r\n"
    return head.encode() + b"\r\n" + body


class Request:
    def __init__(self, method, target, headers, body, raw_size, connection=0):
        self.method = method
        self.target = target
        url = urllib.parse.urlsplit(target)
        self.path = url.path
        self.query = dict(urllib.parse.parse_qsl(url.query))
        self.headers = headers
        self.body = body
        self.raw_size = raw_size
        self.connection = connection  # 1-based number of the connection it came on
        self.peer = None  # the client's IP address


class TestServer:
    """A keep-alive HTTP/1.1 server on 127.0.0.1 with a thread per connection.

    Routes are exact paths mapped to functions(Request) -> raw response bytes.
    Every request and the exact byte counts in both directions are recorded."""

    def __init__(self):
        self.routes = {
            "/hello": lambda r: raw_response(200, b"hello world", {"Content-Type": "text/plain"}),
            "/json": lambda r: raw_response(
                200, b'{"status":"ok","items":[1,2,3],"nested":{"name":"lueng"}}',
                {"Content-Type": "application/json"}),
            "/echo": self._echo,
            "/slow": self._slow,
            "/status": lambda r: raw_response(int(r.query.get("code", "200")), b"", reason="Status"),
        }
        self.requests = []
        self.active = 0  # requests being handled right now
        self._lock = threading.Lock()
        self.reset()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(512)
        self.port = self._sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._stopping = False
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    def reset(self):
        """Forgets what earlier tests sent: requests, byte counts, connections."""
        with self._lock:
            self.requests.clear()
            self.bytes_in = 0
            self.bytes_out = 0
            self.connections = 0
            self.max_active = 0

    def _echo(self, request):
        body = json.dumps({"method": request.method, "target": request.target,
                           "headers": request.headers,
                           "body": request.body.decode("utf-8", "replace")}).encode()
        return raw_response(200, body, {"Content-Type": "application/json"})

    def _slow(self, request):
        time.sleep(int(request.query.get("ms", "100")) / 1000)
        return raw_response(200, b"slow")

    def _accept_loop(self):
        while not self._stopping:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                number = self.connections
            threading.Thread(target=self._serve, args=(conn, number), daemon=True).start()

    def _serve(self, conn, number=0):
        buffer = b""
        with conn:
            while True:
                while b"\r\n\r\n" not in buffer:
                    try:
                        chunk = conn.recv(65536)
                    except OSError:
                        return
                    if not chunk:
                        return
                    buffer += chunk
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length", "0"))
                while len(buffer) < length:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                body, buffer = buffer[:length], buffer[length:]
                request = Request(method, target, headers, body, len(head) + 4 + length, number)
                try:
                    request.peer = conn.getpeername()[0]
                except OSError:
                    pass
                with self._lock:
                    self.active += 1
                    self.max_active = max(self.max_active, self.active)
                route = self.routes.get(request.path)
                response = route(request) if route else raw_response(404, b"not found", reason="Not Found")
                with self._lock:
                    self.active -= 1
                with self._lock:
                    self.requests.append(request)
                    self.bytes_in += request.raw_size
                    self.bytes_out += len(response)
                try:
                    conn.sendall(response)
                except OSError:
                    return
                if headers.get("connection", "").lower() == "close":
                    return

    def stop(self):
        self._stopping = True
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()


class RunResult:
    def __init__(self, completed, result_path, script_path=None):
        check_sanitizers(completed.stderr)
        self.script_path = script_path
        self.result_path = result_path
        self.code = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr
        self.result = None
        if result_path and os.path.exists(result_path):
            with open(result_path) as f:
                self.result = json.load(f)

    def metric(self, name):
        return self.result["metrics"][name]["values"]


class ServerCase(unittest.TestCase):
    """Tests that share one TestServer; each test starts with its traffic forgotten.
    A subclass adds its routes in setUpClass after calling super().setUpClass()."""

    @classmethod
    def setUpClass(cls):
        cls.server = TestServer()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        self.server.reset()

    def run_script(self, text, *args, **kwargs):
        """`lueng run` on a script, with ENV.BASE_URL pointing at the server."""
        return run_lueng(text, ["-e", f"BASE_URL={self.server.base_url}", *args], **kwargs)

    def run_ok(self, text, *args):
        """run_script that must exit 0."""
        run = self.run_script(text, *args)
        self.assertEqual(run.code, 0, run.stdout + run.stderr)
        return run


def start_lueng(args):
    """`lueng run ARGS` in the background, its output captured."""
    return subprocess.Popen([LUENG, "run", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def wait_for_requests(server, count, seconds=30):
    """Until the server has seen `count` requests, at most `seconds`."""
    deadline = time.time() + seconds
    while len(server.requests) < count and time.time() < deadline:
        time.sleep(0.1)


def interrupt(process, sig=signal.SIGINT, timeout=60):
    """Sends `sig` and waits for the process: (stdout, stderr), stderr checked for
    sanitizer reports."""
    process.send_signal(sig)
    stdout, stderr = process.communicate(timeout=timeout)
    check_sanitizers(stderr)
    return stdout, stderr


def run_lueng(script_text=None, args=(), script_path=None, timeout=120, env=None, cwd=None):
    """Runs `lueng run` on a script (text written to a temporary file, or a path)
    and returns its exit status, output and parsed result file."""
    workdir = tempfile.mkdtemp(prefix="lueng-test-")
    if script_path is None:
        script_path = os.path.join(workdir, "script.lua")
        with open(script_path, "w") as f:
            f.write(script_text)
    result_path = os.path.join(workdir, "result.json")
    command = [LUENG, "run", "--quiet", "--summary-export", result_path, *args, script_path]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                               env={**os.environ, **(env or {})}, cwd=cwd)
    return RunResult(completed, result_path, script_path)


def lueng(*args, timeout=60):
    completed = subprocess.run([LUENG, *args], capture_output=True, text=True, timeout=timeout)
    check_sanitizers(completed.stderr)
    return completed
