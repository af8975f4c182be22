// Scenarios are listed as the script writes them: by startTime, then by where
// the text names them after `scenarios`, then by name.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/exec/scenario_order.hpp"

using namespace lueng::exec;

namespace {

std::vector<std::string> ordered(std::vector<std::pair<std::string, double>> given,
                                 const std::string& text) {
  std::vector<ScenarioConfig> scenarios;
  for (const auto& [name, start] : given) {
    ScenarioConfig s;
    s.name = name;
    s.start_time = start;
    scenarios.push_back(std::move(s));
  }
  order_as_written(scenarios, text);
  std::vector<std::string> names;
  for (const auto& s : scenarios) names.push_back(s.name);
  return names;
}

}  // namespace

TEST_CASE("a scenario's key is found as a bare name or a quoted index, not elsewhere") {
  std::string text = R"(local browse_rate = 1
-- browse = the comment is text too
exec = "browse"
if x.browse == 1 then end
options = { scenarios = { ["buy-now"] = {}, [ 'browse' ] = {}, browse2 = {} } })";
  size_t scenarios = key_position(text, "scenarios");
  REQUIRE(scenarios != std::string::npos);
  CHECK(key_position(text, "buy-now", scenarios) < key_position(text, "browse", scenarios));
  CHECK(key_position(text, "browse", scenarios) < key_position(text, "browse2", scenarios));
  CHECK(key_position(text, "missing") == std::string::npos);
  CHECK(key_position(text, "browse_rate") == 6);  // `local browse_rate =`
}

TEST_CASE("scenarios come in startTime order, then as written, then by name") {
  std::string text = R"(options = {
  scenarios = {
    zeta = { executor = "constant-vus" },
    alpha = { executor = "constant-vus" },
    mid = { executor = "constant-vus", startTime = "5s" },
  },
})";
  // Hash order in, the script's order out.
  CHECK(ordered({{"alpha", 0}, {"mid", 5}, {"zeta", 0}}, text) ==
        std::vector<std::string>{"zeta", "alpha", "mid"});
  CHECK(ordered({{"mid", 5}, {"zeta", 0}, {"alpha", 0}}, text) ==
        std::vector<std::string>{"zeta", "alpha", "mid"});
  // A name the text does not have (a module built it) after those it has, then by name.
  CHECK(ordered({{"made_b", 0}, {"alpha", 0}, {"made_a", 0}, {"zeta", 0}}, text) ==
        std::vector<std::string>{"zeta", "alpha", "made_a", "made_b"});
  // An earlier startTime first, wherever it is written.
  CHECK(ordered({{"alpha", 0}, {"zeta", 10}}, text) == std::vector<std::string>{"alpha", "zeta"});
}
