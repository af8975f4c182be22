#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <string>

#include "bindings/script_state.hpp"
#include "script_file.hpp"

using namespace lueng::bindings;
using lueng::testing::ScriptFile;

namespace {

// One iteration of `co`; the function's return value as JSON.
std::string iterate(ScriptState& state, Coroutine& co) {
  std::string json;
  ResumeOutcome outcome = state.resume(co, 0, &json);
  REQUIRE(outcome.iteration_ended);
  REQUIRE(outcome.ok);
  return json;
}

}  // namespace

TEST_CASE("each VU sees its own globals, also when resumes alternate or repeat") {
  ScriptFile script(R"(
    shared = "init"
    function default()
      local was = mine
      mine = (mine or 0) + 1
      return { was or 0, shared }
    end
  )");
  ScriptState state({script.path, default_module_dirs(script.path), {}});
  state.load();
  Coroutine a = state.new_vu("default", "", {});
  Coroutine b = state.new_vu("default", "", {});
  CHECK(iterate(state, a) == R"([0,"init"])");
  CHECK(iterate(state, a) == R"([1,"init"])");
  CHECK(iterate(state, b) == R"([0,"init"])");
  CHECK(iterate(state, a) == R"([2,"init"])");
  CHECK(iterate(state, b) == R"([1,"init"])");

  SECTION("a VU made after another is released starts with fresh globals") {
    // The released VU ran last, and its registry references are handed out again.
    CHECK(iterate(state, a) == R"([3,"init"])");
    state.release(a);
    Coroutine c = state.new_vu("default", "", {});
    CHECK(iterate(state, c) == R"([0,"init"])");
    CHECK(iterate(state, b) == R"([2,"init"])");
    CHECK(iterate(state, c) == R"([1,"init"])");
    state.release(c);
  }
  state.release(b);
}
