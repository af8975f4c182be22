#pragma once

#include <lua.hpp>

#include <cstdint>
#include <vector>

namespace lueng::exec {
struct PooledResponse;
class ResponsePool;
}  // namespace lueng::exec

namespace lueng::bindings {

// The pooled responses one Lua state holds as userdata, and when each may go
// back to its pool. A finalizer would say when Lua drops a response, but
// LuaJIT's finalizers cost about 700 instructions per response (the userdata is
// kept for another cycle, then called through a protected call), more than the
// rest of the response path. Instead a weak-valued table maps a slot per held
// response to its userdata: once the collector has cleared a slot, no Lua value
// can reach that userdata any more, and its response is returned.
//
// Slots are looked at when a response is pushed while its pool has none free
// (or while a large one is held), and only after a collection cycle cleared
// the table's marker since the last look (a cycle is what clears slots): a look
// walks the slots still live, once per cycle at most.
class HeldResponses {
 public:
  // Makes the weak table (kept by L's registry).
  explicit HeldResponses(lua_State* L);
  HeldResponses(const HeldResponses&) = delete;
  HeldResponses& operator=(const HeldResponses&) = delete;

  // Buffers from this size on are large: the collector is told about them
  // (push_response), and they are returned after the first cycle that clears
  // them, not only when the pool runs out.
  static constexpr size_t kLargeBytes = 64 * 1024;
  static size_t held_bytes(const exec::PooledResponse& response);

  // The userdata on top of L's stack now holds `response`, which goes back to
  // `pool` once the userdata is collected. A state's responses all come from
  // its worker's one pool.
  void hold(lua_State* L, exec::PooledResponse* response, exec::ResponsePool* pool);

  // Responses held and not yet returned.
  size_t held() const { return slots_.size() - free_slots_.size(); }

 private:
  // Returns every response whose userdata the collector has cleared.
  void return_collected(lua_State* L);
  bool cycle_passed(lua_State* L) const;
  void set_marker(lua_State* L);

  int table_ref_ = LUA_NOREF;
  exec::ResponsePool* pool_ = nullptr;
  // Slot i is key i + 1 of the weak table; null when free. A pointer a slot:
  // there is one per response the script dropped since the last cycle, so one
  // per VU in a run of many VUs.
  std::vector<exec::PooledResponse*> slots_;
  std::vector<uint32_t> free_slots_;
  std::vector<uint8_t> seen_;  // scratch of return_collected()
  size_t large_held_ = 0;
};

}  // namespace lueng::bindings
