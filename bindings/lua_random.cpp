// math.random over a generator per VU. LuaJIT's own has one fixed seed per
// lua_State, so every worker, and every run, drew the same numbers.
#include "bindings/lua_random.hpp"

#include <bit>
#include <cmath>

#include "bindings/script_state.hpp"
#include "engine/exec/vu.hpp"

namespace lueng::bindings {

namespace {

// Its address is the registry key under which a Lua state finds its ScriptState.
const char kStateKey = 0;

ScriptState& state_of(lua_State* L) {
  return *static_cast<ScriptState*>(lua_touserdata(L, lua_upvalueindex(1)));
}

// Where math.random draws from: the running VU's generator, seeded at its first
// draw from the run seed and the VU's id, so that with one seed VU k draws the
// same numbers in every run whatever worker it lands on and whenever it runs;
// the state's own generator in init code, setup() and teardown().
RandomGenerator& current_generator(lua_State* L) {
  ScriptState& state = state_of(L);
  Coroutine* co = state.running();
  exec::Vu* vu = exec::Vu::running();
  // setup() and teardown() run as VU 1 of a worker of their own, the only
  // worker with a call result; they must not draw VU 1's numbers.
  if (!co || !vu || vu->runs_a_hook()) return state.own_random();
  if (!co->random_seeded) {
    co->random.seed_stream(state.random_seed(), vu->id());
    co->random_seeded = true;
  }
  return co->random;
}

// A bound of math.random: truncated to a whole number like Lua 5.1's
// luaL_checkint, and within ±2^53, where every whole number is exact.
int64_t read_bound(lua_State* L, int arg) {
  double bound = std::trunc(luaL_checknumber(L, arg));
  if (!(std::fabs(bound) <= 0x1p53)) luaL_argerror(L, arg, "number has no integer representation");
  return static_cast<int64_t>(bound);
}

int math_random(lua_State* L) {
  int args = lua_gettop(L);
  if (args == 0) {
    lua_pushnumber(L, current_generator(L).next_double());
    return 1;
  }
  if (args > 2) return luaL_error(L, "wrong number of arguments");
  int64_t low = args == 1 ? 1 : read_bound(L, 1);
  int64_t high = read_bound(L, args);
  luaL_argcheck(L, low <= high, args, "interval is empty");
  auto width = static_cast<uint64_t>(high - low) + 1;  // at most 2^54 + 1
  auto offset = static_cast<int64_t>(current_generator(L).below(width));
  lua_pushnumber(L, static_cast<double>(low + offset));
  return 1;
}

// randomseed(x) restarts the generator math.random draws from here; the same x
// gives the same numbers afterwards.
int math_randomseed(lua_State* L) {
  double seed = luaL_checknumber(L, 1) + 0.0;  // + 0.0: -0 seeds like 0
  current_generator(L).seed(std::bit_cast<uint64_t>(seed));
  return 0;
}

}  // namespace

void install_random(lua_State* L, ScriptState& state) {
  lua_pushlightuserdata(L, const_cast<char*>(&kStateKey));
  lua_pushlightuserdata(L, &state);
  lua_rawset(L, LUA_REGISTRYINDEX);

  lua_getglobal(L, "math");
  lua_pushlightuserdata(L, &state);
  lua_pushcclosure(L, math_random, 1);
  lua_setfield(L, -2, "random");
  lua_pushlightuserdata(L, &state);
  lua_pushcclosure(L, math_randomseed, 1);
  lua_setfield(L, -2, "randomseed");
  lua_pop(L, 1);
}

ScriptState* script_state_of(lua_State* L) {
  lua_pushlightuserdata(L, const_cast<char*>(&kStateKey));
  lua_rawget(L, LUA_REGISTRYINDEX);
  auto* state = static_cast<ScriptState*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  return state;
}

int lueng_random_seed(lua_State* L) {
  double seed = luaL_checknumber(L, 1);
  if (!(seed >= 0 && seed <= static_cast<double>(kMaxRandomSeed) && seed == std::floor(seed)))
    return luaL_argerror(L, 1, "the seed must be a whole number from 0 to 9007199254740991");
  ScriptState* state = script_state_of(L);
  if (!state) return luaL_error(L, "random_seed: this Lua state has no script");
  if (state->running())
    return luaL_error(L,
                      "random_seed can only be called in the script's top-level code (init "
                      "code), where it fixes the run's seed");
  state->choose_random_seed(static_cast<uint64_t>(seed));
  return 0;
}

}  // namespace lueng::bindings
