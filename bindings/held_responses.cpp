#include "bindings/held_responses.hpp"

#include <stdexcept>

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

size_t HeldResponses::held_bytes(const exec::PooledResponse& response) {
  return response.data.body.capacity() + response.data.header_bytes.capacity();
}

void HeldResponses::hold(lua_State* L, exec::PooledResponse* response, exec::ResponsePool* pool) {
  if (pool != pool_) {
    if (pool_) throw std::logic_error("HeldResponses: responses of two pools in one state");
    pool_ = pool;
  }
  // Large responses are looked for after every cycle, not only when the pool
  // runs out: their memory is what the script dropped.
  if ((large_held_ > 0 || !pool->has_free()) && cycle_passed(L)) return_collected(L);
  uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.push_back(response);
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
    slots_[slot] = response;
  }
  if (held_bytes(*response) >= kLargeBytes) ++large_held_;
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
  seen_.assign(slots_.size(), 0);
  lua_rawgeti(L, LUA_REGISTRYINDEX, table_ref_);
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    lua_pop(L, 1);
    auto key = static_cast<size_t>(lua_tointeger(L, -1));
    if (key >= 1 && key <= slots_.size()) seen_[key - 1] = 1;
  }
  lua_pop(L, 1);
  for (size_t i = 0; i < slots_.size(); ++i) {
    exec::PooledResponse* response = slots_[i];
    if (!response || seen_[i]) continue;
    if (held_bytes(*response) >= kLargeBytes) --large_held_;
    pool_->give_back(response);
    slots_[i] = nullptr;
    free_slots_.push_back(static_cast<uint32_t>(i));
  }
  set_marker(L);
}

}  // namespace lueng::bindings
