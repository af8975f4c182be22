"""Cookie jars of the script's own, k6's `new http.CookieJar()` (http.CookieJar() in
Lua) used with params.jar, against a real server on loopback: what each jar
stores from Set-Cookie and sends back in Cookie, across redirects and iterations."""

import time
import unittest

from support import ServerCase, raw_response, run_lueng


class CookieJarsTest(ServerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        routes = cls.server.routes
        routes["/set"] = lambda r: raw_response(200, b"set", {
            "Set-Cookie": "flavour=" + r.query["v"] + "; Path=/"})
        routes["/login"] = lambda r: raw_response(302, b"", {
            "Location": "/echo?at=" + r.query["next"], "Set-Cookie": "session=s1; Path=/"},
            reason="Found")

        def slow_set(r):
            time.sleep(0.3)
            return raw_response(200, b"", {"Set-Cookie": "late=1; Path=/"})
        routes["/slow-set"] = slow_set

    def sent(self):
        """The Cookie header of each /echo request, by its `at` query."""
        return {r.query["at"]: r.headers.get("cookie") for r in self.server.requests
                if r.path == "/echo"}

    def assert_all_checks_pass(self, run):
        checks = {c["name"]: (c["passes"], c["fails"]) for c in run.result["checks"]}
        self.assertTrue(checks, run.stderr)
        for name, (passes, fails) in checks.items():
            self.assertEqual(fails, 0, f"check '{name}' failed; {run.stderr}")

    def test_a_jar_of_its_own_is_used_instead_of_the_vus_for_a_request_and_its_redirects(self):
        run = self.run_ok("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            function default()
              local base = ENV.BASE_URL
              local jar = http.CookieJar()
              http.get(base .. "/set?v=vu")                         -- into the VU's jar
              http.get(base .. "/set?v=mine", { jar = jar })        -- into jar only
              http.get(base .. "/echo?at=with-jar", { jar = jar })
              http.get(base .. "/echo?at=vu-jar")
              -- the redirect's Set-Cookie lands in jar, and its next hop sends it
              local res = http.get(base .. "/login?next=after-login", { jar = jar })
              jar:set(base .. "/", "added", "1")
              http.get(base .. "/echo?at=set-by-script", { jar = jar, cookies = { extra = "2" } })
              http.get(base .. "/echo?at=vu-after")
              http.batch({ { "GET", base .. "/echo?at=batch-jar", nil, { jar = jar } },
                           { method = "GET", url = base .. "/echo?at=batch-vu" } })
              local other = http.cookie_jar_new()
              http.get(base .. "/echo?at=empty-jar", { jar = other })
              http.get(base .. "/echo?at=own-jar-param", { jar = http.cookieJar() })
              local mine = jar:cookiesForURL(base .. "/")
              local vus = http.cookieJar():cookiesForURL(base .. "/")
              lueng.check(res, {
                ["redirect followed"] = res.status == 200 and res.url == base .. "/echo?at=after-login",
                ["jar holds its cookies"] = mine.flavour[1] == "mine" and mine.session[1] == "s1"
                                            and mine.added[1] == "1",
                ["vu jar untouched"] = vus.flavour[1] == "vu" and vus.session == nil
                                       and vus.added == nil,
                ["new jar is empty"] = next(other:cookiesForURL(base .. "/")) == nil,
                ["names itself"] = tostring(jar):find("CookieJar") == 1,
              })
            end
        """)
        self.assert_all_checks_pass(run)
        sent = self.sent()
        self.assertEqual(sent["with-jar"], "flavour=mine")
        self.assertEqual(sent["vu-jar"], "flavour=vu")
        self.assertEqual(sorted(sent["after-login"].split("; ")), ["flavour=mine", "session=s1"])
        self.assertEqual(sent["set-by-script"].split("; ")[0], "extra=2")
        self.assertEqual(sorted(sent["set-by-script"].split("; ")),
                         ["added=1", "extra=2", "flavour=mine", "session=s1"])
        self.assertEqual(sent["vu-after"], "flavour=vu")
        self.assertEqual(sorted(sent["batch-jar"].split("; ")),
                         ["added=1", "flavour=mine", "session=s1"])
        self.assertEqual(sent["batch-vu"], "flavour=vu")
        self.assertIsNone(sent["empty-jar"])
        self.assertEqual(sent["own-jar-param"], "flavour=vu")  # the VU's own jar, by name

    def test_a_jar_kept_by_the_vu_outlives_the_iteration_reset_of_the_vus_jar(self):
        self.run_ok("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            function default()
              local base, n = ENV.BASE_URL, lueng.vu.iteration
              kept = kept or http.CookieJar()      -- a VU global: one jar per VU
              http.get(base .. "/echo?at=kept-" .. n, { jar = kept })
              http.get(base .. "/echo?at=vu-" .. n)
              http.get(base .. "/set?v=k" .. n, { jar = kept })
              http.get(base .. "/set?v=v" .. n)
            end
        """, "-i", "2")
        sent = self.sent()
        self.assertEqual(sent, {"kept-0": None, "vu-0": None,
                                "kept-1": "flavour=k0", "vu-1": None})

    def test_a_jar_only_the_request_holds_survives_a_collection_while_it_waits(self):
        # VU 1's jar is referenced by nothing but its request while VU 2 (of the
        # same worker, so of the same Lua state) collects garbage; the late Set-Cookie must land in a live jar (sanitizer builds
        # would report a freed one).
        run = self.run_ok("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = { scenarios = { s = { executor = "per-vu-iterations", vus = 2, iterations = 1 } } }
            function default()
              if lueng.vu.id == 1 then
                local res = http.get(ENV.BASE_URL .. "/slow-set", { jar = http.CookieJar() })
                lueng.check(res, { ["late answer"] = res.status == 200 })
              else
                for _ = 1, 20 do
                  collectgarbage("collect")
                  lueng.sleep(0.02)
                end
              end
              collectgarbage("collect")
            end
        """, "--threads", "1")
        self.assert_all_checks_pass(run)
        self.assertEqual(run.result["errors"], [])

    def test_bad_jars_are_errors_naming_the_parameter(self):
        run = self.run_ok("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            options = { scenarios = { s = { executor = "per-vu-iterations", vus = 2, iterations = 1 } } }
            local handed = {}
            function default()
              if lueng.vu.id == 1 then
                handed.jar = http.CookieJar()
                local ok, err = pcall(http.get, ENV.BASE_URL .. "/echo?at=x", { jar = "jar" })
                print("NOT A JAR:" .. tostring(err))
              else
                lueng.sleep(0.2)
                assert(handed.jar, "VU 1's jar was not handed over")
                local ok, err = pcall(http.get, ENV.BASE_URL .. "/echo?at=y", { jar = handed.jar })
                print("OTHER VU:" .. tostring(err))
                local ok2, err2 = pcall(handed.jar.set, handed.jar, ENV.BASE_URL, "a", "1")
                print("OTHER VU SET:" .. tostring(err2))
              end
            end
        """, "--threads", "1")  # one worker: its VUs share one Lua state
        lines = {l.split(":", 1)[0]: l.split(":", 1)[1] for l in run.stderr.splitlines()
                 if l.startswith(("NOT A JAR:", "OTHER VU:", "OTHER VU SET:"))}
        self.assertIn("http.get: params.jar must be a cookie jar (http.CookieJar())",
                      lines["NOT A JAR"])
        self.assertIn("http.get: params.jar belongs to VU 1", lines["OTHER VU"])
        self.assertIn("CookieJar.set: this jar belongs to VU 1", lines["OTHER VU SET"])
        self.assertEqual(self.server.requests, [])

        init = run_lueng('local jar = require("lueng.http").CookieJar()\nfunction default() end')
        self.assertEqual(init.code, 107, init.stderr)
        self.assertIn("http.CookieJar can only be called while a VU runs", init.stderr)


if __name__ == "__main__":
    unittest.main()
