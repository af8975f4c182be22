"""k6's HTTP surface in lueng, against a real server on loopback: the url, proto,
error and error_code tags (1400-1599 by status), names that keep the query, setup
and teardown samples tagged group=::setup/::teardown, expected statuses
(http.setResponseCallback, params.responseCallback), basic auth from the URL
with the password in no output, params.compression, params.throw, res.json(selector),
res.status_text/remote_ip/remote_port/request and http.url."""

import base64
import gzip
import json
import os
import re
import unittest
import zlib

from support import ServerCase, free_port, raw_response, run_lueng


def http_samples(path, metric="http_reqs"):
    with open(path) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    return [s["data"]["tags"] for s in lines if s["type"] == "Point" and s["metric"] == metric]


class K6HttpTest(ServerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server.routes["/raw"] = lambda r: raw_response(200, b"ok")

    def run_json(self, text, *args):
        """run_script with --out json; (run, its JSON file's path)."""
        out = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"k6http-{os.getpid()}-{id(text)}.json")
        run = self.run_script(text, "--out", f"json={out}", *args)
        self.addCleanup(lambda: os.path.exists(out) and os.remove(out))
        return run, out

    def assert_checks_pass(self, run):
        checks = {c["name"]: (c["passes"], c["fails"]) for c in run.result["checks"]}
        self.assertTrue(checks, run.stderr)
        for name, (passes, fails) in checks.items():
            self.assertEqual(fails, 0, f"check '{name}' failed; {run.stderr}")

    def test_tags_url_proto_error_and_error_code_as_k6(self):
        closed = free_port()
        run, out = self.run_json(f"""
            local http = require "lueng.http"
            options = {{ thresholds = {{
              ["http_reqs{{error_code:1404}}"] = {{ "count==1" }},
              ["http_reqs{{error_code:1503}}"] = {{ "count==1" }},
              ["http_reqs{{proto:HTTP/1.1}}"] = {{ "count==4" }},
              ["http_reqs{{error_code:1212}}"] = {{ "count==1" }},
              ["http_reqs{{url:{self.server.base_url}/hello?x=1&y=2}}"] = {{ "count==1" }},
              ["http_reqs{{name:hello-by-id,url:hello-by-id}}"] = {{ "count==1" }},
            }} }}
            function default()
              http.get(ENV.BASE_URL .. "/hello?x=1&y=2")
              http.get(ENV.BASE_URL .. "/status?code=404")
              http.get(ENV.BASE_URL .. "/status?code=503")
              http.get(ENV.BASE_URL .. "/hello?id=7", {{ tags = {{ name = "hello-by-id" }} }})
              http.get("http://127.0.0.1:{closed}/nothing")
            end
        """, "-i", "1")
        self.assertEqual(run.code, 0, run.stdout + run.stderr)
        tags = http_samples(out)
        self.assertEqual(len(tags), 5)
        base = self.server.base_url
        ok, missing, unavailable, named, refused = tags
        self.assertEqual(ok["name"], base + "/hello?x=1&y=2")
        self.assertEqual(ok["url"], ok["name"])
        self.assertEqual(ok["proto"], "HTTP/1.1")
        self.assertNotIn("error_code", ok)
        self.assertNotIn("error", ok)
        self.assertEqual(missing["error_code"], "1404")
        self.assertEqual(missing["status"], "404")
        self.assertNotIn("error", missing)  # k6: the error tag is for network errors
        self.assertEqual(unavailable["error_code"], "1503")
        self.assertEqual((named["name"], named["url"]), ("hello-by-id", "hello-by-id"))
        self.assertEqual(refused["status"], "0")
        self.assertEqual(refused["error_code"], "1212")
        self.assertEqual(refused["error"], "dial: connection refused")  # k6s short text
        self.assertNotIn("proto", refused)

    def test_setup_and_teardown_samples_are_tagged_group_setup_without_scenario(self):
        run, out = self.run_json("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            function setup() http.get(ENV.BASE_URL .. "/raw?in=setup"); lueng.sleep(0.3) end
            function default()
              http.get(ENV.BASE_URL .. "/raw?in=default")
              lueng.group("g", function() http.get(ENV.BASE_URL .. "/raw?in=group") end)
            end
            function teardown() http.get(ENV.BASE_URL .. "/raw?in=teardown"); lueng.sleep(0.3) end
        """, "-i", "2")
        self.assertEqual(run.code, 0, run.stdout + run.stderr)
        # As k6, setup() and teardown() are no iterations: their time (0.3 s each)
        # stays out of iteration_duration; their bytes are theirs.
        self.assertEqual(run.metric("iterations")["count"], 2)
        self.assertEqual(len(http_samples(out, "iterations")), 2)
        self.assertLess(run.metric("iteration_duration")["max"], 250)
        self.assertEqual(sorted(t["group"] for t in http_samples(out, "data_sent")),
                         ["", "", "::setup", "::teardown"])
        by_where = {t["name"].split("in=")[1]: t for t in http_samples(out)}
        self.assertEqual(by_where["setup"]["group"], "::setup")
        self.assertNotIn("scenario", by_where["setup"])
        self.assertEqual(by_where["teardown"]["group"], "::teardown")
        self.assertNotIn("scenario", by_where["teardown"])
        self.assertEqual(by_where["default"]["group"], "")
        self.assertEqual(by_where["default"]["scenario"], "default")
        self.assertEqual(by_where["group"]["group"], "::g")

    def test_expected_statuses_decide_http_req_failed(self):
        run, out = self.run_json("""
            local http = require "lueng.http"
            http.setResponseCallback(http.expectedStatuses(200, { min = 409, max = 410 }))
            function default()
              http.get(ENV.BASE_URL .. "/status?code=409")   -- expected by the script
              http.get(ENV.BASE_URL .. "/status?code=302")   -- not any more
              http.get(ENV.BASE_URL .. "/status?code=404",
                       { responseCallback = http.expectedStatuses(404) })
              http.get(ENV.BASE_URL .. "/status?code=500", { responseCallback = false })
            end
        """, "-i", "1")
        self.assertEqual(run.code, 0, run.stdout + run.stderr)
        tags = http_samples(out)
        self.assertEqual([t.get("expected_response") for t in tags], ["true", "false", "true", None])
        failed = http_samples(out, "http_req_failed")
        self.assertEqual(len(failed), 3)  # none for the request not judged
        failed_values = run.metric("http_req_failed")
        self.assertEqual((failed_values["passes"], failed_values["fails"]), (1, 2))

    def test_k6_expected_statuses_table(self):
        # k6's TestExpectedStatuses, its 7 cases in one script, "" for a value (read
        # from stdout and stderr, wherever print writes).
        run = self.run_ok("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            local cases = {
              ["good example"] = function() return http.expectedStatuses(200, 300, { min = 200, max = 300 }) end,
              ["strange example"] = function()
                return http.expectedStatuses(200, 300, { min = 200, max = 300, other = "attribute" }) end,
              ["string status code"] = function() return http.expectedStatuses(200, "300", { min = 200, max = 300 }) end,
              ["string max status code"] = function() return http.expectedStatuses(200, 300, { min = 200, max = "300" }) end,
              ["float status code"] = function() return http.expectedStatuses(200, 300.5, { min = 200, max = 300 }) end,
              ["float max status code"] = function() return http.expectedStatuses(200, 300, { min = 200, max = 300.5 }) end,
              ["no arguments"] = function() return http.expectedStatuses() end,
            }
            function default()
              for name, case in pairs(cases) do
                local ok, value = pcall(case)
                if ok then http.setResponseCallback(value) end  -- a valid value is accepted
                print("CASE " .. name .. "=" .. (ok and "" or tostring(value)))
              end
              local ok, err = pcall(http.setResponseCallback, function() end)
              print("CASE callback function=" .. tostring(err))
            end
        """, "-i", "1")
        got = dict(re.findall(r"CASE ([^=\n]+)=([^\n]*)", run.stdout + run.stderr))
        neither = "was neither an integer nor an object like {min:100, max:329}"
        expected = {
            "good example": None, "strange example": None,
            "string status code": "argument number 2 to expectedStatuses " + neither,
            "string max status code": "both min and max need to be integers for argument number 3",
            "float status code": "argument number 2 to expectedStatuses " + neither,
            "float max status code": "both min and max need to be integers for argument number 3",
            "no arguments": "no arguments",
            "callback function": "unsupported argument, expected http.expectedStatuses",
        }
        self.assertEqual(set(got), set(expected))
        for name, message in expected.items():
            with self.subTest(case=name):
                if message is None:
                    self.assertEqual(got[name], "")
                else:
                    self.assertIn(message, got[name])

    def test_k6_response_callback_in_action_table(self):
        # k6's TestResponseCallbackInAction: a redirect, then the page, judged by
        # the default, the state-wide and the per-request callback, or not at all.
        self.server.routes["/redirect/1"] = lambda r: raw_response(302, b"", {"Location": "/get"})
        self.server.routes["/get"] = lambda r: raw_response(200, b"{}")
        judged = [("302", "true"), ("200", "true")]
        strict = [("302", "false"), ("200", "true")]
        unjudged = [("302", None), ("200", None)]
        cases = {
            "basic": ("", "", judged),
            "overwrite per request": ("http.setResponseCallback(http.expectedStatuses(200))", "", strict),
            "global overwrite": ("", ", nil, { responseCallback = http.expectedStatuses(200) }", strict),
            "per request overwrite with null": ("", ", nil, { responseCallback = false }", unjudged),
            "global overwrite with null": ("http.setResponseCallback(nil)", "", unjudged),
        }
        base = self.server.base_url
        for name, (setting, params, hops) in cases.items():
            with self.subTest(case=name):
                run, out = self.run_json(f"""
                    local http = require "lueng.http"
                    {setting}
                    function default() http.request("GET", ENV.BASE_URL .. "/redirect/1"{params}) end
                """, "-i", "1")
                self.assertEqual(run.code, 0, run.stderr)
                tags = http_samples(out)
                self.assertEqual(len(tags), 2)
                for sample, (status, expected), path in zip(tags, hops, ["/redirect/1", "/get"]):
                    want = {"method": "GET", "url": base + path, "name": base + path,
                            "status": status, "group": "", "proto": "HTTP/1.1"}
                    if expected is not None:
                        want["expected_response"] = expected
                    got = {k: v for k, v in sample.items() if k != "scenario"}
                    self.assertEqual(got, want)
                failed = http_samples(out, "http_req_failed")
                self.assertEqual(len(failed), 0 if hops is unjudged else 2)

    def test_basic_auth_from_the_url_and_the_password_in_no_output(self):
        closed = free_port()
        host = self.server.base_url.replace("http://", "")
        run, out = self.run_json(f"""
            local http = require "lueng.http"
            local lueng = require "lueng"
            function default()
              local res = http.get("http://alice:s3cr3tpw@{host}/echo?q=1", {{ auth = "basic" }})
              lueng.check(res, {{ ["url masked"] = res.url == "http://****:****@{host}/echo?q=1" }})
              http.get("http://alice:s3cr3tpw@127.0.0.1:{closed}/down")
            end
        """, "-i", "1")
        self.assertEqual(run.code, 0, run.stdout + run.stderr)
        self.assert_checks_pass(run)
        sent = self.server.requests[0].headers["authorization"]
        self.assertEqual(sent, "Basic " + base64.b64encode(b"alice:s3cr3tpw").decode())
        with open(out) as f:
            samples = f.read()
        with open(run.result_path) as f:
            result = f.read()
        for text in (run.stdout, run.stderr, samples, result):
            self.assertNotIn("s3cr3tpw", text)
        self.assertIn("****:****@", samples)

    def test_auth_other_than_basic_is_refused(self):
        run = self.run_script("""
            local http = require "lueng.http"
            function default() http.get(ENV.BASE_URL .. "/raw", { auth = "digest" }) end
        """, "-i", "1")
        self.assertIn('params.auth "digest" is not supported', run.stderr)

    def test_compression_gzip_and_deflate_arrive_decodable(self):
        run = self.run_ok("""
            local http = require "lueng.http"
            function default()
              local body = string.rep("lueng compresses ", 100)
              http.post(ENV.BASE_URL .. "/raw", body, { compression = "gzip" })
              http.post(ENV.BASE_URL .. "/raw", body, { compression = "deflate" })
              http.post(ENV.BASE_URL .. "/raw", body, { compression = "gzip, deflate" })
            end
        """, "-i", "1")
        expected = b"lueng compresses " * 100
        gz, deflated, both = self.server.requests
        self.assertEqual(gz.headers["content-encoding"], "gzip")
        self.assertEqual(gzip.decompress(gz.body), expected)
        self.assertEqual(deflated.headers["content-encoding"], "deflate")
        self.assertEqual(zlib.decompress(deflated.body), expected)
        self.assertEqual(both.headers["content-encoding"], "gzip, deflate")
        self.assertEqual(gzip.decompress(zlib.decompress(both.body)), expected)
        self.assertEqual(int(gz.headers["content-length"]), len(gz.body))
        bad = self.run_script("""
            local http = require "lueng.http"
            function default() http.post(ENV.BASE_URL .. "/raw", "x", { compression = "br" }) end
        """, "-i", "1")
        self.assertIn("unknown compression algorithm br", bad.stderr)

    def test_throw_raises_a_lua_error_on_a_network_error_only(self):
        closed = free_port()
        run = self.run_ok(f"""
            local http = require "lueng.http"
            local lueng = require "lueng"
            function default()
              local ok, err = pcall(function()
                local res = http.get("http://127.0.0.1:{closed}/x", {{ throw = true }})
                return res
              end)
              local ok404, res404 = pcall(function()
                local res = http.get(ENV.BASE_URL .. "/status?code=404", {{ throw = true }})
                return res
              end)
              local quiet = http.get("http://127.0.0.1:{closed}/x")
              lueng.check(err, {{
                ["raised"] = ok == false,
                ["message"] = type(err) == "string" and err:find("connection refused", 1, true) ~= nil,
                ["404 is no error"] = ok404 and res404.status == 404,
                ["without throw a response"] = quiet.error_code == 1212,
              }})
            end
        """, "-i", "1")
        self.assert_checks_pass(run)
        uncaught = self.run_script(f"""
            local http = require "lueng.http"
            function default() http.get("http://127.0.0.1:{closed}/x", {{ throw = true }}) end
        """, "-i", "1")
        self.assertIn("connection refused", uncaught.stderr)
        self.assertIn("script.lua:3:", uncaught.stderr)

    def test_response_fields_selector_and_url_template(self):
        run, out = self.run_json("""
            local http = require "lueng.http"
            local lueng = require "lueng"
            function default()
              local res = http.post(ENV.BASE_URL .. "/json?v=1", "payload",
                { headers = { ["X-Trace"] = "t1" }, cookies = { flavour = "choc" } })
              local req = res.request
              local missing = http.get(ENV.BASE_URL .. "/status?code=404")
              local u = http.url(ENV.BASE_URL .. "/raw?id=${}&page=${}", 42, "two")
              local templated = http.get(u)
              lueng.check(res, {
                ["status_text"] = res.status_text == "200 OK",
                ["404 status_text"] = missing.status_text == "404 Not Found",
                ["error_code 1404"] = missing.error_code == 1404,
                ["remote_ip"] = res.remote_ip == "127.0.0.1",
                ["remote_port"] = res.remote_port == tonumber(ENV.BASE_URL:match(":(%d+)$")),
                ["request.method"] = req.method == "POST",
                ["request.url"] = req.url == ENV.BASE_URL .. "/json?v=1",
                ["request.body"] = req.body == "payload",
                ["request.headers"] = req.headers["X-Trace"][1] == "t1",
                ["request user agent"] = req.headers["User-Agent"][1]:find("lueng") ~= nil,
                ["request.cookies"] = req.cookies.flavour[1].value == "choc",
                ["json selector"] = res:json("nested.name") == "lueng",
                ["json index"] = res:json("items.1") == 2,
                ["json count"] = res:json("items.#") == 3,
                ["json missing"] = res:json("nope.x") == nil,
                ["json whole"] = res:json().status == "ok",
                ["template url"] = tostring(u) == ENV.BASE_URL .. "/raw?id=42&page=two",
                ["template sent"] = templated.url == ENV.BASE_URL .. "/raw?id=42&page=two",
              })
            end
        """, "-i", "1")
        self.assertEqual(run.code, 0, run.stdout + run.stderr)
        self.assert_checks_pass(run)
        templated = http_samples(out)[-1]
        name = self.server.base_url + "/raw?id=${}&page=${}"
        self.assertEqual((templated["name"], templated["url"]), (name, name))
        self.assertEqual(self.server.requests[-1].target, "/raw?id=42&page=two")


if __name__ == "__main__":
    unittest.main()
