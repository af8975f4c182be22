#pragma once

#include <lua.hpp>

#include "engine/exec/expected_statuses.hpp"
#include "engine/exec/http_call.hpp"

namespace lueng::bindings {

// k6's response callback, which decides which statuses count as expected
// (expected_response, http_req_failed). k6 has one per VU; lueng's VUs of a
// worker share a Lua state, so http.setResponseCallback() sets it for the
// state: called in the script's top-level code, as k6 scripts do, that is every
// VU's.
struct ResponseCallbackSetting {
  const exec::ExpectedStatuses* expected = nullptr;  // null: k6's default, 200-399
  bool judged = true;   // false after setResponseCallback(nil): nothing is judged
  int ref = LUA_NOREF;  // registry reference keeping `expected`'s userdata alive
};

// The state's setting, made on first use; it lives as long as `L`'s state.
ResponseCallbackSetting& response_callback_setting(lua_State* L);

// http.expectedStatuses(200, { min = 300, max = 399 }, ...) and
// http.setResponseCallback(statuses or nil).
int http_expected_statuses(lua_State* L);
int http_set_response_callback(lua_State* L);

// params.responseCallback at `index`: expected statuses (copied into the call),
// or false for k6's null (the request is not judged). A Lua error naming `fn`
// for anything else.
void read_response_callback_param(lua_State* L, int index, exec::HttpCall& call, const char* fn);

}  // namespace lueng::bindings
