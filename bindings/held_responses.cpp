#include "bindings/held_responses.hpp"

#include "engine/exec/response_pool.hpp"

namespace lueng::bindings {

namespace {
// The marker's key; slots are 1, 2, ...
constexpr int kMarkerKey = 0;
}  // namespace

HeldResponses::HeldResponses(lua_State* L) {
  lua_createtable(L, 0, 1);
  lua_createtable(L, 0, 1);  // its metatable
  lua_pushliteral(L, "v");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  table_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  set_marker(L);
}

void HeldResponses::hold(lua_State* L, exec::PooledResponse* response, exec::ResponsePool* pool,
                         bool large) {
  // Large responses are looked for after every cycle, not only when the pool
  // runs out: their memory is what the script dropped.
  if ((large_held_ > 0 || !pool->has_free()) && cycle_passed(L)) return_collected(L);
  uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  slots_[slot] = {response, pool, large};
  if (large) ++large_held_;
  lua_rawgeti(L, LUA_REGISTRYINDEX, table_ref_);
  lua_pushvalue(L, -2);
  lua_rawseti(L, -2, static_cast<int>(slot) + 1);
  lua_pop(L, 1);
}

bool HeldResponses::cycle_passed(lua_State* L) const {
  lua_rawgeti(L, LUA_REGISTRYINDEX, table_ref_);
  lua_rawgeti(L, -1, kMarkerKey);
  bool passed = lua_isnil(L, -1);
  lua_pop(L, 2);
  return passed;
}

void HeldResponses::set_marker(lua_State* L) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, table_ref_);
  lua_createtable(L, 0, 0);  // referenced by nothing else: the next cycle clears it
  lua_rawseti(L, -2, kMarkerKey);
  lua_pop(L, 1);
}

void HeldResponses::return_collected(lua_State* L) {
  // The collector leaves only live slots: walking them costs less than reading
  // every slot, and most slots are dead by the time this runs.
  for (Slot& slot : slots_) slot.seen = false;
  lua_rawgeti(L, LUA_REGISTRYINDEX, table_ref_);
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    lua_pop(L, 1);
    auto key = static_cast<size_t>(lua_tointeger(L, -1));
    if (key >= 1 && key <= slots_.size()) slots_[key - 1].seen = true;
  }
  lua_pop(L, 1);
  for (size_t i = 0; i < slots_.size(); ++i) {
    Slot& slot = slots_[i];
    if (!slot.response || slot.seen) continue;
    slot.pool->give_back(slot.response);
    if (slot.large) --large_held_;
    slot = {};
    free_slots_.push_back(static_cast<uint32_t>(i));
  }
  set_marker(L);
}

}  // namespace lueng::bindings
