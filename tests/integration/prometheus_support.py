"""A real Prometheus (Debian's `prometheus` package) for the tests of
--out prometheus-rw, the Grafana dashboard and the alert rules: a process of
the test's own on a free loopback port, with the remote write receiver on, a
temporary storage path and a minimal configuration (no scrapes)."""

import http.server
import json
import os
import shutil
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request

from support import SOURCE_DIR, free_port

PROMETHEUS = shutil.which("prometheus")
PROMTOOL = shutil.which("promtool")
RULES = os.path.join(SOURCE_DIR, "tools", "prometheus", "lueng-alerts.yml")
RULES_TEST = os.path.join(SOURCE_DIR, "tools", "prometheus", "lueng-alerts.test.yml")
DASHBOARD = os.path.join(SOURCE_DIR, "tools", "grafana", "lueng-dashboard.json")
MISSING = "Debian's prometheus package is not installed (tools/install-deps.sh)"


class Prometheus:
    """`tls`: a folder with ca.pem, server.pem and client.pem (and their -key.pem
    files): Prometheus then serves https only and requires a client certificate
    signed by the CA. `features`: Prometheus' feature flags (native-histograms)."""

    def __init__(self, rule_files=(), tls=None, features=()):
        self.dir = tempfile.mkdtemp(prefix="lueng-prometheus-")
        self.port = free_port()
        self.tls = tls
        config = os.path.join(self.dir, "prometheus.yml")
        with open(config, "w") as f:
            f.write("global:\n  scrape_interval: 1m\n  evaluation_interval: 1s\n")
            if rule_files:
                f.write("rule_files:\n" + "".join(f"  - {path}\n" for path in rule_files))
        args = [f"--enable-feature={feature}" for feature in features]
        self.context = None
        if tls:
            web = os.path.join(self.dir, "web.yml")
            with open(web, "w") as f:
                f.write(f"tls_server_config:\n  cert_file: {tls}/server.pem\n"
                        f"  key_file: {tls}/server-key.pem\n"
                        f"  client_auth_type: RequireAndVerifyClientCert\n"
                        f"  client_ca_file: {tls}/ca.pem\n")
            args.append(f"--web.config.file={web}")
            self.context = ssl.create_default_context(cafile=os.path.join(tls, "ca.pem"))
            self.context.load_cert_chain(os.path.join(tls, "client.pem"),
                                         os.path.join(tls, "client-key.pem"))
        self.log = open(os.path.join(self.dir, "prometheus.log"), "w+")
        self.proc = subprocess.Popen(
            [PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={self.dir}/data",
             f"--web.listen-address=127.0.0.1:{self.port}", "--web.enable-remote-write-receiver",
             "--log.level=warn", *args],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/-/ready", timeout=2,
                                            context=self.context) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("prometheus did not start: " + self.log_text())
            time.sleep(0.1)

    @property
    def url(self):
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def write_url(self):
        return f"{self.url}/api/v1/write"

    def api(self, path, **params):
        query = urllib.parse.urlencode(params)
        with urllib.request.urlopen(f"{self.url}/api/v1/{path}?{query}", timeout=10,
                                    context=self.context) as response:
            body = json.load(response)
        if body.get("status") != "success":
            raise AssertionError(f"{path} {params}: {body}")
        return body["data"]

    def query(self, expr):
        """An instant query now: [(labels without __name__, value)]."""
        result = self.api("query", query=expr)["result"]
        return [({k: v for k, v in item["metric"].items() if k != "__name__"},
                 float(item["value"][1])) for item in result]

    def log_text(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class RecordingEndpoint:
    """A remote write endpoint that records each request's headers and answers
    with the statuses given, one per request, then 204."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.requests = []
        endpoint = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                endpoint.requests.append((dict(self.headers), len(body)))
                status = endpoint.statuses.pop(0) if endpoint.statuses else 204
                message = b"" if status == 204 else b"refused for the test\n"
                self.send_response(status)
                self.send_header("Content-Length", str(len(message)))
                self.end_headers()
                self.wfile.write(message)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v1/write"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
