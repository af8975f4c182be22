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

TEST_CASE("a VU that never writes a global reads the worker's, whichever VU wrote before") {
  // Each VU's own globals, read only by it, also when VUs that never write one
  // take turns with VUs that do (and with one whose ENV the scenario extends).
  ScriptFile script(R"(
    shared = "init"
    function default(data)
      if data.write then
        mine = (mine or 0) + 1
        shared = "own"
      end
      return { mine or 0, shared, ENV.ONLY or "-" }
    end
  )");
  ScriptState state({script.path, default_module_dirs(script.path), {}});
  state.load();
  Coroutine writer = state.new_vu("default", R"({"write":true})", {});
  Coroutine reader = state.new_vu("default", R"({"write":false})", {});
  Coroutine other = state.new_vu("default", R"({"write":false})", {});
  Coroutine with_env = state.new_vu("default", R"({"write":false})", {{"ONLY", "here"}});
  CHECK(iterate(state, reader) == R"([0,"init","-"])");
  CHECK(iterate(state, writer) == R"([1,"own","-"])");
  CHECK(iterate(state, reader) == R"([0,"init","-"])");
  CHECK(iterate(state, other) == R"([0,"init","-"])");
  CHECK(iterate(state, reader) == R"([0,"init","-"])");
  CHECK(iterate(state, writer) == R"([2,"own","-"])");
  CHECK(iterate(state, with_env) == R"([0,"init","here"])");
  CHECK(iterate(state, other) == R"([0,"init","-"])");
  CHECK(iterate(state, with_env) == R"([0,"init","here"])");
  CHECK(iterate(state, writer) == R"([3,"own","-"])");

  SECTION("the writer's globals released, its reference handed out again") {
    state.release(writer);
    Coroutine next = state.new_vu("default", R"({"write":false})", {});
    CHECK(iterate(state, next) == R"([0,"init","-"])");
    CHECK(iterate(state, reader) == R"([0,"init","-"])");
    state.release(next);
  }
  for (Coroutine* co : {&writer, &reader, &other, &with_env})
    if (co->thread) state.release(*co);
}
