"""HTTP/1.1 behaviour of `lueng run` against a real server on loopback: redirects,
cookies, compressed and chunked bodies, bodiless responses, Connection: close,
discarded bodies, User-Agent and http.batch."""

import gzip
import unittest
import zlib

from support import ServerCase, raw_response, run_lueng

HELLO = b"hello world, " * 40


def redirect(status, location, headers=None):
    return raw_response(status, b"", {"Location": location, **(headers or {})}, reason="Redirect")


def chunked(body, headers, size=7):
    head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
    for name, value in headers.items():
        head += f"{name}: {value}\r\n"
    out = [head.encode() + b"\r\n"]
    for i in range(0, len(body), size):
        piece = body[i:i + size]
        out.append(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
    return b"".join(out) + b"0\r\n\r\n"


class HttpFeaturesTest(ServerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        routes = cls.server.routes
        # /hop?n=3 -> /hop?n=2 -> /hop?n=1 -> /hop?n=0 -> /hello
        routes["/hop"] = lambda r: (
            redirect(302, "/hello") if r.query["n"] == "0" else
            redirect(302, f"/hop?n={int(r.query['n']) - 1}"))
        routes["/see-other"] = lambda r: redirect(303, "echo")  # relative to /see-other
        routes["/temporary"] = lambda r: redirect(307, "/echo")
        routes["/login"] = lambda r: redirect(302, "/echo", {"Set-Cookie": "session=s1; Path=/"})
        routes["/set"] = lambda r: raw_response(200, b"set", {
            "Set-Cookie": "flavour=" + r.query.get("v", "choc") + "; Path=/; Max-Age=3600"})
        routes["/forget"] = lambda r: raw_response(200, b"", {"Set-Cookie": "flavour=x; Max-Age=0"})
        routes["/scoped"] = lambda r: raw_response(200, b"", {
            "Set-Cookie": "scoped=1; Path=/echo/deeper"})
        routes["/echo/deeper"] = cls.server._echo
        routes["/gzip"] = lambda r: raw_response(200, gzip.compress(HELLO), {
            "Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
        routes["/deflate"] = lambda r: raw_response(200, zlib.compress(HELLO), {
            "Content-Encoding": "deflate"})
        raw = zlib.compressobj(wbits=-15)
        raw_deflate = raw.compress(HELLO) + raw.flush()
        routes["/raw-deflate"] = lambda r: raw_response(200, raw_deflate, {
            "Content-Encoding": "deflate"})
        routes["/bad-gzip"] = lambda r: raw_response(200, b"not gzip at all", {
            "Content-Encoding": "gzip"})
        routes["/chunked"] = lambda r: (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n")
        routes["/gzip-chunked"] = lambda r: chunked(gzip.compress(HELLO), {
            "Content-Encoding": "gzip"})
        routes["/head-length"] = lambda r: (
            b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" +
            (b"" if r.method == "HEAD" else b"x" * 1000))
        # 10 MB of zeros gzip to ~10 KB: a small decompression bomb.
        bomb = gzip.compress(b"\0" * 10_000_000)
        routes["/bomb"] = lambda r: raw_response(200, bomb, {"Content-Encoding": "gzip"})
        routes["/big"] = lambda r: raw_response(200, b"x" * 200_000)
        routes["/big-chunked"] = lambda r: chunked(b"x" * 200_000, {}, size=8192)
        routes["/not-modified"] = lambda r: (
            b"HTTP/1.1 304 Not Modified\r\nContent-Length: 1000\r\nETag: \"v1\"\r\n\r\n")

    def assert_all_checks_pass(self, run):
        checks = {c["name"]: (c["passes"], c["fails"]) for c in run.result["checks"]}
        self.assertTrue(checks, run.stderr)
        for name, (passes, fails) in checks.items():
            self.assertEqual(fails, 0, f"check '{name}' failed; {run.stderr}")
            self.assertGreater(passes, 0, name)

    def paths(self):
        return [r.target for r in self.server.requests]

    # --- the response object

    def test_response_functions_refuse_other_values_and_keep_converted_fields(self):
        # The response's functions check their argument by metatable: anything
        # else, another module's userdata too, gets luaL_checkudata's message.
        run = self.run_script("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            function default()
              local res = http.get(ENV.BASE_URL .. "/echo")
              local mt = getmetatable(res)
              local refused = 0
              local posing = setmetatable({}, mt)
              for _, bad in ipairs({ {}, 1, "x", http.cookieJar(), io.stdout, posing }) do
                for _, fn in ipairs({ mt.__index, mt.__tostring, res.json }) do
                  local ok, message = pcall(fn, bad, "status")
                  local expected = "(lueng.Response expected, got " .. type(bad) .. ")"
                  if not ok and message:find(expected, 1, true) then refused = refused + 1 end
                end
              end
              local list = http.batch({ ENV.BASE_URL .. "/echo", ENV.BASE_URL .. "/echo?b" })
              lueng.check(res, {
                ["all refused"] = refused == 18,
                ["fields"] = res.status == 200 and res:json().method == "GET"
                  and tostring(res):find("^Response%(GET ") ~= nil,
                ["cached"] = res.body == res.body and res.headers == res.headers
                  and res:json() == res:json() and res.timings == res.timings,
                ["batch"] = list[1].status == 200 and list[2]:json().target == "/echo?b"
                  and list[2].headers == list[2].headers,
              })
            end
        """)
        self.assertEqual(run.code, 0, run.stdout + run.stderr)
        self.assert_all_checks_pass(run)

    # --- redirects

    def test_redirects_are_followed_and_each_hop_is_a_request(self):
        run = self.run_ok("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            function default()
              local res = http.get(ENV.BASE_URL .. "/hop?n=3")
              lueng.check(res, {
                ["final status"] = res.status == 200,
                ["final body"] = res.body == "hello world",
                ["final url"] = res.url == ENV.BASE_URL .. "/hello",
              })
            end
        """)
        self.assert_all_checks_pass(run)
        self.assertEqual(self.paths(), ["/hop?n=3", "/hop?n=2", "/hop?n=1", "/hop?n=0", "/hello"])
        self.assertEqual(run.metric("http_reqs")["count"], 5)
        self.assertEqual(run.metric("data_received")["count"], self.server.bytes_out)
        self.assertEqual(run.metric("data_sent")["count"], self.server.bytes_in)
        series = run.result["metrics"]["http_reqs"]["series"]
        counts = {(s["tags"]["name"], s["tags"]["status"]): s["values"]["count"] for s in series}
        # k6's name tag is the URL, query included: one series per hop.
        hops = {(self.server.base_url + f"/hop?n={n}", "302"): 1 for n in range(4)}
        self.assertEqual(counts, {**hops, (self.server.base_url + "/hello", "200"): 1})

    def test_redirect_limits_global_and_per_request(self):
        run = self.run_ok("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = { maxRedirects = 2 }
            function default()
              local capped = http.get(ENV.BASE_URL .. "/hop?n=3")
              local none = http.get(ENV.BASE_URL .. "/hop?n=0", { redirects = 0 })
              local more = http.get(ENV.BASE_URL .. "/hop?n=3", { redirects = 10 })
              lueng.check(capped, {
                ["capped returns the redirect"] = capped.status == 302,
                ["capped url"] = capped.url == ENV.BASE_URL .. "/hop?n=1",
                ["location visible"] = capped.headers["Location"] == "/hop?n=0",
              })
              lueng.check(none, { ["no redirects"] = none.status == 302 })
              lueng.check(more, { ["per request wins"] = more.status == 200 })
            end
        """)
        self.assert_all_checks_pass(run)
        self.assertEqual(self.paths(), [
            "/hop?n=3", "/hop?n=2", "/hop?n=1",
            "/hop?n=0",
            "/hop?n=3", "/hop?n=2", "/hop?n=1", "/hop?n=0", "/hello"])
        self.assertEqual(run.metric("http_reqs")["count"], 9)

    def test_303_turns_a_post_into_a_get_and_307_keeps_it(self):
        run = self.run_ok("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            function default()
              local other = http.post(ENV.BASE_URL .. "/see-other", "payload",
                                      { headers = { ["Content-Type"] = "text/plain" } })
              local kept = http.post(ENV.BASE_URL .. "/temporary", "payload")
              lueng.check(other, { ["303 method"] = other:json().method == "GET",
                                   ["303 body"] = other:json().body == "",
                                   ["303 method field"] = other.method == "GET" })
              lueng.check(kept, { ["307 method"] = kept:json().method == "POST",
                                  ["307 body"] = kept:json().body == "payload" })
            end
        """)
        self.assert_all_checks_pass(run)
        methods = [(r.method, r.path) for r in self.server.requests]
        self.assertEqual(methods, [("POST", "/see-other"), ("GET", "/echo"),
                                   ("POST", "/temporary"), ("POST", "/echo")])
        self.assertNotIn("content-type", self.server.requests[1].headers)
        self.assertNotIn("content-length", self.server.requests[1].headers)

    def test_credentials_and_cookies_stay_with_their_host_across_redirects(self):
        other = f"http://localhost:{self.server.port}"
        self.server.routes["/elsewhere"] = lambda r: redirect(302, other + "/echo?at=other")
        run = self.run_ok("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            function default()
              http.get(ENV.BASE_URL .. "/set?v=here")
              local res = http.get(ENV.BASE_URL .. "/elsewhere",
                                   { headers = { Authorization = "Bearer secret", ["X-Keep"] = "1" } })
              lueng.check(res, { ["arrived"] = res.status == 200 and res.url:find("localhost") ~= nil })
            end
        """)
        self.assert_all_checks_pass(run)
        first, final = self.server.requests[1], self.server.requests[2]
        self.assertEqual(first.headers["authorization"], "Bearer secret")
        self.assertEqual(first.headers["cookie"], "flavour=here")
        self.assertEqual(final.headers["host"], f"localhost:{self.server.port}")
        self.assertEqual(final.headers["x-keep"], "1")
        self.assertNotIn("authorization", final.headers)
        self.assertNotIn("cookie", final.headers)  # a host-only cookie of 127.0.0.1

    # --- cookies

    def test_cookies_are_sent_back_and_reset_every_iteration(self):
        script = """
            local http = require "lueng.http"
            function default()
              http.get(ENV.BASE_URL .. "/echo?step=before")
              http.get(ENV.BASE_URL .. "/set?v=" .. (require "lueng").vu.iteration)
              http.get(ENV.BASE_URL .. "/echo?step=after")
            end
        """
        self.run_ok(script, "-i", "2")
        cookies = [(r.query["step"], r.headers.get("cookie")) for r in self.server.requests
                   if r.path == "/echo"]
        self.assertEqual(cookies, [("before", None), ("after", "flavour=0"),
                                   ("before", None), ("after", "flavour=1")])

        self.setUp()
        self.run_ok("options = { noCookiesReset = true }\n" + script, "-i", "2")
        cookies = [(r.query["step"], r.headers.get("cookie")) for r in self.server.requests
                   if r.path == "/echo"]
        self.assertEqual(cookies, [("before", None), ("after", "flavour=0"),
                                   ("before", "flavour=0"), ("after", "flavour=1")])

    def test_cookie_paths_expiry_redirects_and_request_cookies(self):
        run = self.run_ok("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            function default()
              local login = http.get(ENV.BASE_URL .. "/login")   -- sets a cookie on a 302
              http.get(ENV.BASE_URL .. "/scoped")
              http.get(ENV.BASE_URL .. "/echo?at=root")
              http.get(ENV.BASE_URL .. "/echo/deeper?at=deeper")
              http.get(ENV.BASE_URL .. "/echo?at=extra", { cookies = { extra = "1" } })
              http.get(ENV.BASE_URL .. "/echo?at=replace",
                       { cookies = { session = { value = "mine", replace = true } } })
              local set = http.get(ENV.BASE_URL .. "/set?v=vanilla")
              http.get(ENV.BASE_URL .. "/forget")
              http.get(ENV.BASE_URL .. "/echo?at=forgotten")
              lueng.check(set, {
                ["res.cookies value"] = set.cookies.flavour[1].value == "vanilla",
                ["res.cookies path"] = set.cookies.flavour[1].path == "/",
                ["res.cookies max_age"] = set.cookies.flavour[1].max_age == 3600,
              })
              lueng.check(login, { ["login followed"] = login.url == ENV.BASE_URL .. "/echo" })
            end
        """)
        self.assert_all_checks_pass(run)
        sent = {r.query.get("at", "login"): r.headers.get("cookie")
                for r in self.server.requests if r.path.startswith("/echo")}
        self.assertEqual(sent["login"], "session=s1")
        self.assertEqual(sent["root"], "session=s1")
        self.assertEqual(sent["deeper"], "scoped=1; session=s1")  # longest path first
        self.assertEqual(sent["extra"], "extra=1; session=s1")
        self.assertEqual(sent["replace"], "session=mine")
        self.assertEqual(sent["forgotten"], "session=s1")

    def test_cookie_jar_set_read_delete_and_clear_round_trip(self):
        run = self.run_ok("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            function default()
              local base = ENV.BASE_URL
              http.get(base .. "/set?v=choc")                     -- Set-Cookie: flavour=choc; Path=/
              local jar = http.cookieJar()
              local seen = jar:cookiesForURL(base .. "/echo")
              jar.set(base .. "/echo", "added", "yes")           -- k6's dot form works too
              jar:set(base .. "/echo/deeper/x", "deep", "1", { path = "/echo/deeper" })
              jar:set(base .. "/echo", "tls_only", "1", { secure = true })
              jar:set(base .. "/echo", "stale", "1", { expires = "Wed, 21 Oct 2015 07:28:00 GMT" })
              jar:set(base .. "/echo", "brief", "1", { max_age = 600, http_only = true })
              jar:set(base .. "/echo", "brief", "1", { max_age = -1 })   -- deletes it again
              http.get(base .. "/echo?at=set")
              http.get(base .. "/echo/deeper?at=deeper")
              local deeper = http.cookie_jar():cookies_for_url(base .. "/echo/deeper")
              jar:delete(base .. "/echo", "flavour")
              http.get(base .. "/echo?at=deleted")
              jar:clear(base .. "/echo")
              http.get(base .. "/echo?at=cleared")
              http.get(base .. "/echo/deeper?at=left")
              http.get(base .. "/set?v=again")
              local again = jar:cookiesForURL(base .. "/")
              lueng.check(seen, {
                ["server cookie read"] = seen.flavour[1] == "choc" and #seen.flavour == 1,
                ["only matching cookies"] = seen.added == nil,
                ["deeper sees both paths"] = deeper.deep[1] == "1" and deeper.added[1] == "yes",
                ["secure not for http"] = deeper.tls_only == nil,
                ["expired not kept"] = deeper.stale == nil and deeper.brief == nil,
                ["jar keeps taking Set-Cookie"] = again.flavour[1] == "again" and again.added == nil,
              })
            end
        """)
        self.assert_all_checks_pass(run)
        sent = {r.query["at"]: r.headers.get("cookie")
                for r in self.server.requests if "at" in r.query}
        self.assertEqual(sent["set"], "flavour=choc; added=yes")
        self.assertEqual(sent["deeper"], "deep=1; flavour=choc; added=yes")  # longest path first
        self.assertEqual(sent["deleted"], "added=yes")
        self.assertIsNone(sent["cleared"])
        self.assertEqual(sent["left"], "deep=1")  # /echo/deeper's cookie is not /echo's

    def test_cookie_jar_domain_cookies_and_bad_arguments(self):
        run = self.run_ok("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            local function message(fn, ...)
              local ok, err = pcall(fn, ...)
              return not ok and tostring(err) or "no error"
            end
            function default()
              local base = ENV.BASE_URL
              local jar = http.cookieJar()
              jar:set(base .. "/", "wide", "1", { domain = ".127.0.0.1", path = "/" })
              -- Lifetimes beyond any clock: kept for good, or deleted at once.
              jar:set(base .. "/echo", "forever", "1", { path = "/echo", max_age = 1e300 })
              jar:set(base .. "/echo", "gone", "1", { max_age = 60 })
              jar:set(base .. "/echo", "gone", "1", { max_age = -math.huge })
              http.get(base .. "/echo?at=domain")
              local errors = {
                message(jar.set, jar, 42, "n", "v"),
                message(jar.set, jar, "ftp://x/", "n", "v"),
                message(jar.set, jar, base, "a b", "v"),
                message(jar.set, jar, base, "n", { }),
                message(jar.set, jar, base, "n", "v", { domain = "example.com" }),
                message(jar.set, jar, base, "n", "v", { expires = "someday" }),
                message(jar.set, jar, base, "n", "v", { colour = "red" }),
                message(jar.delete, jar, base),
                message(jar.clear, jar),
                message(jar.cookiesForURL, jar, nil),
                message(jar.set, jar, base, "n", "v", { max_age = 0/0 }),
                message(http.get, base .. "/echo", { redirects = 0/0 }),
                message(http.get, base .. "/echo", { redirects = 1e300 }),
                message(http.get, base .. "/echo", { maxResponseBodySize = 1e300 }),
              }
              print("ERRORS:" .. table.concat(errors, "|"))
            end
        """)
        sent = [r.headers.get("cookie") for r in self.server.requests]
        self.assertEqual(sent, ["forever=1; wide=1"])
        line = next(l for l in run.stderr.splitlines() if "ERRORS:" in l)
        errors = line.split("ERRORS:", 1)[1].split("|")
        expected = ["CookieJar.set: url must be a string",
                    "CookieJar.set: invalid URL \"ftp://x/\": unsupported scheme",
                    "CookieJar.set: name 'a b' is not a cookie name",
                    "CookieJar.set: value must be a string",
                    "CookieJar.set: options.domain 'example.com' does not contain the url's host",
                    "CookieJar.set: options.expires 'someday' is not a date",
                    "CookieJar.set: options.colour is unknown",
                    "CookieJar.delete: name must be a string",
                    "CookieJar.clear: url must be a string",
                    "CookieJar.cookiesForURL: url must be a string",
                    "CookieJar.set: options.max_age must be a number of seconds",
                    "params.redirects must be a whole number >= 0",
                    "params.redirects must be a whole number >= 0",
                    "params.maxResponseBodySize must be a whole number of bytes >= 0"]
        self.assertEqual(len(errors), len(expected), errors)
        for got, want in zip(errors, expected):
            self.assertIn(want, got)

        init = run_lueng('local jar = require("lueng.http").cookieJar()\nfunction default() end')
        self.assertEqual(init.code, 107, init.stderr)
        self.assertIn("http.cookieJar can only be called while a VU runs", init.stderr)

    # --- bodies

    def test_gzip_and_deflate_bodies_are_decoded_and_wire_bytes_counted(self):
        run = self.run_ok("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            local expected = string.rep("hello world, ", 40)
            function default()
              local params = { headers = { ["Accept-Encoding"] = "gzip, deflate" } }
              for _, path in ipairs({ "/gzip", "/deflate", "/raw-deflate", "/gzip-chunked" }) do
                local res = http.get(ENV.BASE_URL .. path, params)
                lueng.check(res, { [path .. " decoded"] = res.body == expected,
                                   [path .. " no error"] = res.error_code == 0 })
              end
              local bad = http.get(ENV.BASE_URL .. "/bad-gzip", params)
              lueng.check(bad, { ["bad gzip is an error"] = bad.error_code == 1701,
                                 ["bad gzip fails as in k6"] = bad.status == 0 })
              local after = http.get(ENV.BASE_URL .. "/hello")
              lueng.check(after, { ["connection still usable"] = after.body == "hello world" })
            end
        """)
        self.assert_all_checks_pass(run)
        self.assertEqual(self.server.requests[0].headers["accept-encoding"], "gzip, deflate")
        self.assertEqual(run.metric("data_received")["count"], self.server.bytes_out)
        self.assertLess(run.metric("data_received")["count"], 5 * len(HELLO))
        self.assertEqual(self.server.connections, 1)

    def test_response_body_limit_fails_the_request_and_closes_the_connection(self):
        run = self.run_ok("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = { maxResponseBodySize = "100KB" }
            function default()
              local gz = { headers = { ["Accept-Encoding"] = "gzip" } }
              local bomb = http.get(ENV.BASE_URL .. "/bomb", gz)
              local after = http.get(ENV.BASE_URL .. "/hello")
              local big = http.get(ENV.BASE_URL .. "/big")
              local chunked = http.get(ENV.BASE_URL .. "/big-chunked")
              local fits = http.get(ENV.BASE_URL .. "/big", { maxResponseBodySize = 200000 })
              local dropped = http.get(ENV.BASE_URL .. "/bomb", { responseType = "none",
                                                                  headers = gz.headers })
              local unlimited = http.get(ENV.BASE_URL .. "/bomb",
                                         { max_response_body_size = 0, headers = gz.headers })
              for name, res in pairs({ bomb = bomb, big = big, chunked = chunked }) do
                lueng.check(res, {
                  [name .. " fails with 1702"] = res.error_code == 1702 and res.status == 0,
                  [name .. " keeps no body"] = res.body == "",
                  [name .. " says why"] = res.error:find("maxResponseBodySize (100000 bytes)", 1, true) ~= nil,
                })
              end
              lueng.check(bomb, {
                ["bomb said decompressed"] = bomb.error:find("once decompressed", 1, true) ~= nil,
                ["next request fine"] = after.status == 200 and after.body == "hello world",
                ["exactly the limit fits"] = fits.status == 200 and #fits.body == 200000,
                ["discarded bodies are not limited"] = dropped.status == 200 and dropped.error_code == 0,
                ["0 is no limit"] = unlimited.error_code == 0 and #unlimited.body == 10000000,
              })
            end
        """, "-i", "1")
        self.assert_all_checks_pass(run)
        # The bomb's, /big's and /big-chunked's connections were closed: each next
        # request came on a new one.
        self.assertEqual([r.connection for r in self.server.requests], [1, 2, 2, 3, 4, 4, 4])
        failed = {s["tags"]["name"].rsplit("/", 1)[1]: s["tags"].get("error_code")
                  for s in run.result["metrics"]["http_reqs"]["series"]
                  if s["tags"].get("expected_response") == "false"}
        self.assertEqual(failed, {"bomb": "1702", "big": "1702", "big-chunked": "1702"})
        self.assertEqual(run.metric("http_req_failed")["passes"], 3)

    def test_bad_response_body_size_is_exit_104(self):
        for value in ('"lots"', "-1", "{}", "1e300"):
            run = run_lueng(f"options = {{ maxResponseBodySize = {value} }}\nfunction default() end")
            self.assertEqual(run.code, 104, run.stderr)
            self.assertIn("options.maxResponseBodySize", run.stderr)

    def test_chunked_head_204_304_and_connection_close(self):
        run = self.run_ok("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            function default()
              local chunked = http.get(ENV.BASE_URL .. "/chunked")
              local head = http.head(ENV.BASE_URL .. "/head-length")
              local empty = http.get(ENV.BASE_URL .. "/status?code=204")
              local cached = http.get(ENV.BASE_URL .. "/not-modified")
              local full = http.get(ENV.BASE_URL .. "/head-length")
              lueng.check(chunked, { ["chunked body"] = chunked.body == "hello world" })
              lueng.check(head, { ["HEAD no body"] = head.status == 200 and head.body == "" })
              lueng.check(empty, { ["204"] = empty.status == 204 and empty.body == "" })
              lueng.check(cached, { ["304"] = cached.status == 304 and cached.body == "" })
              lueng.check(full, { ["in step after"] = #full.body == 1000 })
              for i = 1, 3 do
                http.get(ENV.BASE_URL .. "/hello", { headers = { Connection = "close" } })
              end
            end
        """)
        self.assert_all_checks_pass(run)
        # Five keep-alive requests on one connection, then one per Connection: close.
        self.assertEqual([r.connection for r in self.server.requests], [1, 1, 1, 1, 1, 1, 2, 3])
        self.assertEqual(run.metric("http_req_failed")["rate"], 0)

    def test_discard_response_bodies_globally_and_per_request(self):
        run = self.run_ok("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = { discardResponseBodies = true }
            function default()
              local dropped = http.get(ENV.BASE_URL .. "/hello")
              local kept = http.get(ENV.BASE_URL .. "/hello", { responseType = "text" })
              local gz = http.get(ENV.BASE_URL .. "/gzip")
              lueng.check(dropped, { ["dropped"] = dropped.status == 200 and dropped.body == "" })
              lueng.check(kept, { ["kept"] = kept.body == "hello world" })
              lueng.check(gz, { ["gzip dropped"] = gz.body == "" and gz.error_code == 0 })
            end
        """)
        self.assert_all_checks_pass(run)
        self.assertEqual(run.metric("data_received")["count"], self.server.bytes_out)

    def test_user_agent_default_option_and_header(self):
        script = """
            local http = require "lueng.http"
            function default()
              http.get(ENV.BASE_URL .. "/echo")
              http.get(ENV.BASE_URL .. "/echo", { headers = { ["User-Agent"] = "mine/1" } })
            end
        """
        self.run_ok(script)
        agents = [r.headers.get("user-agent") for r in self.server.requests]
        self.assertRegex(agents[0], r"^lueng/\d+\.\d+\.\d+")
        self.assertEqual(agents[1], "mine/1")
        self.setUp()
        self.run_ok('options = { userAgent = "qa-bot/2" }\n' + script)
        self.assertEqual([r.headers.get("user-agent") for r in self.server.requests],
                         ["qa-bot/2", "mine/1"])
        self.setUp()
        self.run_ok('options = { user_agent = "" }\n' + script)
        self.assertEqual([r.headers.get("user-agent") for r in self.server.requests],
                         [None, "mine/1"])

    def test_bad_http_option_is_exit_104_naming_it(self):
        run = run_lueng('options = { maxRedirects = "ten" }\nfunction default() end')
        self.assertEqual(run.code, 104)
        self.assertIn("options.maxRedirects", run.stderr)

    # --- batch

    def test_batch_returns_responses_in_order_in_every_form(self):
        run = self.run_ok("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            function default()
              local b = ENV.BASE_URL
              local list = http.batch({
                b .. "/slow?ms=150&i=1",
                { "GET", b .. "/echo?i=2" },
                { "POST", b .. "/echo?i=3", "body3", { headers = { ["X-N"] = "3" } } },
                { method = "PUT", url = b .. "/echo?i=4", body = "body4" },
                { url = b .. "/hop?n=1" },
              })
              lueng.check(list, {
                ["five"] = #list == 5,
                ["1 slow first"] = list[1].body == "slow",
                ["2 get"] = list[2]:json().target == "/echo?i=2",
                ["3 post"] = list[3]:json().body == "body3" and list[3]:json().headers["x-n"] == "3",
                ["4 put"] = list[4]:json().method == "PUT" and list[4]:json().body == "body4",
                ["5 redirected"] = list[5].url == b .. "/hello",
              })
              local named = http.batch({ home = b .. "/hello",
                                         api = { method = "GET", url = b .. "/json" } })
              lueng.check(named, {
                ["named home"] = named.home.body == "hello world",
                ["named api"] = named.api:json().status == "ok",
              })
              lueng.check(http.batch({}), { ["empty batch"] = function(r) return next(r) == nil end })
              local after = http.get(b .. "/hello")
              lueng.check(after, { ["single after batch"] = after.status == 200 })
            end
        """)
        self.assert_all_checks_pass(run)
        self.assertEqual(run.metric("http_reqs")["count"], 10)

    def test_batch_per_host_and_total_limits(self):
        script = """
            local http = require "lueng.http"
            local lueng = require "lueng"
            function default()
              local list = {}
              for i = 1, 8 do list[i] = ENV.BASE_URL .. "/slow?ms=200&i=" .. i end
              local res = http.batch(list)
              local in_order = #res == 8
              for i = 1, 8 do
                in_order = in_order and res[i].url == list[i] and res[i].status == 200
              end
              lueng.check(res, { ["all in order"] = in_order })
            end
        """
        run = self.run_ok("options = { batchPerHost = 3 }\n" + script)
        self.assert_all_checks_pass(run)
        self.assertEqual(len(self.server.requests), 8)
        self.assertEqual(self.server.max_active, 3)
        self.assertLessEqual(self.server.connections, 3)

        self.setUp()
        self.run_ok("options = { batch = 2, batchPerHost = 6 }\n" + script)
        self.assertEqual(self.server.max_active, 2)

        self.setUp()
        self.run_ok("options = { batchPerHost = 0 }\n" + script)
        self.assertEqual(self.server.max_active, 8)


if __name__ == "__main__":
    unittest.main()
