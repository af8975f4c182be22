// Samples carry exactly the tags of what the VU did, also when the same VU's
// requests, statuses, checks, groups and user tags change from one iteration to
// the next (tag sets are remembered between samples; nothing may be stale).

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "../http/test_server.hpp"
#include "bindings/lua_runtime.hpp"
#include "engine/exec/test_run.hpp"
#include "engine/metrics/tags.hpp"

using lueng::http::testing::Peer;
using lueng::http::testing::TestServer;
using lueng::metrics::encode_tags;

namespace {

// Samples per tag set; for a rate, the samples that were true.
std::map<std::string, double> counts(const lueng::metrics::MetricData* metric,
                                     bool nonzero = false) {
  std::map<std::string, double> out;
  if (metric)
    for (const auto& [tags, aggregate] : metric->by_tags)
      out[tags] = static_cast<double>(nonzero ? aggregate.nonzero : aggregate.count);
  return out;
}

}  // namespace

TEST_CASE("tags follow every change of status, URL, user tags, check and group") {
  // "/flaky?i=N" fails for every third N: the status and error_code change, and the
  // name and url tags (the URL, query included, as k6's) change every time.
  TestServer server([](Peer& peer, int) {
    for (std::string request = peer.read_request(); !request.empty();
         request = peer.read_request()) {
      size_t at = request.find("?i=");
      bool fail = at != std::string::npos && std::stoi(request.substr(at + 3)) % 3 == 0;
      peer.send(fail ? "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"
                     : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    }
  });
  auto script = std::filesystem::temp_directory_path() / "lueng-sample-tags-test.lua";
  {
    FILE* f = std::fopen(script.c_str(), "w");
    std::fputs(
        "local http = require 'lueng.http'\n"
        "local lueng = require 'lueng'\n"
        "function default()\n"
        "  local i = lueng.vu.iteration\n"
        "  local res = http.get(ENV.URL .. '/flaky?i=' .. i,\n"
        "                       { tags = { parity = (i % 2 == 0) and 'even' or 'odd' } })\n"
        "  local check = (i % 4 < 2) and 'first' or 'second'\n"
        "  lueng.check(res, { [check] = function(r) return r.status == 200 end })\n"
        "  lueng.group('g' .. (i % 2), function() http.get(ENV.URL .. '/ok') end)\n"
        "end\n",
        f);
    std::fclose(f);
  }
  const int iterations = 24;
  lueng::exec::TestRunConfig config;
  config.runtime = lueng::bindings::lua_runtime();
  config.source.path = script.string();
  config.source.module_dirs = {script.parent_path().string()};
  config.source.env = {{"URL", server.url("")}};
  config.shortcuts.iterations = iterations;
  config.shortcuts.vus = 1;
  config.threads = 1;
  config.progress = false;
  lueng::exec::TestRun run(config);
  run.prepare();
  auto result = run.execute();
  std::filesystem::remove(script);

  std::string base = server.url("");
  std::map<std::string, double> want_reqs, want_checks, want_passed;
  for (int i = 0; i < iterations; ++i) {
    bool fail = i % 3 == 0;
    std::string status = fail ? "503" : "200";
    std::string flaky = base + "/flaky?i=" + std::to_string(i);
    std::vector<std::pair<std::string, std::string>> flaky_tags = {
        {"scenario", "default"},
        {"group", ""},
        {"name", flaky},
        {"url", flaky},
        {"method", "GET"},
        {"status", status},
        {"proto", "HTTP/1.1"},
        {"expected_response", fail ? "false" : "true"},
        {"parity", i % 2 == 0 ? "even" : "odd"}};
    if (fail) flaky_tags.push_back({"error_code", "1503"});
    want_reqs[encode_tags(flaky_tags)] += 1;
    want_reqs[encode_tags({{"scenario", "default"},
                           {"group", "::g" + std::to_string(i % 2)},
                           {"name", base + "/ok"},
                           {"url", base + "/ok"},
                           {"method", "GET"},
                           {"status", "200"},
                           {"proto", "HTTP/1.1"},
                           {"expected_response", "true"}})] += 1;
    want_checks[encode_tags(
        {{"scenario", "default"}, {"group", ""}, {"check", i % 4 < 2 ? "first" : "second"}})] += 1;
    want_passed[encode_tags(
        {{"scenario", "default"}, {"group", ""}, {"check", i % 4 < 2 ? "first" : "second"}})] +=
        fail ? 0 : 1;
  }
  CHECK(counts(result.metrics.find("http_reqs")) == want_reqs);
  CHECK(counts(result.metrics.find("checks")) == want_checks);
  CHECK(counts(result.metrics.find("checks"), true) == want_passed);
  auto iterations_by_tags = counts(result.metrics.find("iterations"));
  CHECK(iterations_by_tags ==
        std::map<std::string, double>{
            {encode_tags({{"scenario", "default"}, {"group", ""}}), iterations}});
  auto groups = counts(result.metrics.find("group_duration"));
  CHECK(groups.size() == 2);
}
