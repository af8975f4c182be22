"""Name lookups against a name server of the test's own: k6's DNS error codes,
a second signal that ends the run while a lookup hangs, and the dns option
(ttl, select, policy) and --dns.

The system resolver reads its name server from /etc/resolv.conf, and glibc has
no variable that points it elsewhere, so each lueng runs in a mount namespace of
its own (unshare -m) where a resolv.conf naming the test's server is mounted over
/etc/resolv.conf. That needs root (or user namespaces) and a free port 53 on a
loopback address: where it cannot be had, the tests are skipped, and the unit
tests (tests/unit/http/test_client.cpp) still cover both with a resolver of
their own."""

import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time
import unittest

from support import LUENG, RunResult, TestServer, check_sanitizers

NAME_SERVER = "127.53.0.1"  # a loopback address of its own, port 53


# name suffix -> (A records, AAAA records)
ADDRESSES = {
    "found.test": (["127.0.0.1"], []),
    "multi.test": (["127.0.0.1", "127.0.0.2", "127.0.0.3"], []),
    "dual.test": (["127.0.0.1"], ["::1"]),
    "six.test": ([], ["::1"]),
}


class NameServer:
    """A UDP name server: the names of ADDRESSES (*.found.test -> 127.0.0.1, ...),
    *.nx.test -> NXDOMAIN, *.servfail.test -> SERVFAIL, anything else is never
    answered."""

    def __init__(self):
        self.queries = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind((NAME_SERVER, 53))
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                query, peer = self._sock.recvfrom(4096)
            except OSError:
                return
            name, end = self._question(query)
            qtype = struct.unpack("!H", query[end:end + 2])[0]
            self.queries.append(name)
            answer = self._answer(query, end + 4, name, qtype)
            if answer:
                self._sock.sendto(answer, peer)

    @staticmethod
    def _question(query):
        labels, at = [], 12
        while query[at]:
            labels.append(query[at + 1:at + 1 + query[at]].decode())
            at += 1 + query[at]
        return ".".join(labels).lower(), at + 1

    @staticmethod
    def _answer(query, question_end, name, qtype):
        suffix = next((s for s in ADDRESSES if name.endswith(s)), None)
        if suffix:
            rcode, records = 0, []
            v4, v6 = ADDRESSES[suffix]
            if qtype == 1:  # A
                records = [b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + socket.inet_aton(ip)
                           for ip in v4]
            elif qtype == 28:  # AAAA
                records = [b"\xc0\x0c" + struct.pack("!HHIH", 28, 1, 60, 16) +
                           socket.inet_pton(socket.AF_INET6, ip) for ip in v6]
        elif name.endswith("nx.test"):
            rcode, records = 3, []
        elif name.endswith("servfail.test"):
            rcode, records = 2, []
        else:
            return None  # the name server that never answers
        header = query[:2] + struct.pack("!HHHHH", 0x8180 | rcode, 1, len(records), 0, 0)
        return header + query[12:question_end] + b"".join(records)


def namespaces_work():
    if not shutil.which("unshare") or not shutil.which("mount"):
        return False
    try:
        probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, timeout=10)
        return probe.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def port_53_free():
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind((NAME_SERVER, 53))
        return True
    except OSError:
        return False


@unittest.skipUnless(namespaces_work() and port_53_free(),
                     "needs unshare -m (root) and port 53 on 127.53.0.1 for a name server")
class NameServerCase(unittest.TestCase):
    dns = None  # one for the whole module: its socket is never released at once

    @classmethod
    def setUpClass(cls):
        if NameServerCase.dns is None:
            NameServerCase.dns = NameServer()
        cls.workdir = tempfile.mkdtemp(prefix="lueng-dns-")
        cls.resolv_conf = os.path.join(cls.workdir, "resolv.conf")
        with open(cls.resolv_conf, "w") as f:
            f.write(f"nameserver {NAME_SERVER}\n")

    def command(self, script_text, *args):
        """`lueng run` in a mount namespace whose /etc/resolv.conf names our server."""
        script = os.path.join(tempfile.mkdtemp(dir=self.workdir), "script.lua")
        with open(script, "w") as f:
            f.write(script_text)
        self.result_path = os.path.join(os.path.dirname(script), "result.json")
        run = [LUENG, "run", "--quiet", "--summary-export", self.result_path, *args, script]
        return ["unshare", "-m", "sh", "-c", 'mount --bind "$0" /etc/resolv.conf && exec "$@"',
                self.resolv_conf, *run]


class DnsErrorCodesTest(NameServerCase):
    def test_no_such_host_is_1101_and_a_failed_lookup_1100_as_in_k6(self):
        server = TestServer()
        self.addCleanup(server.stop)
        command = self.command("""
            local http = require "lueng.http"
            options = { iterations = 1 }
            function default()
              for _, host in ipairs({ "www.nx.test", "www.servfail.test", "www.found.test" }) do
                local res = http.get("http://" .. host .. ":" .. ENV.PORT .. "/hello")
                print("LOOKUP " .. host .. " | " .. res.status .. " | " .. res.error_code ..
                      " | " .. res.error)
              end
            end
        """, "-e", f"PORT={server.port}")
        # One try of one second: a SERVFAIL is not retried for long.
        completed = subprocess.run(command, capture_output=True, text=True, timeout=120,
                                   env={**os.environ, "RES_OPTIONS": "attempts:1 timeout:1"})
        run = RunResult(completed, self.result_path)
        self.assertEqual(run.code, 0, run.stderr)
        lookups = {}
        for line in run.stderr.splitlines():
            if line.startswith("LOOKUP "):
                host, status, code, error = line[len("LOOKUP "):].split(" | ")
                lookups[host] = (int(status), int(code), error)
        self.assertEqual(lookups["www.nx.test"], (0, 1101, "lookup www.nx.test: no such host"))
        status, code, error = lookups["www.servfail.test"]
        self.assertEqual((status, code), (0, 1100), error)
        self.assertTrue(error.startswith("lookup www.servfail.test: "), error)
        self.assertEqual(lookups["www.found.test"], (200, 0, ""))
        self.assertEqual([r.path for r in server.requests], ["/hello"])
        codes = {s["tags"]["name"]: s["tags"].get("error_code")
                 for s in run.result["metrics"]["http_reqs"]["series"]}
        self.assertEqual(codes[f"http://www.nx.test:{server.port}/hello"], "1101")
        self.assertEqual(codes[f"http://www.servfail.test:{server.port}/hello"], "1100")


class HangingLookupTest(NameServerCase):
    def test_a_lookup_that_timed_out_does_not_hold_up_the_end_of_the_run(self):
        # glibc would wait 5 tries of 30 s for the name server that never answers.
        command = self.command("""
            local http = require "lueng.http"
            options = { iterations = 1 }
            function default()
              local res = http.get("http://late.hang.test/", { timeout = "1s" })
              print("TIMEOUT " .. res.error_code)
            end
        """)
        completed = subprocess.run(command, capture_output=True, text=True, timeout=60,
                                   env={**os.environ, "RES_OPTIONS": "attempts:5 timeout:30"})
        run = RunResult(completed, self.result_path)
        self.assertEqual(run.code, 2, run.stderr)  # not one response: exit 2
        self.assertIn("TIMEOUT 1050", run.stderr)

    def test_a_second_signal_ends_the_run_while_a_lookup_hangs(self):
        # The name server never answers; glibc would wait 5 tries of 60 s. The
        # graceful stop would wait 5 minutes for the iteration; the second signal
        # must not wait for either.
        command = self.command("""
            local http = require "lueng.http"
            options = { scenarios = { hang = { executor = "per-vu-iterations", vus = 2,
                                               iterations = 1, gracefulStop = "5m" } } }
            function default()
              http.get("http://slow.hang.test/", { timeout = "10m" })
            end
        """)
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True,
                                   env={**os.environ, "RES_OPTIONS": "attempts:5 timeout:30"})
        self.addCleanup(lambda: process.poll() is None and process.kill())
        deadline = time.time() + 60
        while "slow.hang.test" not in self.dns.queries and time.time() < deadline:
            time.sleep(0.05)
        self.assertIn("slow.hang.test", self.dns.queries, "lueng never asked the name server")
        process.send_signal(signal.SIGINT)
        time.sleep(0.5)
        self.assertIsNone(process.poll(), "the graceful stop waits for the iteration")
        process.send_signal(signal.SIGINT)
        # Far less than the lookup would take, far more than a loaded machine needs.
        stdout, stderr = process.communicate(timeout=60)
        check_sanitizers(stderr)
        self.assertEqual(process.returncode, 105, stderr)
        self.assertTrue(os.path.exists(self.result_path), stderr)


def loopback_addresses_work():
    """127.0.0.2, 127.0.0.3 and ::1 can be listened on (Linux routes all of
    127/8 to lo; IPv6 may be off)."""
    try:
        for family, address in ((socket.AF_INET, "127.0.0.2"), (socket.AF_INET, "127.0.0.3"),
                                (socket.AF_INET6, "::1")):
            with socket.socket(family, socket.SOCK_STREAM) as s:
                s.bind((address, 0))
        return True
    except OSError:
        return False


class Listeners:
    """One port on 127.0.0.1, 127.0.0.2, 127.0.0.3 and ::1; each connection gets
    one answer and is closed, and the address it was made to is recorded."""

    ADDRESSES = ["127.0.0.1", "127.0.0.2", "127.0.0.3", "::1"]

    def __init__(self):
        self.accepted = []  # the local address of each connection, in order
        self._lock = threading.Lock()
        # The first address's free port may be taken on another: try a few.
        for attempt in range(20):
            self._socks = []
            try:
                for address in self.ADDRESSES:
                    family = socket.AF_INET6 if ":" in address else socket.AF_INET
                    sock = socket.socket(family, socket.SOCK_STREAM)
                    self._socks.append(sock)
                    port = self._socks[0].getsockname()[1] if len(self._socks) > 1 else 0
                    sock.bind((address, port))
                    sock.listen(64)
                break
            except OSError:
                for sock in self._socks:
                    sock.close()
                if attempt == 19:
                    raise
        self.port = self._socks[0].getsockname()[1]
        for sock in self._socks:
            threading.Thread(target=self._accept, args=(sock,), daemon=True).start()

    def _accept(self, sock):
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                with self._lock:
                    self.accepted.append(conn.getsockname()[0])
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")

    def stop(self):
        for sock in self._socks:
            sock.close()


# A new connection for each request, so that every request picks an address.
REQUESTS_SCRIPT = """
    local http = require "lueng.http"
    options = {{ noConnectionReuse = true, iterations = 1, {options} }}
    function default()
      for i = 1, {count} do
        local res = http.get("http://{host}:" .. ENV.PORT .. "/")
        print("GOT " .. res.status .. " " .. res.error_code)
      end
    end
"""


@unittest.skipUnless(loopback_addresses_work(), "needs 127.0.0.2, 127.0.0.3 and ::1")
class DnsOptionTest(NameServerCase):
    def setUp(self):
        self.listeners = Listeners()
        self.addCleanup(self.listeners.stop)

    def requests(self, host, count, options="", *flags):
        command = self.command(REQUESTS_SCRIPT.format(options=options, count=count, host=host),
                               "-e", f"PORT={self.listeners.port}", "--threads", "1", *flags)
        completed = subprocess.run(command, capture_output=True, text=True, timeout=120)
        run = RunResult(completed, self.result_path)
        answers = [line.split("GOT ", 1)[1] for line in run.stderr.splitlines() if "GOT " in line]
        # A run in which not one request got a response exits 2.
        answered = any(not answer.startswith("0 ") for answer in answers)
        self.assertEqual(run.code, 0 if answered else 2, run.stderr)
        return run, answers

    def test_select_picks_the_address_of_each_new_connection(self):
        _, answers = self.requests("rr.multi.test", 6, 'dns = { select = "roundRobin" }')
        self.assertEqual(answers, ["200 0"] * 6)
        seen = self.listeners.accepted
        self.assertEqual(sorted(set(seen)), ["127.0.0.1", "127.0.0.2", "127.0.0.3"])
        self.assertEqual(seen[:3], seen[3:], "each address in turn")
        self.listeners.accepted.clear()
        self.requests("first.multi.test", 6, "", "--dns", "select=first")
        self.assertEqual(len(set(self.listeners.accepted)), 1, self.listeners.accepted)
        self.listeners.accepted.clear()
        # k6's default: at random (30 picks all alike once in 3^29 runs).
        self.requests("random.multi.test", 30)
        self.assertGreater(len(set(self.listeners.accepted)), 1)

    def test_ttl_decides_how_often_a_name_is_looked_up(self):
        self.requests("kept.multi.test", 6)  # k6's default ttl, 5m: once
        self.assertIn(self.dns.queries.count("kept.multi.test"), (1, 2))  # A and AAAA
        self.requests("zero.multi.test", 6, 'dns = { ttl = "0" }')  # every new connection
        self.assertGreaterEqual(self.dns.queries.count("zero.multi.test"), 6)
        self.requests("cli.multi.test", 6, 'dns = { ttl = "0" }', "--dns", "ttl=inf")
        self.assertIn(self.dns.queries.count("cli.multi.test"), (1, 2))

    def test_policy_chooses_between_ipv4_and_ipv6(self):
        cases = [
            ("", "www.dual.test", "127.0.0.1"),                          # preferIPv4, k6's default
            ('dns = { policy = "preferIPv6" }', "www.dual.test", "::1"),
            ('dns = { policy = "onlyIPv6" }', "www.dual.test", "::1"),
            ('dns = { policy = "onlyIPv4" }', "www.dual.test", "127.0.0.1"),
            ("", "www.six.test", "::1"),  # preferIPv4 without IPv4 takes IPv6
        ]
        for options, host, address in cases:
            with self.subTest(options=options, host=host):
                self.listeners.accepted.clear()
                _, answers = self.requests(host, 2, options)
                self.assertEqual(answers, ["200 0"] * 2)
                self.assertEqual(self.listeners.accepted, [address] * 2)
        # Nothing left by the policy: the lookup fails, as for a name without addresses.
        self.listeners.accepted.clear()
        _, answers = self.requests("www.six.test", 1, 'dns = { policy = "onlyIPv4" }')
        self.assertEqual(answers, ["0 1101"])
        self.assertEqual(self.listeners.accepted, [])


if __name__ == "__main__":
    unittest.main()
