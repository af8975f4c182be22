"""httpDebug (--http-debug, K6_HTTP_DEBUG): every request and response printed
to stderr as k6 prints them, heads only or with bodies, credentials masked;
silent by default; bad values exit 104 naming the option."""

import re
import unittest

from support import ServerCase, raw_response

SCRIPT = """
local http = require "lueng.http"
options = {{ vus = 1, iterations = 1{extra} }}
function default()
  local base = ENV.BASE_URL
  http.get(base:gsub("://", "://user:s3cret@") .. "/hello", {{ headers = {{ ["X-Trace"] = "abc" }} }})
  http.post(base .. "/json", "payload-body", {{ headers = {{ Authorization = "Bearer tok123" }} }})
end
"""


def script(extra=""):
    return SCRIPT.format(extra=extra)


class HttpDebugTest(ServerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server.routes["/binary"] = lambda r: raw_response(
            200, b"\x89PNG\x00\x01", {"Content-Type": "image/png"})
        cls.server.routes["/large"] = lambda r: raw_response(200, b"a" * 100000)
        cls.server.routes["/moved"] = lambda r: raw_response(
            302, b"", {"Location": "/hello"}, reason="Found")

    def assert_heads(self, stderr):
        port = self.server.port
        self.assertIn("INFO Request: source=http-debug vu=1 iter=0 scenario=default\n"
                      "GET /hello HTTP/1.1\n"
                      f"Host: 127.0.0.1:{port}\n", stderr)
        self.assertIn("X-Trace: abc\n", stderr)
        self.assertIn("INFO Response: source=http-debug vu=1 iter=0 scenario=default\n"
                      "HTTP/1.1 200 OK\n", stderr)
        self.assertIn("Content-Type: text/plain\n", stderr)
        self.assertIn("POST /json HTTP/1.1\n", stderr)
        self.assertIn("Content-Length: 12\n", stderr)
        # Credentials keep their scheme only: neither the URL's password nor the token.
        self.assertIn("Authorization: Basic ****\n", stderr)
        self.assertIn("Authorization: Bearer ****\n", stderr)
        for secret in ("s3cret", "dXNlcjpzM2NyZXQ=", "tok123"):
            self.assertNotIn(secret, stderr)
        # The server did get them.
        self.assertEqual(self.server.requests[0].headers["authorization"], "Basic dXNlcjpzM2NyZXQ=")

    def test_silent_by_default(self):
        run = self.run_ok(script())
        self.assertNotIn("http-debug", run.stderr)
        self.assertNotIn("GET /hello", run.stderr)

    def test_headers_prints_heads_without_bodies(self):
        run = self.run_ok(script(', httpDebug = "headers"'))
        self.assert_heads(run.stderr)
        self.assertNotIn("hello world", run.stderr)
        self.assertNotIn("payload-body", run.stderr)

    def test_full_prints_bodies_too(self):
        run = self.run_ok(script(', httpDebug = "full"'))
        self.assert_heads(run.stderr)
        self.assertIn("Content-Type: text/plain\n\nhello world\n", run.stderr)
        self.assertIn("Content-Length: 12\n\npayload-body\n", run.stderr)
        self.assertEqual(run.stderr.count("INFO Request:"), 2)
        self.assertEqual(run.stderr.count("INFO Response:"), 2)

    def test_binary_and_large_bodies_are_bounded(self):
        run = self.run_ok("""
            local http = require "lueng.http"
            options = { iterations = 1, httpDebug = "full" }
            function default()
              http.get(ENV.BASE_URL .. "/binary")
              http.get(ENV.BASE_URL .. "/large")
            end
        """)
        self.assertIn("[binary body, 6 bytes]\n", run.stderr)
        self.assertNotIn("PNG", run.stderr)
        self.assertIn("a" * 65536 + "\n[body cut: 100000 bytes in all, the first 65536 shown]\n",
                      run.stderr)
        self.assertNotIn("a" * 65537, run.stderr)

    def test_each_redirect_hop_is_printed(self):
        run = self.run_ok("""
            local http = require "lueng.http"
            options = { iterations = 1, httpDebug = "headers" }
            function default() http.get(ENV.BASE_URL .. "/moved") end
        """)
        self.assertIn("GET /moved HTTP/1.1\n", run.stderr)
        self.assertIn("HTTP/1.1 302 Found\n", run.stderr)
        self.assertIn("Location: /hello\n", run.stderr)
        self.assertIn("GET /hello HTTP/1.1\n", run.stderr)
        self.assertEqual(run.stderr.count("INFO Request:"), 2)

    def test_dumps_of_parallel_vus_do_not_interleave(self):
        run = self.run_ok("""
            local http = require "lueng.http"
            options = { vus = 4, iterations = 40, httpDebug = "full" }
            function default() http.get(ENV.BASE_URL .. "/hello") end
        """, "--threads", "2")
        blocks = re.findall(r"INFO Request: [^\n]*\nGET /hello HTTP/1.1\n(?:[^\n]+\n)+\n"
                            r"INFO Response: [^\n]*\nHTTP/1.1 200 OK\n(?:[^\n]+\n)+\nhello world\n",
                            run.stderr)
        self.assertEqual(len(blocks), 40, run.stderr[:2000])

    def test_flag_and_variable(self):
        # Bare --http-debug is "headers", and does not take the script as its value.
        run = self.run_ok(script(), "--http-debug")
        self.assert_heads(run.stderr)
        self.assertNotIn("hello world", run.stderr)
        run = self.run_ok(script(), "--http-debug=full")
        self.assertIn("hello world", run.stderr)
        # The command line wins over the script.
        run = self.run_ok(script(', httpDebug = "full"'), "--http-debug=headers")
        self.assert_heads(run.stderr)
        self.assertNotIn("hello world", run.stderr)
        run = self.run_script(script(), env={"K6_HTTP_DEBUG": "full"})
        self.assertEqual(run.code, 0, run.stderr)
        self.assertIn("hello world", run.stderr)
        self.assertNotIn("K6_HTTP_DEBUG", run.stderr)  # no "not implemented" warning

    def test_bad_values_exit_104_naming_the_option(self):
        run = self.run_script(script(', httpDebug = "verbose"'))
        self.assertEqual(run.code, 104, run.stderr)
        self.assertIn("options.httpDebug: 'verbose' is not \"headers\", \"full\" or \"\" (off)",
                      run.stderr)
        run = self.run_script(script(", httpDebug = true"))
        self.assertEqual(run.code, 104, run.stderr)
        self.assertIn("options.httpDebug: must be", run.stderr)
        run = self.run_script(script(), "--http-debug=body")
        self.assertEqual(run.code, 104, run.stderr)
        self.assertIn("invalid --http-debug 'body'", run.stderr)
        run = self.run_script(script(), env={"K6_HTTP_DEBUG": "on"})
        self.assertEqual(run.code, 104, run.stderr)
        self.assertIn("'on' is not", run.stderr)
        self.assertIn("httpDebug set by K6_HTTP_DEBUG", run.stderr)
        self.assertEqual(self.server.requests, [])


if __name__ == "__main__":
    unittest.main()
