#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <lua.hpp>

#include "engine/common/random.hpp"
#include "engine/exec/script.hpp"

namespace lueng::bindings {

using exec::KeyValues;
using exec::ResumeOutcome;
using exec::ScriptSource;

// Module directories in lookup order: the script's folder, LUENG_PATH entries
// (folders, or Lua templates with a '?'), LUA_PATH's templates, then the shipped
// lib/lua (those of shipped_module_dirs() that exist).
std::vector<std::string> default_module_dirs(const std::string& script_path);

// Where the Lua libraries shipped with lueng may be, relative to the running
// binary: the install's share/lueng/lua, and the build tree's link to lib/lua.
std::vector<std::filesystem::path> shipped_module_dirs();

// A VU's coroutine and the references that keep its pieces alive.
struct Coroutine {
  lua_State* thread = nullptr;
  int thread_ref = LUA_NOREF;
  int env_ref = LUA_NOREF;   // the VU's own globals
  int exec_ref = LUA_NOREF;  // the function each iteration calls
  int data_ref = LUA_NOREF;  // this VU's copy of setup()'s result
  bool started = false;
  bool globals_written = false;  // its globals have entries (a write, or the scenario's ENV)
  RandomGenerator random;        // this VU's math.random
  bool random_seeded = false;    // seeded at the first draw, which knows the VU's id
};

// One lua_State with the lueng modules and the script loaded: the init context
// of a worker, or of setup()/teardown(). Single-threaded.
class ScriptState {
 public:
  explicit ScriptState(const ScriptSource& source);
  ~ScriptState();
  ScriptState(const ScriptState&) = delete;
  ScriptState& operator=(const ScriptState&) = delete;

  lua_State* L() const { return L_; }
  const ScriptSource& source() const { return source_; }

  // Runs the script's top-level code. Throws exec::ScriptError (ScriptInterrupted
  // when a stop interrupted it).
  void load();

  // True when the script defines a global function of that name.
  bool has_function(const std::string& name) const;

  // A coroutine running `exec_name` each iteration with its own globals and its
  // own copy of the setup data (JSON; empty for none). Throws exec::ScriptError.
  Coroutine new_vu(const std::string& exec_name, const std::string& setup_json,
                   const KeyValues& scenario_env);
  void release(Coroutine& co);
  // Abandons whatever `co` was doing; the next resume starts a fresh iteration.
  void restart(Coroutine& co);

  // Resumes `co` with the `nargs` values pushed on its stack. When the iteration
  // ends and result_json is given, the function's return value is stored there as
  // JSON (setup() hands its data on this way).
  ResumeOutcome resume(Coroutine& co, int nargs, std::string* result_json = nullptr);
  // The coroutine resume() is running, or null (init code).
  Coroutine* running() const { return running_; }

  // math.random's run seed: the source's, or what the init code chose with
  // lueng.random_seed(). Fixed once either settled it.
  uint64_t random_seed() const { return random_seed_; }
  bool random_seed_fixed() const { return random_seed_fixed_; }
  // lueng.random_seed(seed): the run seed unless the source fixed one; either
  // way the state's own generator starts over from the run seed, as it would
  // in a rerun with that seed fixed.
  void choose_random_seed(uint64_t seed);
  // math.random of the code that runs outside VUs: init code, setup and teardown.
  RandomGenerator& own_random() { return own_random_; }

 private:
  ScriptSource source_;
  lua_State* L_;
  // One metatable for every VU's globals (made by the first VU): one table less per VU.
  int vu_globals_mt_ref_ = LUA_NOREF;
  int driver_ref_ = LUA_NOREF;
  int marker_ref_ = LUA_NOREF;
  const void* marker_ = nullptr;  // the userdata of marker_ref_
  // A thread of its own whose stack holds what point_globals_at needs: the
  // metatable of the script's environment proxy, "__index", "__newindex" and
  // write_global.
  lua_State* env_switch_ = nullptr;
  int env_switch_ref_ = LUA_NOREF;
  // The script's globals (script_state.cpp, point_globals_at): whose globals
  // its writes go to (null: _G); which VU's globals the proxy reads through
  // (LUA_NOREF: _G, or released ones) and whether they have entries; which it
  // writes to (LUA_NOREF: none of a VU), or whether through write_global.
  Coroutine* current_ = nullptr;
  int read_env_ref_ = LUA_NOREF;
  bool read_env_written_ = false;
  int write_env_ref_ = LUA_NOREF;
  bool writes_through_function_ = false;
  Coroutine* running_ = nullptr;
  uint64_t random_seed_;
  bool random_seed_fixed_;
  RandomGenerator own_random_;

  void install_environment();
  void point_globals_at(Coroutine& co);
  void point_reads_at(const Coroutine& co);
  void point_writes_at(const Coroutine* co);
  static int write_global(lua_State* L);
};

// "file:line: message" from the error value on top of L (popped).
std::string pop_error_message(lua_State* L);

}  // namespace lueng::bindings
