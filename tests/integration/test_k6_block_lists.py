"""k6's blacklistIPs and blockHostnames: a blocked request fails before it connects
(a blocked name before it is even looked up), with k6's error text and
error_code, and counts as any failed request; the others go through. Set from
the script, K6_* variables or the command line; bad entries exit 104. And
localIPs (--local-ips, K6_LOCAL_IPS): the source address of each VU's
connections, in turn from the pool."""

import socket
import unittest

from support import ServerCase, run_lueng

SCRIPT = """
local http = require "lueng.http"
options = {{ hosts = {{ ["api.blocked.test"] = "127.0.0.1", ["open.test"] = "127.0.0.1" }}{extra} }}
function default()
  for _, url in ipairs({{ {urls} }}) do
    local res = http.get(url)
    print("RESULT " .. url .. " " .. res.status .. " " .. res.error_code .. " " .. (res.error or ""))
  end
end
"""


class BlockListsTest(ServerCase):
    def script(self, urls, extra=""):
        port = self.server.port
        return SCRIPT.format(
            extra=extra,
            urls=", ".join(f'"{u.format(port=port)}"' for u in urls))

    def run_unanswered(self, *args):
        """run_script whose every request is refused: exit 2, not one response."""
        run = self.run_script(*args)
        self.assertEqual(run.code, 2, run.stdout + run.stderr)
        return run

    def results(self, run):
        rows = {}
        for line in run.stderr.splitlines():
            if "RESULT " in line:
                url, status, code, *error = line.split("RESULT ", 1)[1].split(" ", 3)
                rows[url] = (int(status), int(code), error[0] if error else "")
        return rows

    def test_a_blacklisted_range_fails_without_connecting(self):
        run = self.run_unanswered(self.script(
            ["http://127.0.0.1:{port}/hello", "http://localhost:{port}/hello"],
            ', blacklistIPs = { "127.0.0.0/8", "10.0.0.0/8" }'), "-i", "2")
        port = self.server.port
        rows = self.results(run)
        self.assertEqual(rows[f"http://127.0.0.1:{port}/hello"],
                         (0, 1110, "IP (127.0.0.1) is in a blacklisted range (127.0.0.0/8)"))
        self.assertEqual(rows[f"http://localhost:{port}/hello"][:2], (0, 1110))
        self.assertEqual(self.server.connections, 0)
        self.assertEqual(self.server.requests, [])
        self.assertEqual(run.metric("http_req_failed")["passes"], 4)
        rows = run.result["failures"]  # a row per endpoint
        self.assertEqual({row["error_code"] for row in rows}, {1110})
        self.assertEqual(sum(row["count"] for row in rows), 4)
        self.assertTrue(all("blacklisted range (127.0.0.0/8)" in row["message"] for row in rows))

    def test_an_address_outside_the_ranges_is_reached(self):
        run = self.run_ok(self.script(["http://127.0.0.1:{port}/hello"],
                                      ', blacklistIPs = { "10.0.0.0/8", "::1/128" }'))
        self.assertEqual(self.results(run)[f"http://127.0.0.1:{self.server.port}/hello"][:2],
                         (200, 0))
        self.assertEqual(run.metric("http_req_failed")["passes"], 0)

    def test_a_blocked_hostname_fails_before_its_lookup(self):
        run = self.run_ok(self.script(
            ["http://api.blocked.test:{port}/hello", "http://API.Blocked.TEST:{port}/hello",
             "http://open.test:{port}/hello", "http://127.0.0.1:{port}/hello"],
            ', blockHostnames = { "*.blocked.test", "*never.example" }'))
        port = self.server.port
        rows = self.results(run)
        blocked = rows[f"http://api.blocked.test:{port}/hello"]
        self.assertEqual(blocked, (0, 1111,
                                   "hostname (api.blocked.test) is in a blocked pattern "
                                   "(*.blocked.test)"))
        self.assertEqual(rows[f"http://API.Blocked.TEST:{port}/hello"][:2], (0, 1111))
        self.assertEqual(rows[f"http://open.test:{port}/hello"][:2], (200, 0))
        self.assertEqual(rows[f"http://127.0.0.1:{port}/hello"][:2], (200, 0))
        self.assertEqual(len(self.server.requests), 2)
        self.assertEqual({r.headers.get("host") for r in self.server.requests},
                         {f"open.test:{port}", f"127.0.0.1:{port}"})
        rows = run.result["failures"]
        self.assertEqual({row["error_code"] for row in rows}, {1111})
        self.assertEqual(sum(row["count"] for row in rows), 2)
        self.assertEqual(run.metric("http_req_failed")["passes"], 2)

    def test_a_blocked_name_is_not_looked_up(self):
        # .invalid never resolves: a lookup would fail with 1101, not 1111.
        run = self.run_unanswered(self.script(["http://nowhere.invalid/"],
                                      ', blockHostnames = { "*.invalid" }'))
        self.assertEqual(self.results(run)["http://nowhere.invalid/"][:2], (0, 1111))

    def test_the_command_line_and_the_environment_replace_the_script_lists(self):
        script = self.script(["http://127.0.0.1:{port}/hello", "http://open.test:{port}/hello"],
                             ', blacklistIPs = { "10.0.0.0/8" }, blockHostnames = { "x.test" }')
        port = self.server.port
        run = self.run_unanswered(script, "--blacklist-ip", "10.0.0.0/8,127.0.0.1/32",
                          "--block-hostnames", "*.test")
        rows = self.results(run)
        self.assertEqual(rows[f"http://127.0.0.1:{port}/hello"][:2], (0, 1110))
        self.assertEqual(rows[f"http://open.test:{port}/hello"][:2], (0, 1111))
        env = run_lueng(script, ["-e", "X=1"],
                        env={"K6_BLACKLIST_IPS": "127.0.0.2/32", "K6_BLOCK_HOSTNAMES": "open.test"})
        self.assertEqual(env.code, 0, env.stderr)
        rows = self.results(env)
        self.assertEqual(rows[f"http://127.0.0.1:{port}/hello"][:2], (200, 0))
        self.assertEqual(rows[f"http://open.test:{port}/hello"][:2], (0, 1111))
        self.assertNotIn("does not implement", env.stderr)

    def test_bad_entries_exit_104_naming_the_option(self):
        cases = [
            (', blacklistIPs = { "10.0.0.0/33" }', [], {},
             "options.blacklistIPs[1]: failed to parse CIDR '10.0.0.0/33'"),
            (', blockHostnames = { "ok.test", "inval*d.test" }', [], {},
             "options.blockHostnames[2]: invalid hostname pattern 'inval*d.test'"),
            ("", ["--blacklist-ip", "10.0.0.1"], {},
             "--blacklist-ip: failed to parse CIDR '10.0.0.1'"),
            ("", ["--block-hostnames", "a*b"], {},
             "--block-hostnames: invalid hostname pattern 'a*b'"),
            ("", [], {"K6_BLACKLIST_IPS": "nonsense"}, "failed to parse CIDR 'nonsense'"),
        ]
        for extra, args, env, message in cases:
            with self.subTest(message=message):
                run = run_lueng(self.script([], extra), args, env=env or None)
                self.assertEqual(run.code, 104, run.stderr)
                self.assertIn(message, run.stderr)


def can_bind(ip):
    with socket.socket() as s:
        try:
            s.bind((ip, 0))
            return True
        except OSError:
            return False


LOCAL_IPS_SCRIPT = """
local http = require "lueng.http"
options = { scenarios = { s = { executor = "per-vu-iterations", vus = 3, iterations = 2 } } }
function default() http.get(ENV.BASE_URL .. "/hello?vu=" .. __VU) end
"""


@unittest.skipUnless(can_bind("127.0.0.2") and can_bind("127.0.0.3"),
                     "127.0.0.2 and 127.0.0.3 cannot be bound here")
class LocalIpsTest(ServerCase):
    def peers_by_vu(self):
        peers = {}
        for request in self.server.requests:
            peers.setdefault(request.query["vu"], set()).add(request.peer)
        return peers

    def test_each_vu_connects_from_its_address_in_turn(self):
        run = self.run_ok(LOCAL_IPS_SCRIPT, "--local-ips", "127.0.0.2-127.0.0.3")
        self.assertEqual(run.metric("http_req_failed")["passes"], 0)
        self.assertEqual(self.peers_by_vu(),
                         {"1": {"127.0.0.2"}, "2": {"127.0.0.3"}, "3": {"127.0.0.2"}})

    def test_the_variable_and_a_list_of_addresses(self):
        run = self.run_script(LOCAL_IPS_SCRIPT, env={"K6_LOCAL_IPS": "127.0.0.3,127.0.0.2"})
        self.assertEqual(run.code, 0, run.stderr)
        self.assertEqual(self.peers_by_vu(),
                         {"1": {"127.0.0.3"}, "2": {"127.0.0.2"}, "3": {"127.0.0.3"}})

    def test_without_it_the_system_chooses(self):
        self.run_ok(LOCAL_IPS_SCRIPT)
        self.assertEqual({r.peer for r in self.server.requests}, {"127.0.0.1"})

    def test_bad_pools_exit_104(self):
        run = self.run_script(LOCAL_IPS_SCRIPT, "--local-ips", "127.0.0.3-127.0.0.2")
        self.assertEqual(run.code, 104, run.stderr)
        self.assertIn("--local-ips: negative IP range: 127.0.0.3-127.0.0.2", run.stderr)
        run = self.run_script(LOCAL_IPS_SCRIPT, env={"K6_LOCAL_IPS": "whatever"})
        self.assertEqual(run.code, 104, run.stderr)
        self.assertIn("K6_LOCAL_IPS: whatever is not a valid IP, IP range or CIDR", run.stderr)

    def test_a_script_option_is_ignored_as_in_k6(self):
        run = self.run_ok("options = { localIPs = '127.0.0.2' }\nfunction default() end")
        self.assertIn("--local-ips or K6_LOCAL_IPS only; ignored", run.stderr)


if __name__ == "__main__":
    unittest.main()
