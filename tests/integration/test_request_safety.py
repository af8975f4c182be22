"""Hostile input on both sides of a request, against real servers on loopback:
what a script could inject into a request head is refused before anything is
sent; a redirect that cannot be followed fails; a password in a URL is never
echoed; a server whose lines end in bare LFs is read as Go (and so k6) reads it."""

import base64
import glob
import os
import socket
import tempfile
import threading
import unittest

from support import ServerCase, raw_response, run_lueng


class RecordingServer:
    """Records every byte it reads, per connection, and answers each request head
    with `response`, as many as arrive on the connection."""

    def __init__(self, response=raw_response(200, b"ok")):
        self.response = response
        self.received = []  # one bytes object per connection
        self._lock = threading.Lock()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.base_url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def _accept_loop(self):
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                self.received.append(b"")
                index = len(self.received) - 1
            threading.Thread(target=self._serve, args=(conn, index), daemon=True).start()

    def _serve(self, conn, index):
        with conn:
            pending = b""
            while True:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    return
                if not chunk:
                    return
                with self._lock:
                    self.received[index] += chunk
                pending += chunk
                while b"\r\n\r\n" in pending:
                    _, _, pending = pending.partition(b"\r\n\r\n")
                    conn.sendall(self.response)

    def all_bytes(self):
        with self._lock:
            return b"".join(self.received)

    def stop(self):
        self._sock.close()


INJECTION_SCRIPT = r"""
local http = require "lueng.http"
options = { iterations = 1 }
local base = ENV.BASE_URL
local attempts = {
  { "value CRLF", http.get, base .. "/a", { headers = { ["X-Token"] = "abc\r\nGET /smuggled HTTP/1.1" } } },
  { "value LF from a file", http.get, base .. "/a", { headers = { Authorization = "Bearer s3cr3t-token\n" } } },
  { "value NUL", http.post, base .. "/a", "body", { headers = { ["X-Nul"] = "a\0b" } } },
  { "name with a space", http.get, base .. "/a", { headers = { ["X Smuggled"] = "1" } } },
  { "name with a colon", http.get, base .. "/a", { headers = { ["X-A: b\r\nX-Evil"] = "1" } } },
  { "Host header", http.get, base .. "/a", { headers = { Host = "example.com\r\nX-Evil: 1" } } },
  { "cookie name", http.get, base .. "/a", { cookies = { ["sid\r\nX-Evil"] = "1" } } },
  { "cookie value", http.get, base .. "/a", { cookies = { sid = "1\r\nX-Evil: 1" } } },
  { "cookie table value", http.get, base .. "/a", { cookies = { sid = { value = "1;admin=1", replace = true } } } },
  { "method", http.request, "GET /smuggled HTTP/1.1\r\nX-Evil: 1\r\n\r\nGET", base .. "/a" },
  { "method with a space", http.request, "GET /x", base .. "/a" },
  { "URL path", http.get, base .. "/a\r\nX-Evil: 1" },
  { "URL host", http.get, "http://127.0.0.1\r\nX-Evil: 1/" },
  { "batch entry", http.batch, { base .. "/b", { "GET", base .. "/c", nil, { headers = { ["X-T"] = "v\r\nX-Evil: 1" } } } } },
  { "named batch entry", http.batch, { one = { method = "GET", url = base .. "/d", params = { headers = { ["Bad Name"] = "v" } } } } },
}

function default()
  for _, attempt in ipairs(attempts) do
    local ok, err = pcall(attempt[2], (table.unpack or unpack)(attempt, 3))
    print("ATTEMPT " .. attempt[1] .. " | " .. tostring(ok) .. " | " .. tostring(err))
  end
  -- The VU goes on as if nothing had happened, and its requests are whole.
  local res = http.get(base .. "/done", { headers = { ["X-Token"] = "clean" } })
  print("DONE " .. res.status)
end
"""


class RequestInjectionTest(unittest.TestCase):
    def setUp(self):
        self.server = RecordingServer()

    def tearDown(self):
        self.server.stop()

    def test_nothing_that_would_split_a_request_head_reaches_the_socket(self):
        run = run_lueng(INJECTION_SCRIPT, ["-e", f"BASE_URL={self.server.base_url}"])
        self.assertEqual(run.code, 0, run.stdout + run.stderr)
        attempts = {}
        for line in run.stderr.splitlines():  # print() writes to stderr
            if line.startswith("ATTEMPT "):
                name, ok, error = line[len("ATTEMPT "):].split(" | ", 2)
                attempts[name] = (ok, error)
        self.assertEqual(len(attempts), 15, run.stderr)
        for name, (ok, error) in attempts.items():
            self.assertEqual(ok, "false", f"{name}: {error}")
        # Each error names what was wrong, and never prints a header's value.
        expected = {
            "value CRLF": 'http.get: header "X-Token": the value holds a carriage return (\\r) at byte 4',
            "value LF from a file": 'http.get: header "Authorization": the value holds a line feed (\\n) at byte 20',
            "value NUL": 'http.post: header "X-Nul": the value holds a NUL byte at byte 2',
            "name with a space": 'http.get: header name "X Smuggled" is not a valid header name',
            "name with a colon": 'http.get: header name "X-A: b\\r\\nX-Evil" is not a valid header name',
            "Host header": 'http.get: header "Host": the value holds a carriage return',
            "cookie name": 'http.get: params.cookies: "sid\\r\\nX-Evil" is not a valid cookie name',
            "cookie value": 'http.get: params.cookies: cookie "sid": the value holds a carriage return',
            "cookie table value": "http.get: params.cookies: cookie \"sid\": the value holds ';'",
            "method": 'http.request: method "GET /SMUGGLED HTTP/1.1\\r\\nX-EVIL: 1\\r\\n\\r\\nGET" is not a valid method',
            "method with a space": 'http.request: method "GET /X" is not a valid method',
            "URL path": "control character in path or query",
            "URL host": "invalid character",
            "batch entry": 'http.batch: header "X-T": the value holds a carriage return',
            "named batch entry": 'http.batch: header name "Bad Name" is not a valid header name',
        }
        for name, message in expected.items():
            self.assertIn(message, attempts[name][1], name)
        self.assertNotIn("s3cr3t-token", run.stdout + run.stderr)
        self.assertIn("DONE 200", run.stderr)
        # The server saw one request, the last one, whole; nothing of the attempts.
        wire = self.server.all_bytes()
        self.assertEqual(wire.count(b" HTTP/1.1\r\n"), 1, wire)
        self.assertTrue(wire.startswith(b"GET /done HTTP/1.1\r\n"), wire)
        self.assertIn(b"\r\nX-Token: clean\r\n", wire)
        for smuggled in (b"Evil", b"smuggled", b"Smuggled", b"admin"):
            self.assertNotIn(smuggled, wire)

    def test_a_user_agent_with_a_line_break_is_refused_before_the_test(self):
        run = run_lueng("""
            options = { userAgent = "lueng\\r\\nX-Evil: 1" }
            function default() end
        """)
        self.assertEqual(run.code, 104, run.stderr)
        self.assertIn("options.userAgent: holds a carriage return (\\r)", run.stderr)
        self.assertEqual(self.server.all_bytes(), b"")


class RedirectTest(ServerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        routes = cls.server.routes

        def redirect(location):
            return lambda r: raw_response(302, b"moved", {"Location": location})

        routes["/to-ftp"] = redirect("ftp://127.0.0.1/file.txt")
        routes["/to-port"] = redirect("http://127.0.0.1:99999/")
        routes["/to-space"] = redirect("http://exa mple.com/")
        routes["/to-bracket"] = redirect("http://[::1/")
        routes["/to-control"] = redirect("h\t:/")  # k6's own test of a bad Location
        routes["/to-nowhere"] = redirect("http://")
        routes["/no-location"] = lambda r: raw_response(302, b"moved",
                                                        {"Set-Cookie": "seen=1; Path=/"})
        routes["/empty-location"] = redirect("")
        routes["/to-hello"] = redirect("/hello")
        routes["/bad-with-cookie"] = lambda r: raw_response(302, b"", {
            "Location": "ftp://127.0.0.1/", "Set-Cookie": "bad=1; Path=/"})

    def test_a_redirect_that_cannot_be_followed_fails_the_request_as_k6_does(self):
        run = self.run_ok("""
            local http = require "lueng.http"
            options = { iterations = 1 }
            function default()
              for _, path in ipairs({ "/to-ftp", "/to-port", "/to-space", "/to-bracket",
                                      "/to-control", "/to-nowhere", "/no-location",
                                      "/empty-location", "/to-hello", "/bad-with-cookie" }) do
                local res = http.get(ENV.BASE_URL .. path)
                print("HOP " .. path .. " | " .. res.status .. " | " .. res.error_code .. " | " ..
                      res.error .. " | " .. res.url)
              end
              local jar = http.cookieJar():cookiesForURL(ENV.BASE_URL .. "/")
              print("COOKIES seen=" .. tostring(jar.seen ~= nil) .. " bad=" .. tostring(jar.bad ~= nil))
            end
        """)
        hops = {}
        for line in run.stderr.splitlines():
            if line.startswith("HOP "):
                path, status, code, error, url = line[4:].split(" | ")
                hops[path] = (int(status), int(code), error, url)
        base = self.server.base_url
        for path, reason in (("/to-ftp", 'unsupported scheme "ftp"'),
                             ("/to-port", 'invalid port "99999"'),
                             ("/to-space", "invalid character ' ' in host"),
                             ("/to-bracket", "missing ']'"),
                             ("/to-control", "control character in path or query"),
                             ("/to-nowhere", "missing host"),
                             ("/bad-with-cookie", 'unsupported scheme "ftp"')):
            status, code, error, url = hops[path]
            self.assertEqual((status, code), (0, 1000), (path, error))
            self.assertTrue(error.startswith("cannot follow the redirect: invalid URL"), error)
            self.assertIn(reason, error)
            self.assertEqual(url, base + path)
        # A 3xx without a Location is the answer, as Go's client (and k6) takes it.
        self.assertEqual(hops["/no-location"][:2], (302, 0))
        self.assertEqual(hops["/empty-location"][:2], (302, 0))
        self.assertEqual(hops["/to-hello"], (200, 0, "", base + "/hello"))
        # The cookie of an answer taken for a failure is not stored.
        self.assertIn("COOKIES seen=true bad=false", run.stderr)
        # Nothing was sent anywhere for the failed redirects: one request each.
        paths = [r.path for r in self.server.requests]
        self.assertEqual(paths, ["/to-ftp", "/to-port", "/to-space", "/to-bracket", "/to-control",
                                 "/to-nowhere", "/no-location", "/empty-location", "/to-hello",
                                 "/hello", "/bad-with-cookie"])
        # The failed hop is one failed request, tagged as such.
        tags = {s["tags"]["name"]: s["tags"] for s in run.result["metrics"]["http_reqs"]["series"]}
        self.assertEqual((tags[base + "/to-ftp"]["status"], tags[base + "/to-ftp"]["error_code"]),
                         ("0", "1000"))
        failed = run.metric("http_req_failed")
        self.assertEqual(failed["passes"], 7)


class CredentialsTest(ServerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        port = cls.server.port
        cls.server.routes["/to-other-credentials"] = lambda r: raw_response(302, b"", {
            "Location": f"http://second:hunter2@localhost:{port}/echo?hop=2"})
        cls.server.routes["/to-relative"] = lambda r: raw_response(302, b"", {
            "Location": "/echo?hop=relative"})

    def test_a_password_in_a_url_is_sent_as_basic_auth_and_never_shown(self):
        workdir = tempfile.mkdtemp(prefix="lueng-credentials-")
        base = self.server.base_url.replace("http://", "http://user:secret@")
        run = self.run_script("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = { iterations = 1 }
            function default()
              local res = http.get(ENV.CREDENTIALS_URL .. "/echo?x=1")
              print("URL " .. res.url .. " | " .. tostring(res))
              http.get(ENV.CREDENTIALS_URL .. "/to-relative")
              http.get(ENV.CREDENTIALS_URL .. "/to-other-credentials")
              http.get(ENV.CREDENTIALS_URL .. "/echo", { headers = { Authorization = "Bearer own" } })
              http.batch({ ENV.CREDENTIALS_URL .. "/echo?batch=1" })
              http.get("http://user:secret@127.0.0.1:1/")       -- refused: its error has no URL
              local ok, err = pcall(http.get, "ftp://user:secret@127.0.0.1/")
              print("PCALL " .. tostring(err))
              http.get(ENV.CREDENTIALS_URL .. "/no/such/page")  -- a 404 with its name tag
              http.get("http://user:secret@127.0.0.1:99999/")   -- a Lua error: the iteration fails
            end
        """, "-e", f"CREDENTIALS_URL={base}",
            "--out", f"json={workdir}/out.json", "--out", f"csv={workdir}/out.csv",
            "--csv", f"{workdir}/locust", "--out", f"html={workdir}/report.html")
        self.assertEqual(run.code, 107, run.stderr)  # the last request's script error
        # What the server was sent: Basic user:secret while on the URL's host...
        auth = {r.target: r.headers.get("authorization") for r in self.server.requests}
        user = "Basic " + base64.b64encode(b"user:secret").decode()
        self.assertEqual(auth["/echo?x=1"], user)
        self.assertEqual(auth["/echo?hop=relative"], user)
        self.assertEqual(auth["/echo?batch=1"], user)
        self.assertEqual(auth["/to-other-credentials"], user)
        # ... a Location's own credentials on its hop, and the script's header over both.
        self.assertEqual(auth["/echo?hop=2"], "Basic " + base64.b64encode(b"second:hunter2").decode())
        self.assertEqual(auth["/echo"], "Bearer own")

        masked = self.server.base_url.replace("http://", "http://****:****@")
        self.assertIn(f"URL {masked}/echo?x=1 | Response(GET {masked}/echo?x=1 -> 200)", run.stderr)
        self.assertIn('PCALL http.get: invalid URL "ftp://****:****@127.0.0.1/"', run.stderr)
        self.assertIn('invalid URL "http://****:****@127.0.0.1:99999/"', run.stderr)
        errors = [e["message"] for e in run.result["errors"]]
        self.assertEqual(len(errors), 1, errors)
        self.assertIn('invalid URL "http://****:****@127.0.0.1:99999/"', errors[0])
        names = {s["tags"]["name"] for s in run.result["metrics"]["http_reqs"]["series"]}
        self.assertIn(f"{masked}/echo", names)
        self.assertIn(f"{masked}/no/such/page", names)
        # k6's name is the URL, query included.
        self.assertIn(f"http://****:****@localhost:{self.server.port}/echo?hop=2", names)
        # Nowhere a password: not on the terminal, in the result file, in the
        # outputs or the report.
        written = [run.stdout, run.stderr, open(run.result_path).read()]
        for path in glob.glob(os.path.join(workdir, "*")):
            with open(path, errors="replace") as f:
                written.append(f.read())
        self.assertGreaterEqual(len(written), 7)
        for text in written:
            self.assertNotIn("secret", text)
            self.assertNotIn("hunter2", text)


class BareLineFeedServer:
    """Answers every request with a response whose status line and headers end
    in a bare LF, on a kept-alive connection."""

    RESPONSE = (b"HTTP/1.1 200 OK\n"
                b"Content-Type: text/plain\n"
                b"Set-Cookie: session=abc; Path=/\n"
                b"Content-Length: 12\n"
                b"\n"
                b"line1\nline2\n")

    def __init__(self):
        self.connections = 0
        self.requests = []
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.base_url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def _accept_loop(self):
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        with conn:
            pending = b""
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                pending += chunk
                while b"\r\n\r\n" in pending:
                    head, _, pending = pending.partition(b"\r\n\r\n")
                    self.requests.append(head.decode("latin-1"))
                    conn.sendall(self.RESPONSE)

    def stop(self):
        self._sock.close()


class BareLineFeedTest(unittest.TestCase):
    def test_a_response_whose_lines_end_in_bare_lf_is_read_whole(self):
        server = BareLineFeedServer()
        self.addCleanup(server.stop)
        run = run_lueng("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = { iterations = 1 }
            function default()
              for i = 1, 3 do
                local res = http.get(ENV.BASE_URL .. "/page")
                lueng.check(res, {
                  ["status 200"] = res.status == 200,
                  ["no error"] = res.error_code == 0,
                  ["headers"] = res.headers["Content-Type"] == "text/plain",
                  ["body as sent"] = res.body == "line1\\nline2\\n",
                })
              end
            end
        """, ["-e", f"BASE_URL={server.base_url}"])
        self.assertEqual(run.code, 0, run.stderr)
        for check in run.result["checks"]:
            self.assertEqual((check["passes"], check["fails"]), (3, 0), check["name"])
        # The cookie went back, and the connection was kept for all three.
        self.assertEqual(len(server.requests), 3)
        self.assertNotIn("Cookie:", server.requests[0])
        self.assertIn("\r\nCookie: session=abc", server.requests[1])
        self.assertEqual(server.connections, 1)


if __name__ == "__main__":
    unittest.main()
