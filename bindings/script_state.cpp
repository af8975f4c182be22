#include "bindings/script_state.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <uv.h>

#include "bindings/call_hints.hpp"
#include "bindings/embedded_lua.hpp"
#include "bindings/lua_interrupt.hpp"
#include "bindings/lua_json.hpp"
#include "bindings/lua_random.hpp"
#include "bindings/modules.hpp"
#include "engine/exec/script_hints.hpp"
#include "engine/exec/vu.hpp"

namespace lueng::bindings {

namespace fs = std::filesystem;

namespace {

// __index of the worker's globals: k6's __VU and __ITER, read when a script reads
// them (nothing to keep up to date per iteration). __VU is 0 in init code and in
// setup() and teardown(), as in k6; __ITER is the VU's iteration in its scenario.
// Every other missing global stays nil.
int k6_globals(lua_State* L) {
  size_t length;
  const char* key = lua_tolstring(L, 2, &length);
  std::string_view name = key ? std::string_view(key, length) : std::string_view();
  if (name != "__VU" && name != "__ITER") return 0;
  const exec::Vu* vu = exec::Vu::running();
  double value = 0;
  if (vu && name == "__VU" && !vu->runs_a_hook()) value = static_cast<double>(vu->id());
  if (vu && name == "__ITER") value = static_cast<double>(vu->iteration_in_scenario());
  lua_pushnumber(L, value);
  return 1;
}

// The driver's next_now(): called between two clean iterations of the running VU
// (driver.lua); true when the next one has begun and the driver goes on at once.
int next_iteration_now(lua_State* L) {
  exec::Vu* vu = exec::Vu::running();
  // A lueng.fail() the script caught itself leaves its mark: an iteration that
  // ends cleanly forgets it, as ScriptState::resume does.
  take_fail_mark(L, 0);
  lua_pushboolean(L, vu && !vu->runs_a_hook() && vu->end_iteration_in_script());
  return 1;
}

// Adds the entries of a path list: LUENG_PATH's folders or Lua templates separated
// by ':' or ';', LUA_PATH's templates separated by ';' (its ";;", Lua's default
// path, adds nothing: lueng's own folders follow).
void add_path_entries(std::vector<std::string>& dirs, std::string_view list, bool colons) {
  while (!list.empty()) {
    size_t end = list.find_first_of(colons ? ":;" : ";");
    std::string_view entry = list.substr(0, end);
    if (!entry.empty()) dirs.emplace_back(entry);
    list = end == std::string_view::npos ? "" : list.substr(end + 1);
  }
}

}  // namespace

std::vector<std::string> default_module_dirs(const std::string& script_path) {
  std::vector<std::string> dirs;
  fs::path script_dir = fs::path(script_path).parent_path();
  dirs.push_back(script_dir.empty() ? "." : script_dir.string());
  if (const char* extra = std::getenv("LUENG_PATH")) add_path_entries(dirs, extra, true);
  // Lua's own variable, as `luarocks path` sets it for a rocks tree.
  if (const char* lua_path = std::getenv("LUA_PATH")) add_path_entries(dirs, lua_path, false);
  for (const fs::path& dir : shipped_module_dirs())
    if (fs::is_directory(dir)) dirs.push_back(dir.string());
  return dirs;
}

std::vector<fs::path> shipped_module_dirs() {
  // Relative to the running binary, never a path fixed at build time: an install
  // that is moved, or unpacked under another prefix, still finds its libraries.
  char exe[4096];
  size_t size = sizeof exe;
  if (uv_exepath(exe, &size) != 0) return {};
  fs::path bin_dir = fs::path(std::string(exe, size)).parent_path();
  return {(bin_dir / LUENG_LUA_DIR_FROM_BIN).lexically_normal(),  // installed
          bin_dir / "share" / "lueng" / "lua"};                   // the build tree
}

std::string pop_error_message(lua_State* L) {
  std::string message;
  if (const char* text = lua_tostring(L, -1))
    message = text;
  else
    message = std::string("(error object is a ") + luaL_typename(L, -1) + " value)";
  lua_pop(L, 1);
  return message;
}

namespace {

// print() writes to stderr so that it never mixes into the summary on stdout.
int lua_print(lua_State* L) {
  int n = lua_gettop(L);
  std::string line;
  lua_getglobal(L, "tostring");
  for (int i = 1; i <= n; ++i) {
    lua_pushvalue(L, -1);
    lua_pushvalue(L, i);
    lua_call(L, 1, 1);
    if (i > 1) line.push_back('\t');
    if (const char* text = lua_tostring(L, -1)) line.append(text);
    lua_pop(L, 1);
  }
  line.push_back('\n');
  fputs(line.c_str(), stderr);
  return 0;
}

// os.exit() would end the process there: no summary, no result file, and the
// script's own status, which can read as a pass or an SLO verdict.
int os_exit_refused(lua_State* L) {
  return luaL_error(
      L,
      "os.exit() cannot end a lueng run (every result would be lost): use "
      "lueng.test.abort([message]) (exit 108) or lueng.test.fail([message]) (exit 110)");
}

void load_embedded(lua_State* L, const char* code, const char* name) {
  if (luaL_loadbuffer(L, code, strlen(code), name) != 0)
    throw exec::ScriptError("internal Lua code failed to load: " + pop_error_message(L));
}

}  // namespace

ScriptState::ScriptState(const ScriptSource& source)
    : source_(source),
      L_(luaL_newstate()),
      random_seed_(source.random_seed),
      random_seed_fixed_(source.random_seed_fixed) {
  if (!L_) throw exec::ScriptError("cannot create a Lua state (out of memory)");
  own_random_.seed_stream(random_seed_, 0);
  luaL_openlibs(L_);
  lua_getglobal(L_, "os");
  lua_pushcfunction(L_, os_exit_refused);
  lua_setfield(L_, -2, "exit");
  lua_pop(L_, 1);
  install_random(L_, *this);
  lua_pushcfunction(L_, lua_print);
  lua_setglobal(L_, "print");

  // require looks in the module directories only (no ./?.lua relative to the cwd);
  // an entry with a '?' is a Lua template already.
  std::string path;
  for (const auto& dir : source_.module_dirs)
    path += dir.find('?') != std::string::npos ? dir + ";" : dir + "/?.lua;" + dir + "/?/init.lua;";
  lua_getglobal(L_, "package");
  lua_pushstring(L_, path.c_str());
  lua_setfield(L_, -2, "path");
  lua_pop(L_, 1);
  // The last loader finds nothing; its text ends the "module not found" error
  // with where lueng looks and, for a path given as a name, how to reach it.
  luaL_dostring(L_, R"lua(
    table.insert(package.loaders, function(name)
      local hint = "\n\tlueng looks in the script's folder, LUENG_PATH (folders or ?.lua " ..
        "templates) and LUA_PATH (templates, as `luarocks path` sets them), then its lib/lua"
      if name:find("[/\\]") or name:sub(1, 1) == "." then
        hint = hint .. "\n\trequire takes a module name, not a path: put the folder on " ..
          "LUENG_PATH (LUENG_PATH=../shared) and require the name (\"x\", dots for subfolders)"
      end
      return hint
    end)
  )lua");

  register_modules(L_);
  lua_pushcfunction(L_, data_open);  // k6's open(), a global as there
  lua_setglobal(L_, "open");

  lua_createtable(L_, 0, static_cast<int>(source_.env.size()));
  for (const auto& [key, value] : source_.env) {
    lua_pushlstring(L_, value.data(), value.size());
    lua_setfield(L_, -2, key.c_str());
  }
  lua_pushvalue(L_, -1);
  lua_setglobal(L_, "__ENV");  // k6's name, the same table
  lua_setglobal(L_, "ENV");
  lua_createtable(L_, 0, 1);
  lua_pushcfunction(L_, k6_globals);
  lua_setfield(L_, -2, "__index");
  lua_setmetatable(L_, LUA_GLOBALSINDEX);

  load_embedded(L_, embedded::driver_lua, "=lueng.driver");
  lua_pushcfunction(L_, next_iteration_now);
  lua_call(L_, 1, 1);
  driver_ref_ = luaL_ref(L_, LUA_REGISTRYINDEX);
  marker_ = lua_newuserdata(L_, 1);  // a unique value no script can produce
  marker_ref_ = luaL_ref(L_, LUA_REGISTRYINDEX);
  set_interruptible(L_);
}

ScriptState::~ScriptState() {
  clear_interruptible(L_);
  lua_close(L_);
}

void ScriptState::install_environment() {
  // The script runs in a proxy table: reads fall through to the running VU's
  // globals (and from there to the worker's), writes land in the VU's globals
  // (point_globals_at, write_global). During init both go to _G.
  lua_newtable(L_);           // proxy
  lua_createtable(L_, 0, 2);  // its metatable
  lua_pushvalue(L_, LUA_GLOBALSINDEX);
  lua_setfield(L_, -2, "__index");
  lua_pushvalue(L_, LUA_GLOBALSINDEX);
  lua_setfield(L_, -2, "__newindex");
  if (!env_switch_) {
    env_switch_ = lua_newthread(L_);
    env_switch_ref_ = luaL_ref(L_, LUA_REGISTRYINDEX);
  }
  lua_settop(env_switch_, 0);
  lua_pushvalue(L_, -1);
  lua_xmove(L_, env_switch_, 1);
  lua_pushliteral(env_switch_, "__index");
  lua_pushliteral(env_switch_, "__newindex");
  lua_pushlightuserdata(env_switch_, this);
  lua_pushvalue(env_switch_, LUA_GLOBALSINDEX);
  lua_pushcclosure(env_switch_, write_global, 2);
  current_ = nullptr;
  read_env_ref_ = write_env_ref_ = LUA_NOREF;
  read_env_written_ = writes_through_function_ = false;
  lua_setmetatable(L_, -2);
  lua_setfenv(L_, -2);  // the loaded chunk is below the proxy
}

// __newindex of the proxy while the VU that runs has written no global: the
// write lands in its globals (in _G when there is none), which from then on the
// proxy reads and writes directly.
int ScriptState::write_global(lua_State* L) {
  auto* self = static_cast<ScriptState*>(lua_touserdata(L, lua_upvalueindex(1)));
  Coroutine* co = self->current_;
  if (co)
    lua_rawgeti(L, LUA_REGISTRYINDEX, co->env_ref);
  else
    lua_pushvalue(L, lua_upvalueindex(2));
  lua_pushvalue(L, 2);
  lua_pushvalue(L, 3);
  lua_settable(L, -3);  // not raw, as a __newindex table is written
  if (co && !co->globals_written) {
    co->globals_written = true;
    self->point_reads_at(*co);
    self->point_writes_at(co);
  }
  return 0;
}

void ScriptState::load() {
  std::string chunk_name = "@" + source_.path;
  std::string code;
  {
    FILE* file = fopen(source_.path.c_str(), "rb");
    if (!file)
      throw exec::ScriptError(source_.path + ": cannot open the script: " + std::strerror(errno));
    char buffer[65536];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, file)) > 0) code.append(buffer, n);
    fclose(file);
  }
  if (code.starts_with("#!")) code.insert(0, "--");  // keep line numbers, drop the shebang
  if (luaL_loadbuffer(L_, code.data(), code.size(), chunk_name.c_str()) != 0) {
    std::string message = pop_error_message(L_);
    if (std::string hint = exec::k6_javascript_hint(code); !hint.empty())
      message += "\n  hint: " + hint;
    throw exec::ScriptError(message);
  }
  install_environment();
  if (lua_pcall(L_, 0, 0, 0) != 0) {
    if (is_interruption(L_, -1)) throw exec::ScriptInterrupted();
    throw exec::ScriptError(with_call_hint(L_, pop_error_message(L_), source_.path));
  }
}

bool ScriptState::has_function(const std::string& name) const {
  lua_getglobal(L_, name.c_str());
  bool is_function = lua_isfunction(L_, -1);
  lua_pop(L_, 1);
  return is_function;
}

Coroutine ScriptState::new_vu(const std::string& exec_name, const std::string& setup_json,
                              const KeyValues& scenario_env) {
  Coroutine co;
  lua_getglobal(L_, exec_name.c_str());
  if (!lua_isfunction(L_, -1)) {
    lua_pop(L_, 1);
    throw exec::ScriptError(source_.path + ": function '" + exec_name + "' is not defined");
  }
  co.exec_ref = luaL_ref(L_, LUA_REGISTRYINDEX);

  lua_newtable(L_);  // the VU's globals, reading through to the worker's
  if (vu_globals_mt_ref_ == LUA_NOREF) {
    lua_createtable(L_, 0, 1);
    lua_pushvalue(L_, LUA_GLOBALSINDEX);
    lua_setfield(L_, -2, "__index");
    vu_globals_mt_ref_ = luaL_ref(L_, LUA_REGISTRYINDEX);
  }
  lua_rawgeti(L_, LUA_REGISTRYINDEX, vu_globals_mt_ref_);
  lua_setmetatable(L_, -2);
  if (!scenario_env.empty()) {
    lua_newtable(L_);
    for (const auto& [key, value] : scenario_env) {
      lua_pushlstring(L_, value.data(), value.size());
      lua_setfield(L_, -2, key.c_str());
    }
    lua_createtable(L_, 0, 1);
    lua_getglobal(L_, "ENV");
    lua_setfield(L_, -2, "__index");
    lua_setmetatable(L_, -2);
    lua_pushvalue(L_, -1);
    lua_setfield(L_, -3, "__ENV");
    lua_setfield(L_, -2, "ENV");
    co.globals_written = true;
  }
  co.env_ref = luaL_ref(L_, LUA_REGISTRYINDEX);

  if (!setup_json.empty()) {
    std::string error;
    if (!push_json_text(L_, setup_json, &error))
      throw exec::ScriptError("setup() data cannot be copied to a VU: " + error);
    co.data_ref = luaL_ref(L_, LUA_REGISTRYINDEX);
  }

  co.thread = lua_newthread(L_);
  co.thread_ref = luaL_ref(L_, LUA_REGISTRYINDEX);
  return co;
}

void ScriptState::release(Coroutine& co) {
  if (current_ == &co) current_ = nullptr;
  // A released reference is handed out again: the proxy must not look pointed at
  // a new VU's globals that get the same number.
  if (co.env_ref == read_env_ref_) read_env_ref_ = LUA_NOREF;
  if (co.env_ref == write_env_ref_) write_env_ref_ = LUA_NOREF;
  for (int* ref : {&co.thread_ref, &co.env_ref, &co.exec_ref, &co.data_ref}) {
    luaL_unref(L_, LUA_REGISTRYINDEX, *ref);
    *ref = LUA_NOREF;
  }
  co.thread = nullptr;
}

// Runs before every resume, so it is kept cheap. The proxy's reads and writes go
// to the VU's globals once it has written one (or the scenario gave it an ENV).
// Before that, its globals are empty: reading through them is reading _G, through
// whichever VU's empty globals the proxy points at, and its first write goes
// through write_global, which marks them. So while VUs that write no global take
// turns, nothing changes here; otherwise a raw set per field, with the metatable
// and the interned keys at hand on env_switch_'s stack (lua_setfield hashes its
// key each time). Raw sets leave LuaJIT's negative metamethod cache alone, which
// is right: the two fields are never absent, and no other metamethod is added.
void ScriptState::point_globals_at(Coroutine& co) {
  current_ = &co;
  if (co.globals_written) {
    if (read_env_ref_ != co.env_ref) point_reads_at(co);
    if (write_env_ref_ != co.env_ref) point_writes_at(&co);
  } else {
    if (read_env_written_) point_reads_at(co);
    if (!writes_through_function_) point_writes_at(nullptr);
  }
}

void ScriptState::point_reads_at(const Coroutine& co) {
  lua_State* S = env_switch_;  // metatable, "__index", "__newindex", write_global
  lua_pushvalue(S, 2);
  lua_rawgeti(S, LUA_REGISTRYINDEX, co.env_ref);
  lua_rawset(S, 1);
  read_env_ref_ = co.env_ref;
  read_env_written_ = co.globals_written;
}

// At `co`'s globals, or at write_global for null.
void ScriptState::point_writes_at(const Coroutine* co) {
  lua_State* S = env_switch_;
  lua_pushvalue(S, 3);
  if (co)
    lua_rawgeti(S, LUA_REGISTRYINDEX, co->env_ref);
  else
    lua_pushvalue(S, 4);
  lua_rawset(S, 1);
  write_env_ref_ = co ? co->env_ref : LUA_NOREF;
  writes_through_function_ = !co;
}

ResumeOutcome ScriptState::resume(Coroutine& co, int nargs, std::string* result_json) {
  point_globals_at(co);
  lua_State* T = co.thread;
  if (!co.started) {
    lua_settop(T, 0);
    lua_rawgeti(T, LUA_REGISTRYINDEX, driver_ref_);
    lua_rawgeti(T, LUA_REGISTRYINDEX, co.exec_ref);
    lua_rawgeti(T, LUA_REGISTRYINDEX, co.data_ref);
    lua_rawgeti(T, LUA_REGISTRYINDEX, marker_ref_);
    nargs = 3;
    co.started = true;
  }
  Coroutine* outer = running_;
  running_ = &co;
  int status = lua_resume(T, nargs);
  running_ = outer;
  ResumeOutcome outcome;
  if (status == LUA_YIELD) {
    // A module function that waits yields nothing; the driver yields 3 values.
    int top = lua_gettop(T);
    if (top == 0) return outcome;
    // The marker is a full userdata: only the driver has it, by its address.
    bool ended = top == 3 && lua_type(T, 1) == LUA_TUSERDATA && lua_touserdata(T, 1) == marker_;
    if (ended) {
      outcome.iteration_ended = true;
      outcome.ok = lua_toboolean(T, 2);
      outcome.deliberate = take_fail_mark(T, outcome.ok ? 0 : 3);
      outcome.interrupted = !outcome.ok && is_interruption(T, 3);
      outcome.stopped = !outcome.ok && (is_scenario_stop(T, 3) || is_test_abort(T, 3));
      if (outcome.stopped) {
        outcome.error.clear();
      } else if (!outcome.ok) {
        lua_pushvalue(T, 3);
        outcome.error = with_call_hint(L_, pop_error_message(T), source_.path);
      } else if (result_json && !lua_isnil(T, 3)) {
        std::string error;
        if (!lua_to_json(T, 3, *result_json, &error)) {
          outcome.ok = false;
          outcome.error = "the return value cannot be passed on as data: " + error;
        }
      }
    }
    lua_settop(T, 0);
    return outcome;
  }
  // The driver never returns and catches script errors, so only a failure of the
  // driver itself lands here; start the VU over on a fresh coroutine.
  outcome.iteration_ended = true;
  outcome.ok = false;
  outcome.interrupted = status != 0 && is_interruption(T, -1);
  outcome.error = status == 0 ? "VU coroutine returned" : pop_error_message(T);
  restart(co);
  return outcome;
}

void ScriptState::choose_random_seed(uint64_t seed) {
  if (!source_.random_seed_fixed) random_seed_ = seed;
  random_seed_fixed_ = true;
  own_random_.seed_stream(random_seed_, 0);
}

void ScriptState::restart(Coroutine& co) {
  luaL_unref(L_, LUA_REGISTRYINDEX, co.thread_ref);
  co.thread = lua_newthread(L_);
  co.thread_ref = luaL_ref(L_, LUA_REGISTRYINDEX);
  co.started = false;
}

}  // namespace lueng::bindings
