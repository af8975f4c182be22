"""Requests that fail after the status line arrived (a timeout, a reset, a body cut
off or malformed) against a real server on loopback: as in k6 they are failed
requests with status 0 and an error_code, in the script, in http_req_failed and
in the tags of their samples."""

import socket
import struct
import threading
import time
import unittest

from support import TestServer, free_port, run_lueng

HEAD = (b"HTTP/1.1 200 OK\r\nSet-Cookie: partial=1; Path=/\r\n"
        b"Content-Length: 100\r\n\r\nonly part")
CHUNKED_HEAD = (b"HTTP/1.1 200 OK\r\nSet-Cookie: partial=1; Path=/\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n9\r\nonly part\r\n")
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


class MisbehavingServer:
    """Answers each request by its path: /ok properly, the others with a 200 status
    line and then a failure in the middle of the body."""

    def __init__(self):
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.base_url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self.paths = []
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def _accept_loop(self):
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        with conn:
            buffer = b""
            while True:
                while b"\r\n\r\n" not in buffer:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode()
                self.paths.append(path)
                if path == "/ok":
                    conn.sendall(OK)
                    continue
                if path == "/stall":  # Content-Length: 100, 9 bytes sent, then nothing
                    conn.sendall(HEAD)
                    self._wait_for_close(conn)
                elif path == "/reset-at-once":  # the reset right behind the data
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    conn.sendall(HEAD)
                elif path == "/reset":
                    conn.sendall(HEAD)
                    time.sleep(0.05)
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                elif path == "/cut-chunked":  # the connection ends before the last chunk
                    conn.sendall(CHUNKED_HEAD)
                elif path == "/bad-chunk":  # a chunk size that is not hex
                    conn.sendall(CHUNKED_HEAD + b"zz\r\n")
                    self._wait_for_close(conn)
                return

    @staticmethod
    def _wait_for_close(conn):
        conn.settimeout(10)
        try:
            while conn.recv(65536):
                pass
        except OSError:
            pass

    def stop(self):
        self._sock.close()


class HttpFailuresTest(unittest.TestCase):
    def setUp(self):
        self.server = MisbehavingServer()

    def tearDown(self):
        self.server.stop()

    def test_failures_after_the_status_line_are_failed_requests_with_status_0(self):
        run = run_lueng("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = { iterations = 1, noCookiesReset = true }
            function default()
              local cases = { { "/stall", 1050 }, { "/reset", 1220 },
                              { "/cut-chunked", 1601 }, { "/bad-chunk", 1600 } }
              for _, case in ipairs(cases) do
                local path, code = case[1], case[2]
                -- Only /stall is meant to time out; a loaded machine may take its time
                -- before the others fail as they should.
                local res = http.get(ENV.BASE_URL .. path, { timeout = path == "/stall" and "2s" or "60s" })
                print(path, res.status, res.error_code, res.error)  -- shown when a check fails
                lueng.check(res, {
                  [path .. " status 0"] = res.status == 0,
                  [path .. " error_code"] = res.error_code == code,
                  [path .. " error"] = res.error ~= "",
                  [path .. " no headers"] = next(res.headers) == nil,
                  [path .. " no proto"] = res.proto == "",
                  [path .. " partial body"] = res.body == "only part",
                })
              end
              local ok = http.get(ENV.BASE_URL .. "/ok")
              lueng.check(ok, {
                ["then a good request"] = ok.status == 200 and ok.body == "ok",
                -- the Set-Cookie of the failed answers was not taken
                ["no cookie from a failed answer"] =
                  next(http.cookieJar():cookiesForURL(ENV.BASE_URL .. "/")) == nil,
              })
            end
        """, ["-e", f"BASE_URL={self.server.base_url}"])
        self.assertEqual(run.code, 0, run.stdout + run.stderr)
        checks = {c["name"]: (c["passes"], c["fails"]) for c in run.result["checks"]}
        self.assertEqual(len(checks), 26, checks)
        for name, (passes, fails) in checks.items():
            self.assertEqual((passes, fails), (1, 0), f"check '{name}'; {run.stderr}")
        self.assertEqual(self.server.paths, ["/stall", "/reset", "/cut-chunked", "/bad-chunk", "/ok"])

        failed = run.metric("http_req_failed")
        self.assertEqual((failed["passes"], failed["fails"]), (4, 1))
        self.assertAlmostEqual(failed["rate"], 0.8)

        base = self.server.base_url
        series = run.result["metrics"]["http_reqs"]["series"]
        tags = {s["tags"]["name"]: s["tags"] for s in series}
        self.assertEqual(set(tags), {base + p for p in
                                     ("/stall", "/reset", "/cut-chunked", "/bad-chunk", "/ok")})
        for path, code in (("/stall", "1050"), ("/reset", "1220"),
                           ("/cut-chunked", "1601"), ("/bad-chunk", "1600")):
            got = tags[base + path]
            self.assertEqual((got["status"], got["expected_response"], got.get("error_code")),
                             ("0", "false", code), path)
        self.assertEqual((tags[base + "/ok"]["status"], tags[base + "/ok"]["expected_response"]),
                         ("200", "true"))
        self.assertNotIn("error_code", tags[base + "/ok"])

    def test_a_reset_right_behind_the_data_is_a_reset_not_an_end_of_stream(self):
        # The data and the reset arrive together, so libuv sees them in one wake-up
        # and reports the end of the stream; the socket's pending error says reset.
        run = run_lueng("""
            local http = require "lueng.http"
            options = { iterations = 40 }
            function default() http.get(ENV.BASE_URL .. "/reset-at-once") end
        """, ["-e", f"BASE_URL={self.server.base_url}", "--threads", "1"])
        self.assertEqual(run.code, 0, run.stderr)
        codes = {s["tags"].get("error_code"): s["values"]["count"]
                 for s in run.result["metrics"]["http_reqs"]["series"]}
        self.assertEqual(codes, {"1220": 40})



class FirstNetworkErrorTest(unittest.TestCase):
    def test_a_dead_target_says_why_once_and_a_bad_status_says_nothing(self):
        port = free_port()  # nothing listens there
        run = run_lueng(f"""
            local http = require "lueng.http"
            options = {{ vus = 3, iterations = 12 }}
            function default() http.get("http://127.0.0.1:{port}/rooms?night=1") end
        """)
        self.assertEqual(run.metric("http_req_failed")["rate"], 1.0)
        lines = [line for line in run.stderr.splitlines()
                 if "first request without a response" in line]
        self.assertEqual(len(lines), 1, run.stderr)
        self.assertIn(f"GET http://127.0.0.1:{port}/rooms?night=1", lines[0])
        self.assertIn("connection refused", lines[0])
        self.assertIn("error_code 1212", lines[0])

        # A response with a failing status is data the summary already shows.
        server = TestServer()
        self.addCleanup(server.stop)
        run = run_lueng(f"""
            local http = require "lueng.http"
            options = {{ iterations = 2 }}
            function default() http.get("{server.base_url}/status?code=503") end
        """)
        self.assertEqual(run.metric("http_req_failed")["rate"], 1.0)
        self.assertNotIn("first request without a response", run.stderr)


if __name__ == "__main__":
    unittest.main()
