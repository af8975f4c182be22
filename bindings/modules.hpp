#pragma once

#include <lua.hpp>

#include "bindings/held_responses.hpp"

namespace lueng::exec {
class HttpBatch;
struct PooledResponse;
class ResponsePool;
class Vu;
}  // namespace lueng::exec

namespace lueng::http {
class CookieJar;
}  // namespace lueng::http

namespace lueng::bindings {

// Makes every module of modules.cpp's LUENG_MODULES available to require in L
// ("lueng", "lueng.http", ...).
void register_modules(lua_State* L);

// What pushing a response needs of a state: the response metatable (by
// registry reference) and the responses the state holds.
struct ResponseBinding {
  int metatable_ref;
  HeldResponses held;
};

// L's state's binding (null before require "lueng.http"): look it up once, pass
// it to every push.
ResponseBinding* response_binding(lua_State* L);

// Pushes a response userdata; it owns `response`, which goes back to `pool`
// once Lua has collected the userdata.
void push_response(lua_State* L, exec::PooledResponse* response, exec::ResponsePool* pool,
                   ResponseBinding& binding);

// Pushes the responses of a finished batch in the shape of the script's input
// table (registry reference `input_ref`, released here): an array for an array,
// a table with the same keys for a table of named requests.
void push_batch_responses(lua_State* L, int input_ref, exec::HttpBatch& batch,
                          exec::ResponsePool* pool, ResponseBinding& binding);

// Adds http.cookieJar() and http.CookieJar() (and their snake_case aliases) to the
// table on top of the stack.
void add_cookie_jar_functions(lua_State* L);

// The jar of params.jar at `index` for a request of the running VU: a jar of the
// script's own, or null for the VU's own jar. A Lua error naming `fn` for anything
// else, or for another VU's jar.
http::CookieJar* read_jar_param(lua_State* L, int index, const char* fn);

// At the end of an iteration: true when the error value at `error_index` (0: it
// ended without error) is the one the last lueng.fail() raised, a deliberate
// failure rather than a script error (re-raised as it was, by group() for one, it
// still is). Forgets the mark, so a fail() the script caught cannot mark a later error.
bool take_fail_mark(lua_State* L, int error_index);

// The running VU, or a Lua error naming `what` when called from init code.
exec::Vu& running_vu(lua_State* L, const char* what);

// open(path), the global of every state (k6's open): the text of a data file,
// found as lueng.data finds files and read once per process (module_data.cpp).
int data_open(lua_State* L);

// True when the error value at `index` is the one a unique pick raises after it
// ended its scenario (rows:unique{ exhausted = "stop" }): the iteration ends
// quietly, not as a script error.
bool is_scenario_stop(lua_State* L, int index);
// True when the error value at `index` is the one lueng.test.abort() raises: the
// iteration ends quietly, the test stops (module_lueng.cpp).
bool is_test_abort(lua_State* L, int index);

// Preload functions, one per module file (modules.cpp registers them; a new
// module's needs no line here).
int open_lueng(lua_State* L);
int open_crypto(lua_State* L);
int open_data(lua_State* L);
int open_encoding(lua_State* L);
int open_http(lua_State* L);
int open_json(lua_State* L);
int open_metrics(lua_State* L);

}  // namespace lueng::bindings
