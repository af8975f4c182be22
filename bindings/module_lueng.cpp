// The C half of require "lueng"; the Lua half (bindings/lua/lueng.lua) builds
// the public functions on top of it.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "bindings/embedded_lua.hpp"
#include "bindings/lua_json.hpp"
#include "bindings/lua_operation.hpp"
#include "bindings/lua_random.hpp"
#include "bindings/lua_tags.hpp"
#include "bindings/modules.hpp"
#include "engine/common/duration.hpp"
#include "engine/common/version.hpp"
#include "engine/exec/run_plan.hpp"
#include "engine/exec/scenario_run.hpp"
#include "engine/exec/test_status.hpp"
#include "engine/exec/vu.hpp"
#include "engine/exec/vu_module_state.hpp"
#include "engine/exec/wakeups.hpp"

namespace lueng::bindings {

namespace {

int record_check(lua_State* L) {
  exec::Vu& vu = running_vu(L, "check");
  size_t length;
  const char* name = luaL_checklstring(L, 1, &length);
  bool passed = lua_toboolean(L, 2);
  static thread_local TagTableReader tag_reader;
  static thread_local const TagViews no_tags;
  // Level 2: the script's call of lueng.check, which calls this.
  vu.record_check({name, length}, passed,
                  lua_istable(L, 3) ? tag_reader.read(L, 3, "check", 2) : no_tags);
  return 0;
}

int group_enter(lua_State* L) {
  exec::Vu& vu = running_vu(L, "group");
  size_t length;
  const char* name = luaL_checklstring(L, 1, &length);
  if (std::memchr(name, ':', length)) return luaL_error(L, "group names cannot contain '::'");
  lua_pushnumber(L, static_cast<double>(vu.group_enter({name, length})));
  return 1;
}

int group_leave(lua_State* L) {
  running_vu(L, "group").group_leave(static_cast<size_t>(luaL_checknumber(L, 1)));
  return 0;
}

// lueng.sleep's per-VU state: the VU's timer, and the operation it waits for.
class SleepVu final : public exec::VuModuleState, public LuaOperation {
 public:
  explicit SleepVu(exec::Vu& vu) : vu_(vu) {}
  ~SleepVu() override { close(); }

  static SleepVu& of(exec::Vu& vu) {
    static const size_t slot = exec::new_vu_slot();
    return vu.module_state<SleepVu>(slot);
  }

  void start(double seconds) {
    // A deadline, not a millisecond timer: sleep(0.0004) sleeps 0.4 ms, and a VU
    // pacing itself with short sleeps keeps its rate.
    double ns = std::min(std::max(0.0, seconds) * 1e9, 1e18);
    vu_.wakeups().add(wakeup_, uv_hrtime() + static_cast<uint64_t>(ns));
  }
  int push_results(lua_State*) override { return 0; }
  void abandon() override { close(); }
  void close() override {
    if (wakeup_.pending()) vu_.wakeups().cancel(wakeup_);
  }

 private:
  static void on_due(void* self, uint64_t) {
    auto* state = static_cast<SleepVu*>(self);
    state->vu_.complete(*state);
  }
  exec::Vu& vu_;
  exec::Wakeup wakeup_{on_due, this};
};

int sleep(lua_State* L) {
  exec::Vu& vu = running_vu(L, "sleep");
  double seconds;
  // A number, or a string that is one ("2"), is seconds as k6's sleep takes them; a
  // string with units ("500ms") is a duration.
  if (lua_type(L, 1) == LUA_TSTRING && !lua_isnumber(L, 1)) {
    auto parsed = parse_duration(lua_tostring(L, 1));
    if (!parsed) return luaL_error(L, "sleep: '%s' is not a duration", lua_tostring(L, 1));
    seconds = *parsed;
  } else {
    seconds = luaL_checknumber(L, 1);
  }
  SleepVu& timer = SleepVu::of(vu);
  timer.start(seconds);
  return wait_for(L, vu, timer);
}

int vu_field(lua_State* L) {
  exec::Vu* vu = exec::Vu::running();
  std::string_view key = luaL_checkstring(L, 1);
  if (!vu) {
    lua_pushnil(L);  // init code has no VU, like k6's exec.vu outside iterations
    return 1;
  }
  // One lueng process is one k6 instance: ids and iterations in the instance are
  // the VU's own.
  // setup()'s and teardown()'s VU is 0, as k6's and as __VU: its data must not
  // be VU 1's (hotel.data derives unique phones and ids from it).
  if (key == "id" || key == "id_in_test" || key == "idInTest" || key == "id_in_instance" ||
      key == "idInInstance")
    lua_pushnumber(L, vu->runs_a_hook() ? 0.0 : static_cast<double>(vu->id()));
  else if (key == "id_in_scenario" || key == "idInScenario")
    lua_pushnumber(L, static_cast<double>(vu->id_in_scenario()));
  else if (key == "iteration" || key == "iteration_in_scenario" || key == "iterationInScenario" ||
           key == "iteration_in_instance" || key == "iterationInInstance")
    // A VU runs one scenario: its iterations in the instance are those in the scenario.
    lua_pushnumber(L, static_cast<double>(vu->iteration_in_scenario()));
  else if (key == "scenario")
    lua_pushstring(L, vu->scenario_name().c_str());
  else if (key == "group")
    lua_pushstring(L, vu->group().c_str());
  else if (key == "scenario_start" || key == "scenario_start_time" || key == "scenarioStartTime")
    lua_pushnumber(L, vu->scenario_started_unix_ms());
  else if (key == "scenario_elapsed" || key == "scenarioElapsed")
    lua_pushnumber(L, vu->scenario_elapsed_seconds() * 1000);
  else if (key == "scenario_duration" || key == "scenarioDuration")
    // The scenario's planned length, so a script can place windows in it whatever
    // shortened or stretched it (-d, stages, TIME_SCALE).
    lua_pushnumber(L, vu->scenario_planned_seconds() * 1000);
  else if (key == "test_elapsed" || key == "currentTestRunDuration")
    lua_pushnumber(L, vu->test_elapsed_seconds() * 1000);
  else
    lua_pushnil(L);
  return 1;
}

// lueng.vu.tags[key]: the tag the VU's next sample would carry, or nil.
int vu_tag(lua_State* L) {
  exec::Vu* vu = exec::Vu::running();
  std::string value;
  if (vu && vu->tag(luaL_checkstring(L, 1), &value))
    lua_pushlstring(L, value.data(), value.size());
  else
    lua_pushnil(L);
  return 1;
}

// lueng.vu.tags[key] = value and lueng.vu.metrics.metadata[key] = value:
// strings, numbers and booleans as k6 takes them (numbers and booleans as their
// text); nil removes the entry, as Lua removes a table's key (k6's `delete`).
// `what` is k6's word in its error: "tag" or "metadata".
int set_vu_entry(lua_State* L, const char* what, const char* table,
                 void (exec::Vu::*set)(std::string_view, std::string_view),
                 void (exec::Vu::*remove)(std::string_view)) {
  exec::Vu* vu = exec::Vu::running();
  if (!vu)
    return luaL_error(L,
                      "%s: a VU's %s is set while it runs (in default() or an exec function), not "
                      "in init code",
                      table, what);
  size_t key_size = 0;
  const char* key = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, &key_size) : nullptr;
  if (!key || key_size == 0) return luaL_error(L, "%s: a name is a non-empty string", table);
  std::string_view name(key, key_size);
  switch (lua_type(L, 2)) {
    case LUA_TNIL:
      (vu->*remove)(name);
      return 0;
    case LUA_TBOOLEAN:
      (vu->*set)(name, lua_toboolean(L, 2) ? "true" : "false");
      return 0;
    case LUA_TSTRING:
    case LUA_TNUMBER: {
      size_t size = 0;
      lua_pushvalue(L, 2);  // lua_tolstring turns a number into its text in place
      const char* text = lua_tolstring(L, -1, &size);
      (vu->*set)(name, {text, size});
      return 0;
    }
    default:
      return luaL_error(L,
                        "%s: invalid value for metric %s '%s': only strings, booleans and "
                        "numbers are accepted as a metric %s value, not a %s",
                        table, what, key, what, luaL_typename(L, 2));
  }
}

int set_vu_tag(lua_State* L) {
  return set_vu_entry(L, "tag", "lueng.vu.tags", &exec::Vu::set_tag, &exec::Vu::delete_tag);
}

int set_vu_metadata(lua_State* L) {
  return set_vu_entry(L, "metadata", "lueng.vu.metrics.metadata", &exec::Vu::set_metadata,
                      &exec::Vu::delete_metadata);
}

// lueng.vu.metrics.metadata[key], or nil.
int vu_metadatum(lua_State* L) {
  exec::Vu* vu = exec::Vu::running();
  std::string_view key = luaL_checkstring(L, 1);
  if (vu)
    for (const auto& [name, value] : vu->metadata())
      if (name == key) {
        lua_pushlstring(L, value.data(), value.size());
        return 1;
      }
  lua_pushnil(L);
  return 1;
}

// lueng.vu.metrics.metadata(): a table of the VU's metadata.
int vu_metadata(lua_State* L) {
  exec::Vu* vu = exec::Vu::running();
  lua_newtable(L);
  if (!vu) return 1;
  for (const auto& [name, value] : vu->metadata()) {
    lua_pushlstring(L, name.data(), name.size());
    lua_pushlstring(L, value.data(), value.size());
    lua_rawset(L, -3);
  }
  return 1;
}

// lueng.vu.tags(): the tags the VU's next sample would carry, as a table of its own.
int vu_tags(lua_State* L) {
  exec::Vu* vu = exec::Vu::running();
  lua_newtable(L);
  if (!vu) return 1;
  auto put = [&](std::string_view key) {
    std::string value;
    if (!vu->tag(key, &value)) return;
    lua_pushlstring(L, key.data(), key.size());
    lua_pushlstring(L, value.data(), value.size());
    lua_rawset(L, -3);
  };
  const exec::ScenarioConfig& config = vu->scenario().config();
  for (const auto& tag : config.tags) put(tag.first);
  put("scenario");
  put("group");
  for (const auto& tag : vu->tags()) put(tag.first);
  return 1;
}

// lueng.scenario's fields, k6's exec.scenario (camelCase aliases as k6 spells them).
int scenario_field(lua_State* L) {
  exec::Vu* vu = exec::Vu::running();
  std::string_view key = luaL_checkstring(L, 1);
  if (!vu) {
    lua_pushnil(L);  // init code runs in no scenario
    return 1;
  }
  if (key == "name")
    lua_pushstring(L, vu->scenario_name().c_str());
  else if (key == "executor")
    lua_pushstring(L, vu->scenario_executor().c_str());
  else if (key == "iteration_in_test" || key == "iterationInTest")
    lua_pushnumber(L, static_cast<double>(vu->iteration_in_test()));
  else if (key == "iteration_in_instance" || key == "iterationInInstance")
    lua_pushnumber(L, static_cast<double>(vu->iteration_in_instance()));
  else if (key == "start_time" || key == "startTime")
    lua_pushnumber(L, vu->scenario_started_unix_ms());
  else if (key == "progress")
    lua_pushnumber(L, vu->scenario_progress());
  else
    lua_pushnil(L);
  return 1;
}

// lueng.instance's fields, k6's exec.instance: this process's counts over all
// of its scenarios. Read on demand, so an iteration that never asks pays nothing.
int instance_field(lua_State* L) {
  exec::Vu* vu = exec::Vu::running();
  std::string_view key = luaL_checkstring(L, 1);
  if (!vu) {
    lua_pushnil(L);  // init code runs before the test (k6 refuses it there)
    return 1;
  }
  auto total = [&](std::atomic<int64_t> exec::ScenarioShared::*counter) {
    int64_t sum = 0;
    for (const exec::PlannedScenario& scenario : vu->run_plan().scenarios)
      sum += (scenario.shared.get()->*counter).load(std::memory_order_relaxed);
    return static_cast<double>(sum);
  };
  if (key == "iterations_completed" || key == "iterationsCompleted")
    lua_pushnumber(L, total(&exec::ScenarioShared::iterations_done));
  else if (key == "iterations_interrupted" || key == "iterationsInterrupted")
    lua_pushnumber(L, total(&exec::ScenarioShared::iterations_interrupted));
  else if (key == "vus_active" || key == "vusActive")
    lua_pushnumber(L, static_cast<double>(vu->run_shared().busy_vus.load()));
  else if (key == "vus_initialized" || key == "vusInitialized")
    lua_pushnumber(L, static_cast<double>(vu->run_shared().initialized_vus.load()));
  else if (key == "current_test_run_duration" || key == "currentTestRunDuration")
    lua_pushnumber(L, vu->test_elapsed_seconds() * 1000);
  else
    lua_pushnil(L);
  return 1;
}

// Its address is the error value test_abort raises: the iteration ends quietly
// (is_test_abort) and the supervisor stops the test.
const char kTestAbort = 0;

// test_abort([message]): k6's exec.test.abort().
int test_abort(lua_State* L) {
  std::string message = lua_isnoneornil(L, 1) ? "" : luaL_checkstring(L, 1);
  exec::test_status().abort(message);
  if (exec::Vu* vu = exec::Vu::running()) vu->run_shared().notify_main();
  lua_pushlightuserdata(L, const_cast<char*>(&kTestAbort));
  return lua_error(L);
}

// test_fail([message]): k6's exec.test.fail(): the test goes on, then exits 110.
int test_fail(lua_State* L) {
  if (!exec::Vu::running())
    return luaL_error(L, "lueng.test.fail() called outside of a VU (in init code)");
  std::string message = lua_isnoneornil(L, 1) ? "" : luaL_checkstring(L, 1);
  bool first = !exec::test_status().failed();
  exec::test_status().fail(message);
  if (first)
    fprintf(stderr, "  lueng.test.fail()%s%s: the test goes on, and will exit 110\n",
            message.empty() ? "" : ": ", message.c_str());
  return 0;
}

// test_options(): the script's options as a table (k6's exec.test.options); a copy
// each call, so a script cannot change the run's.
int test_options(lua_State* L) {
  exec::Vu* vu = exec::Vu::running();
  if (!vu) return luaL_error(L, "lueng.test.options is not available in init code (use options)");
  const std::string& text = vu->run_plan().options_json;
  std::string error;
  if (text.empty() || !push_json_text(L, text, &error)) lua_newtable(L);
  return 1;
}

// The registry key of the error value of the last fail(): it tells a deliberate
// failure from an error when the iteration ends. Lua strings are interned, so the
// comparison is one pointer compare.
const char kFailKey = 0;
// Set while a mark is stored, so iterations that never call fail() pay one branch.
thread_local bool t_fail_marked = false;

// fail(text), called by lueng.fail: raises "file:line: text" with the line of
// the script's call (two levels up), marked deliberate.
int fail(lua_State* L) {
  luaL_checkstring(L, 1);
  luaL_where(L, 2);
  lua_pushvalue(L, 1);
  lua_concat(L, 2);
  lua_pushlightuserdata(L, const_cast<char*>(&kFailKey));
  lua_pushvalue(L, -2);
  lua_rawset(L, LUA_REGISTRYINDEX);
  t_fail_marked = true;
  return lua_error(L);
}

// Wall-clock milliseconds since the Unix epoch, with fractions, like JavaScript's
// Date.now(): for timestamps in payloads and for time windows across VUs.
int now(lua_State* L) {
  auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  lua_pushnumber(L, std::chrono::duration<double, std::milli>(since_epoch).count());
  return 1;
}

}  // namespace

bool is_test_abort(lua_State* L, int index) {
  return lua_islightuserdata(L, index) && lua_touserdata(L, index) == &kTestAbort;
}

bool take_fail_mark(lua_State* L, int error_index) {
  if (!t_fail_marked) return false;
  t_fail_marked = false;
  lua_pushlightuserdata(L, const_cast<char*>(&kFailKey));
  lua_rawget(L, LUA_REGISTRYINDEX);
  bool deliberate = error_index != 0 && lua_rawequal(L, -1, error_index);
  lua_pop(L, 1);
  lua_pushlightuserdata(L, const_cast<char*>(&kFailKey));
  lua_pushnil(L);
  lua_rawset(L, LUA_REGISTRYINDEX);
  return deliberate;
}

int open_lueng(lua_State* L) {
  const char* code = embedded::lueng_lua;
  if (luaL_loadbuffer(L, code, std::strlen(code), "=lueng") != 0) return lua_error(L);
  const luaL_Reg core[] = {{"record_check", record_check},
                           {"group_enter", group_enter},
                           {"group_leave", group_leave},
                           {"sleep", sleep},
                           {"vu_field", vu_field},
                           {"vu_tag", vu_tag},
                           {"set_vu_tag", set_vu_tag},
                           {"vu_tags", vu_tags},
                           {"set_vu_metadata", set_vu_metadata},
                           {"vu_metadatum", vu_metadatum},
                           {"vu_metadata", vu_metadata},
                           {"scenario_field", scenario_field},
                           {"instance_field", instance_field},
                           {"test_abort", test_abort},
                           {"test_fail", test_fail},
                           {"test_options", test_options},
                           {"now", now},
                           {"fail", fail},
                           {"random_seed", lueng_random_seed},
                           {nullptr, nullptr}};
  lua_newtable(L);
  luaL_register(L, nullptr, core);
  lua_pushstring(L, kVersion);
  lua_setfield(L, -2, "version");
  lua_call(L, 1, 1);
  return 1;
}

}  // namespace lueng::bindings
