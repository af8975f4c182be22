"""https end to end: `lueng run` against a Python TLS server on loopback whose
certificates come from a CA made by the openssl CLI for this test."""

import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import unittest

from support import run_lueng


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_certificates(folder):
    """ca.pem; server.pem for localhost and 127.0.0.1; elsewhere.pem for another name;
    client.pem, all signed by the CA."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    openssl("req", "-x509", *ec, "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=lueng test CA", cwd=folder)
    with open(os.path.join(folder, "server.ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    with open(os.path.join(folder, "elsewhere.ext"), "w") as f:
        f.write("subjectAltName=DNS:elsewhere.example\n")
    for name, ext in (("server", ["-extfile", "server.ext"]),
                      ("elsewhere", ["-extfile", "elsewhere.ext"]), ("client", [])):
        openssl("req", *ec, "-keyout", f"{name}-key.pem", "-out", f"{name}.csr",
                "-subj", f"/CN={name}", cwd=folder)
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
                "-CAcreateserial", "-out", f"{name}.pem", "-days", "2", *ext, cwd=folder)


class TlsServer:
    """HTTP/1.1 over TLS, a thread per connection; every response says
    Connection: close when `close_each` so that each request reconnects."""

    def __init__(self, folder, require_client_cert=False, close_each=False, cert="server",
                 tls12_ciphers=None):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(os.path.join(folder, f"{cert}.pem"),
                                     os.path.join(folder, f"{cert}-key.pem"))
        if tls12_ciphers:  # TLS 1.2 only, with just these suites (OpenSSL names)
            self.context.maximum_version = ssl.TLSVersion.TLSv1_2
            self.context.set_ciphers(tls12_ciphers)
        if require_client_cert:
            self.context.verify_mode = ssl.CERT_REQUIRED
            self.context.load_verify_locations(os.path.join(folder, "ca.pem"))
        self.close_each = close_each
        self.handshakes = 0
        self.resumed = 0
        self.failed_handshakes = 0
        self.requests = 0
        self.ciphers = []  # the suite of each handshake, OpenSSL's name
        self.lock = threading.Lock()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, host="localhost", path="/hello"):
        return f"https://{host}:{self.port}{path}"

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, raw):
        raw.settimeout(10)
        try:
            conn = self.context.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):
            with self.lock:
                self.failed_handshakes += 1
            raw.close()
            return
        with self.lock:
            self.handshakes += 1
            self.resumed += 1 if conn.session_reused else 0
            self.ciphers.append(conn.cipher()[0])
        buffer = b""
        with conn:
            while True:
                while b"\r\n\r\n" not in buffer:
                    try:
                        chunk = conn.recv(65536)
                    except (ssl.SSLError, OSError):
                        return
                    if not chunk:
                        return
                    buffer += chunk
                _, _, buffer = buffer.partition(b"\r\n\r\n")
                with self.lock:
                    self.requests += 1
                close = b"Connection: close\r\n" if self.close_each else b""
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n" + close + b"\r\nhello")
                if self.close_each:
                    return

    def stop(self):
        self.sock.close()


SCRIPT = """
local http = require "lueng.http"
local lueng = require "lueng"
%s
function default()
  local res = http.get(ENV.URL)
  lueng.check(res, {
    ["status 200"] = function(r) return r.status == 200 end,
    ["tls1.3"] = function(r) return r.tls_version == "tls1.3" end,
    ["handshake timed"] = function(r) return r.timings.tls_handshaking >= 0 end,
  })
  if res.status ~= 200 then print("CODE " .. res.error_code .. " " .. res.error) end
end
"""


class TlsRunTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="lueng-tls-")
        make_certificates(cls.folder)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.folder, name)

    def serve(self, **kwargs):
        server = TlsServer(self.folder, **kwargs)
        self.addCleanup(server.stop)
        return server

    def run_script(self, options, url, *args):
        return run_lueng(SCRIPT % options, ["-e", f"URL={url}", *args])

    def test_trusted_ca_file_verifies_and_tags_tls_version(self):
        server = self.serve()
        run = self.run_script(f'options = {{ tlsCACert = "{self.path("ca.pem")}" }}',
                              server.url(), "-u", "2", "-i", "20")
        self.assertEqual(run.code, 0, run.stderr)
        self.assertEqual(run.metric("checks")["fails"], 0, run.stdout)
        self.assertEqual(run.metric("http_req_failed")["rate"], 0)
        self.assertEqual(server.requests, 20)
        self.assertLessEqual(server.handshakes, 2)  # keep-alive: one connection per VU
        tags = [s["tags"] for s in run.result["metrics"]["http_reqs"]["series"]]
        self.assertTrue(tags and all(t["tls_version"] == "tls1.3" for t in tags), tags)
        handshaking = run.metric("http_req_tls_handshaking")
        self.assertEqual(handshaking["count"], 20)
        self.assertGreater(handshaking["max"], 0)

    def test_unknown_ca_fails_every_request_and_logs_once(self):
        server = self.serve()
        run = self.run_script("", server.url(), "-i", "10")
        self.assertEqual(run.code, 2, run.stderr)  # not one response
        self.assertEqual(run.metric("http_req_failed")["rate"], 1.0)
        self.assertEqual(run.stderr.count("CODE 1310 "), 10, run.stderr)
        self.assertIn("failed to verify certificate", run.stderr)
        warnings = [line for line in run.stderr.splitlines() if line.startswith("WARN TLS")]
        self.assertEqual(len(warnings), 1, run.stderr)
        self.assertIn(f"localhost:{server.port}", warnings[0])
        self.assertIn("verify", warnings[0])
        tags = [s["tags"] for s in run.result["metrics"]["http_reqs"]["series"]]
        self.assertTrue(all(t["error_code"] == "1310" for t in tags), tags)
        self.assertEqual(server.requests, 0)

    def test_insecure_skip_tls_verify_option_and_flag(self):
        server = self.serve()
        for options, flags in (("options = { insecureSkipTLSVerify = true }", []),
                               ("", ["--insecure-skip-tls-verify"])):
            with self.subTest(flags=flags):
                run = self.run_script(options, server.url("127.0.0.1"), "-i", "3", *flags)
                self.assertEqual(run.code, 0, run.stderr)
                self.assertEqual(run.metric("checks")["fails"], 0, run.stdout)

    def test_wrong_hostname_is_rejected(self):
        server = self.serve(cert="elsewhere")  # trusted, but made for elsewhere.example
        run = self.run_script(f'options = {{ tlsCACert = "{self.path("ca.pem")}" }}',
                              server.url("localhost"), "-i", "2")
        self.assertEqual(run.code, 2, run.stderr)  # not one response
        self.assertEqual(run.stderr.count("CODE 1311 "), 2, run.stderr)
        self.assertEqual(server.requests, 0)

    def test_client_certificate_accepted_and_refused(self):
        server = self.serve(require_client_cert=True)
        auth = ('options = { tlsCACert = "%s", tlsAuth = { { domains = { "localhost" }, '
                'cert = "%s", key = "%s" } } }' % (self.path("ca.pem"), self.path("client.pem"),
                                                   self.path("client-key.pem")))
        run = self.run_script(auth, server.url(), "-i", "3")
        self.assertEqual(run.code, 0, run.stderr)
        self.assertEqual(run.metric("checks")["fails"], 0, run.stdout)
        self.assertEqual(server.requests, 3)

        run = self.run_script(f'options = {{ tlsCACert = "{self.path("ca.pem")}" }}',
                              server.url(), "-i", "3")
        self.assertEqual(run.metric("http_req_failed")["rate"], 1.0)
        self.assertEqual(server.requests, 3)
        self.assertGreaterEqual(server.failed_handshakes, 1)

    def test_reconnects_resume_the_tls_session(self):
        server = self.serve(close_each=True)
        run = self.run_script(f'options = {{ tlsCACert = "{self.path("ca.pem")}" }}',
                              server.url(), "-u", "1", "-i", "5")
        self.assertEqual(run.code, 0, run.stderr)
        self.assertEqual(run.metric("checks")["fails"], 0, run.stdout)
        self.assertEqual(server.handshakes, 5)
        self.assertEqual(server.resumed, 4)

    def cipher_run(self, server, suites, version=None):
        options = 'options = { tlsCACert = "%s", tlsCipherSuites = { %s }%s }' % (
            self.path("ca.pem"), ", ".join(f'"{s}"' for s in suites),
            f', tlsVersion = "{version}"' if version else "")
        script = options + """
            local http = require "lueng.http"
            function default()
              local res = http.get(ENV.URL)
              print("GOT " .. res.status .. " " .. res.tls_version .. " " .. res.tls_cipher_suite ..
                    " " .. res.error_code)
            end
        """
        run = run_lueng(script, ["-e", f"URL={server.url()}", "-i", "2"])
        answered = any(line.startswith("GOT ") and not line.startswith("GOT 0 ")
                       for line in run.stderr.splitlines())
        self.assertEqual(run.code, 0 if answered else 2, run.stderr)  # 2: not one response
        return [line.split()[1:] for line in run.stderr.splitlines() if line.startswith("GOT ")], run

    def test_cipher_suites_choose_the_negotiated_suite(self):
        offered = ("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
                   "ECDHE-ECDSA-CHACHA20-POLY1305")
        for suite, openssl_name in (
                ("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384"),
                ("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305")):
            with self.subTest(suite=suite):
                server = self.serve(tls12_ciphers=offered)
                got, _ = self.cipher_run(server, ["TLS_RSA_WITH_AES_128_CBC_SHA", suite], "tls1.2")
                self.assertEqual(got, [["200", "tls1.2", suite, "0"]] * 2)
                self.assertEqual(server.ciphers, [openssl_name])  # one keep-alive connection

        # TLS 1.3 names restrict the TLS 1.3 suites.
        server = self.serve()
        got, _ = self.cipher_run(server, ["TLS_CHACHA20_POLY1305_SHA256"])
        self.assertEqual(got, [["200", "tls1.3", "TLS_CHACHA20_POLY1305_SHA256", "0"]] * 2)
        self.assertEqual(server.ciphers, ["TLS_CHACHA20_POLY1305_SHA256"])

    def test_no_shared_cipher_suite_is_a_failed_request(self):
        server = self.serve(tls12_ciphers="ECDHE-ECDSA-AES128-GCM-SHA256")
        got, run = self.cipher_run(server, ["TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"], "tls1.2")
        self.assertEqual(got, [["0", "1300"]] * 2)  # no TLS version, no suite
        self.assertEqual(run.metric("http_req_failed")["rate"], 1.0)
        self.assertEqual(server.requests, 0)
        self.assertGreaterEqual(server.failed_handshakes, 1)
        tags = [s["tags"] for s in run.result["metrics"]["http_reqs"]["series"]]
        self.assertTrue(tags and all(t["error_code"] == "1300" for t in tags), tags)

    def test_bad_tls_options_exit_104_naming_the_option(self):
        cases = [
            ('options = { tlsVersion = { min = "ssl3" } }', "options.tlsVersion.min"),
            ('options = { insecureSkipTLSVerify = "yes" }', "options.insecureSkipTLSVerify"),
            ('options = { tlsCACert = "/nonexistent/ca.pem" }', "/nonexistent/ca.pem"),
            ('options = { tlsAuth = { { cert = "%s" } } }' % self.path("client.pem"),
             "options.tlsAuth[1].key"),
            ('options = { tlsAuth = { { cert = "%s", key = "%s" } } }'
             % (self.path("client.pem"), self.path("server-key.pem")), "does not match"),
            ('options = { tlsCipherSuites = { "TLS_AES_128_GCM_SHA256", "TLS_NO_SUCH_SUITE" } }',
             "options.tlsCipherSuites[2]: unknown cipher suite 'TLS_NO_SUCH_SUITE'"),
            ('options = { tls_cipher_suites = { "ECDHE-RSA-AES128-GCM-SHA256" } }',
             "that is OpenSSL's name; use TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
            ('options = { tlsCipherSuites = "TLS_AES_128_GCM_SHA256" }',
             "options.tlsCipherSuites: must be a list"),
        ]
        for options, expected in cases:
            with self.subTest(options=options):
                run = self.run_script(options, "https://localhost:1/", "-i", "1")
                self.assertEqual(run.code, 104, run.stderr)
                self.assertIn(expected, run.stderr)


if __name__ == "__main__":
    unittest.main()
