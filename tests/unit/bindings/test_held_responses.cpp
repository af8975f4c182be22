#include <catch2/catch.hpp>

#include <memory>
#include <stdexcept>
#include <vector>

#include <lua.hpp>

#include "bindings/held_responses.hpp"
#include "engine/exec/response_pool.hpp"

using lueng::bindings::HeldResponses;
using lueng::exec::PooledResponse;
using lueng::exec::ResponsePool;

namespace {

struct State {
  std::unique_ptr<lua_State, decltype(&lua_close)> L{luaL_newstate(), lua_close};
  lua_State* get() { return L.get(); }
};

// Takes a response from the pool, marks it with `body` and holds it by a new
// userdata, left on the stack.
PooledResponse* push_held(lua_State* L, HeldResponses& held, ResponsePool& pool, const char* body,
                          bool large = false) {
  PooledResponse* response = pool.take();
  response->data.body = body;
  if (large) response->data.body.reserve(HeldResponses::kLargeBytes);
  lua_newuserdata(L, 8);
  held.hold(L, response, &pool);
  return response;
}

void full_collection(lua_State* L) {
  lua_gc(L, LUA_GCCOLLECT, 0);
}

}  // namespace

TEST_CASE("a response Lua still reaches is never returned, a dropped one is, after a cycle") {
  State state;
  lua_State* L = state.get();
  ResponsePool pool;
  HeldResponses held(L);

  lua_newtable(L);  // what the "script" keeps
  int kept = lua_gettop(L);
  std::vector<PooledResponse*> kept_responses;
  for (int i = 0; i < 10; ++i) {
    PooledResponse* response = push_held(L, held, pool, i % 2 ? "kept" : "dropped");
    if (i % 2) {
      lua_rawseti(L, kept, i);
      kept_responses.push_back(response);
    } else {
      lua_pop(L, 1);
    }
  }
  CHECK(held.held() == 10);
  CHECK(pool.allocated() == 10);

  // No cycle since the last look: the pool grows rather than guess.
  push_held(L, held, pool, "new");
  lua_pop(L, 1);
  CHECK(pool.allocated() == 11);

  full_collection(L);
  // The pool has none free when "after" is taken: its hold looks, finds the six
  // dropped ones (five and "new"), and later takes reuse them.
  push_held(L, held, pool, "after");
  lua_pop(L, 1);
  CHECK(pool.allocated() == 12);
  CHECK(held.held() == 6);  // five kept and "after"
  for (PooledResponse* response : kept_responses) CHECK(response->data.body == "kept");
  for (int i = 0; i < 6; ++i) {
    PooledResponse* reused = pool.take();
    CHECK(reused->data.body.empty());  // cleared when it came back
    lua_newuserdata(L, 8);
    held.hold(L, reused, &pool);
    lua_pop(L, 1);
  }
  CHECK(pool.allocated() == 12);

  // Dropping what was kept returns it too, after the next cycle.
  lua_pop(L, 1);
  full_collection(L);
  push_held(L, held, pool, "last");
  CHECK(held.held() == 1);
  CHECK(pool.allocated() == 13);
}

TEST_CASE("a large response goes back after the first cycle, while the pool still has free ones") {
  State state;
  lua_State* L = state.get();
  ResponsePool pool;
  HeldResponses held(L);
  PooledResponse* first = pool.take();
  PooledResponse* second = pool.take();
  pool.give_back(first);
  pool.give_back(second);
  push_held(L, held, pool, "large", true);
  lua_pop(L, 1);
  full_collection(L);
  REQUIRE(pool.has_free());
  push_held(L, held, pool, "small");
  lua_pop(L, 1);
  CHECK(held.held() == 1);
}

TEST_CASE("slots are reused: holding and dropping for long keeps the table small") {
  State state;
  lua_State* L = state.get();
  ResponsePool pool;
  HeldResponses held(L);
  for (int i = 0; i < 20000; ++i) {
    push_held(L, held, pool, "x");
    lua_pop(L, 1);
    if (i % 1000 == 999) full_collection(L);
  }
  CHECK(pool.allocated() <= 2001);
  CHECK(held.held() <= 2001);
}

TEST_CASE("a state's responses come from one pool") {
  State state;
  lua_State* L = state.get();
  ResponsePool pool, other;
  HeldResponses held(L);
  push_held(L, held, pool, "a");
  lua_newuserdata(L, 8);
  CHECK_THROWS_AS(held.hold(L, other.take(), &other), std::logic_error);
}
