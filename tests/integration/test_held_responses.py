"""Response objects have no finalizer: the bindings return a response's buffers
to the pool once the collector has cleared its userdata from a weak table
(bindings/held_responses.hpp). A response the script still holds must keep its
data through any number of later requests and collections; dropped ones must be
reused, so the pool does not grow with the run."""

import unittest

from support import ServerCase, raw_response

# Each VU keeps every 7th response (of requests and of batches) in a global
# table, forces collections, and checks every response it kept, each iteration.
KEEP_AND_CHECK = """
    local http = require "lueng.http"
    local lueng = require "lueng"
    kept = {}
    local n = 0
    local function expect(res, id)
      return res.status == 200 and res.body == '{"id":"' .. id .. '"}'
        and res:json().id == id and res.headers["X-Id"] == id
        and res.url:find("id=" .. id, 1, true) ~= nil
    end
    function default()
      n = n + 1
      local id = lueng.vu.id .. "-" .. n
      local res = http.get(ENV.BASE_URL .. "/echo-id?id=" .. id)
      local batch = http.batch({ ENV.BASE_URL .. "/echo-id?id=" .. id .. "b" })
      if n % 7 == 0 then
        kept[#kept + 1] = { res, id }
        kept[#kept + 1] = { batch[1], id .. "b" }
        local _ = res:json()  -- a converted field cached on the userdata
      end
      if n % 5 == 0 then collectgarbage("collect") end
      local all = true
      for _, entry in ipairs(kept) do
        all = all and expect(entry[1], entry[2])
      end
      lueng.check(kept, { ["every kept response is intact"] = function() return all end })
      lueng.check(res, { ["this response is its own"] = function(r) return expect(r, id) end })
    end
"""


class HeldResponsesTest(ServerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server.routes["/echo-id"] = lambda r: raw_response(
            200, b'{"id":"' + r.query["id"].encode() + b'"}', {"X-Id": r.query["id"]})

    def test_kept_responses_survive_collections_and_later_requests(self):
        run = self.run_script("options = { vus = 3, iterations = 600 }\n" + KEEP_AND_CHECK,
                              timeout=90)
        self.assertEqual(run.code, 0, run.stdout + run.stderr)
        self.assertEqual(run.metric("http_reqs")["count"], 1200)
        self.assertEqual(run.metric("checks")["fails"], 0)
        self.assertEqual(run.metric("checks")["passes"], 1200)


if __name__ == "__main__":
    unittest.main()
