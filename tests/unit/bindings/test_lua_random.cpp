// math.random and lueng.random_seed in a script state's own code (init code);
// the generators of VUs are exercised through real runs (test_random.py).
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <string>

#include "bindings/script_state.hpp"
#include "script_file.hpp"

using namespace lueng::bindings;
using lueng::testing::ScriptFile;

namespace {

ScriptSource source_for(const ScriptFile& script, uint64_t seed, bool fixed) {
  ScriptSource source{script.path, default_module_dirs(script.path), {}};
  source.random_seed = seed;
  source.random_seed_fixed = fixed;
  return source;
}

// The value of a Lua expression evaluated in the state's globals, as a string.
std::string evaluate(ScriptState& state, const std::string& expression) {
  lua_State* L = state.L();
  std::string code = "return tostring(" + expression + ")";
  REQUIRE(luaL_dostring(L, code.c_str()) == 0);
  std::string value = lua_tostring(L, -1);
  lua_pop(L, 1);
  return value;
}

// The message of the error `call` (Lua code) raises.
std::string error_of(ScriptState& state, const std::string& call) {
  return evaluate(state, "(select(2, pcall(function() " + call + " end)))");
}

}  // namespace

TEST_CASE("math.random keeps the ranges of Lua 5.1") {
  ScriptFile script(R"(
    function all_in(draw, low, high, count)
      local seen = {}
      for _ = 1, count do
        local x = draw()
        if x < low or x > high or x ~= math.floor(x) then return "out of range: " .. x end
        seen[x] = true
      end
      for x = low, high do if not seen[x] then return "never drew " .. x end end
      return "ok"
    end
    function floats(count)
      for _ = 1, count do
        local x = math.random()
        if x < 0 or x >= 1 then return "out of range: " .. x end
      end
      return "ok"
    end
  )");
  ScriptState state(source_for(script, 1, false));
  state.load();
  CHECK(evaluate(state, "floats(10000)") == "ok");
  CHECK(evaluate(state, "all_in(function() return math.random(6) end, 1, 6, 1000)") == "ok");
  CHECK(evaluate(state, "all_in(function() return math.random(-3, 3) end, -3, 3, 1000)") == "ok");
  CHECK(evaluate(state, "all_in(function() return math.random(1) end, 1, 1, 10)") == "ok");
  CHECK(evaluate(state, "all_in(function() return math.random(7, 7) end, 7, 7, 10)") == "ok");
  // Bounds are truncated to whole numbers, as luaL_checkint does.
  CHECK(evaluate(state, "all_in(function() return math.random(2.9) end, 1, 2, 100)") == "ok");
  CHECK(evaluate(state, "math.random(2^53, 2^53) == 2^53") == "true");
  CHECK(evaluate(state, "math.random(-2^53, -2^53) == -2^53") == "true");
}

TEST_CASE("math.random refuses what Lua 5.1 refuses, with its messages") {
  ScriptFile script("");
  ScriptState state(source_for(script, 1, false));
  state.load();
  CHECK_THAT(error_of(state, "math.random(0)"),
             Catch::Contains("bad argument #1 to 'random' (interval is empty)"));
  CHECK_THAT(error_of(state, "math.random(3, 1)"),
             Catch::Contains("bad argument #2 to 'random' (interval is empty)"));
  CHECK_THAT(error_of(state, "math.random(1, 2, 3)"), Catch::Contains("wrong number of arguments"));
  CHECK_THAT(error_of(state, "math.random('x')"), Catch::Contains("bad argument #1 to 'random'"));
  CHECK_THAT(error_of(state, "math.random(2^60)"),
             Catch::Contains("bad argument #1 to 'random' (number has no integer representation)"));
  CHECK_THAT(error_of(state, "math.random(1, 0/0)"),
             Catch::Contains("bad argument #2 to 'random' (number has no integer representation)"));
}

TEST_CASE("the run seed decides the numbers of the init code") {
  ScriptFile script("first = math.random(1e9)\nsecond = math.random()\n");
  auto draws = [&](uint64_t seed) {
    ScriptState state(source_for(script, seed, false));
    state.load();
    return evaluate(state, "first") + " " + evaluate(state, "second");
  };
  CHECK(draws(42) == draws(42));
  CHECK(draws(42) != draws(43));
}

TEST_CASE("math.randomseed restarts the generator from its argument") {
  ScriptFile script("math.randomseed(7)\nfirst = math.random(1e9)\n");
  auto first = [&](uint64_t run_seed) {
    ScriptState state(source_for(script, run_seed, true));
    state.load();
    return evaluate(state, "first");
  };
  CHECK(first(1) == first(2));
}

TEST_CASE("lueng.random_seed in init code fixes the run seed, a fixed source seed wins") {
  ScriptFile script(
      "local before = math.random(1e9)\n"
      "require('lueng').random_seed(42)\n"
      "after = math.random(1e9)\n");
  ScriptState chosen(source_for(script, 1, false));
  chosen.load();
  CHECK(chosen.random_seed() == 42);
  CHECK(chosen.random_seed_fixed());

  // A state of the same run starts from the chosen seed and keeps it.
  ScriptState same_run(source_for(script, 42, true));
  same_run.load();
  CHECK(same_run.random_seed() == 42);
  CHECK(evaluate(same_run, "after") == evaluate(chosen, "after"));

  // --random-seed 7: the script's choice is ignored, and its draws from the call
  // on are those of seed 7.
  ScriptState flagged(source_for(script, 7, true));
  flagged.load();
  CHECK(flagged.random_seed() == 7);
  ScriptFile plain("after = math.random(1e9)\n");
  ScriptState seven(source_for(plain, 7, true));
  seven.load();
  CHECK(evaluate(flagged, "after") == evaluate(seven, "after"));
  CHECK(evaluate(flagged, "after") != evaluate(chosen, "after"));
}

TEST_CASE("lueng.random_seed takes whole numbers from 0 to 2^53 - 1, in init code only") {
  ScriptFile script(
      "lueng = require('lueng')\n"
      "function default() lueng.random_seed(1) end\n");
  ScriptState state(source_for(script, 1, false));
  state.load();
  for (const char* bad : {"-1", "1.5", "2^53", "0/0", "'x'"}) {
    INFO(bad);
    CHECK_THAT(error_of(state, std::string("lueng.random_seed(") + bad + ")"),
               Catch::Contains("bad argument #1 to 'random_seed'"));
  }
  CHECK(error_of(state, "lueng.random_seed(2^53 - 1)") == "nil");
  CHECK(state.random_seed() == (uint64_t{1} << 53) - 1);

  Coroutine co = state.new_vu("default", "", {});
  ResumeOutcome outcome = state.resume(co, 0);
  REQUIRE(outcome.iteration_ended);
  CHECK_FALSE(outcome.ok);
  CHECK_THAT(outcome.error, Catch::Contains("random_seed can only be called in the script's "
                                            "top-level code"));
  state.release(co);
}
