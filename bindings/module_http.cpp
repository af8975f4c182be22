// require "lueng.http": requests that suspend the calling VU until the response
// arrives, and responses whose fields become Lua values only when read.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <uv.h>

#include "bindings/http_response_callback.hpp"
#include "bindings/http_vu.hpp"
#include "bindings/lua_json.hpp"
#include "bindings/modules.hpp"
#include "engine/common/byte_size.hpp"
#include "engine/common/closest_name.hpp"
#include "engine/common/duration.hpp"
#include "engine/common/json_parse.hpp"
#include "engine/common/json_selector.hpp"
#include "engine/exec/http_batch.hpp"
#include "engine/exec/response_pool.hpp"
#include "engine/exec/samples.hpp"
#include "engine/http/ascii.hpp"
#include "engine/http/cookie_jar.hpp"
#include "engine/http/field_syntax.hpp"
#include "engine/http/request_compression.hpp"
#include "engine/http/status_text.hpp"
#include "engine/http/url.hpp"

namespace lueng::bindings {

namespace {

constexpr const char* kResponseType = "lueng.Response";
constexpr const char* kUrlType = "lueng.URL";  // what http.url() returns
const char kBindingKey = 0;                    // address used as a registry key

constexpr int kJsonUpvalue = lua_upvalueindex(1);  // response_index's res.json

// What sets a response's userdata apart from any other (io's files, cookie jars):
// its size and this mark. Checking them takes two C API calls where comparing
// metatables took four, on every field a script reads.
constexpr uint32_t kResponseMark = 0x6c526573;

// No finalizer: HeldResponses returns `response` to its pool once the
// collector has cleared the userdata.
struct LuaResponse {
  exec::PooledResponse* response;
  uint32_t mark;
  // The fields converted so far (body, headers, ...) are a table made on first
  // use, kept as the userdata's environment.
  bool has_cache;
};

// A count a script may give: whole, >= 0 and exact in a double (NaN and 1e300 are
// not, and converting them to an integer would be undefined).
bool is_whole_number(double number) {
  return number >= 0 && number <= 9007199254740992.0 && number == std::floor(number);
}

std::string_view to_view(lua_State* L, int index) {
  size_t length;
  const char* text = lua_tolstring(L, index, &length);
  return {text, length};
}

// What would split or corrupt the request head is refused before anything is
// sent, as Go's client refuses it; the messages name the header but never print
// its value, which may be a secret.
constexpr const char* kTrimHint =
    "CR, LF and NUL would split or cut the request; trim text read from files";

void check_header(lua_State* L, std::string_view name, std::string_view value, const char* fn) {
  if (!http::is_token(name))
    luaL_error(L,
               "%s: header name \"%s\" is not a valid header name (letters, digits and "
               "!#$%%&'*+-.^_`|~ only; no spaces, ':' or line breaks)",
               fn, http::printable(name).c_str());
  if (size_t bad = http::find_invalid_value_byte(value); bad != std::string_view::npos)
    luaL_error(L, "%s: header \"%s\": the value holds %s at byte %d (%s)", fn, name.data(),
               http::describe_byte(value[bad]).c_str(), static_cast<int>(bad + 1), kTrimHint);
}

void check_cookie(lua_State* L, std::string_view name, std::string_view value, const char* fn) {
  if (!http::is_token(name))
    luaL_error(L,
               "%s: params.cookies: \"%s\" is not a valid cookie name (letters, digits and "
               "!#$%%&'*+-.^_`|~ only; no spaces, '=', ';' or line breaks)",
               fn, http::printable(name).c_str());
  if (size_t bad = http::find_invalid_cookie_value_byte(value); bad != std::string_view::npos)
    luaL_error(L, "%s: params.cookies: cookie \"%s\": the value holds %s at byte %d (%s)", fn,
               name.data(), http::describe_byte(value[bad]).c_str(), static_cast<int>(bad + 1),
               kTrimHint);
}

void check_method(lua_State* L, std::string_view method, const char* fn) {
  if (!http::is_token(method))
    luaL_error(L,
               "%s: method \"%s\" is not a valid method (letters, digits and "
               "!#$%%&'*+-.^_`|~ only; no spaces or line breaks)",
               fn, http::printable(method).c_str());
}

// The request parameters read_params knows; any other key is ignored.
const std::vector<std::string_view> kParamNames = {"headers",
                                                   "tags",
                                                   "timeout",
                                                   "responseType",
                                                   "redirects",
                                                   "maxResponseBodySize",
                                                   "max_response_body_size",
                                                   "jar",
                                                   "cookies",
                                                   "auth",
                                                   "compression",
                                                   "throw",
                                                   "responseCallback"};

// Names a key of params that is no parameter (header=, tag=, timout=), once per
// key and process, with the parameter it may be a typo of.
void warn_unknown_params(lua_State* L, int index, const char* fn) {
  static std::mutex mutex;
  static std::set<std::string> warned;
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) continue;
    std::string key(to_view(L, -1));
    if (std::find(kParamNames.begin(), kParamNames.end(), key) != kParamNames.end()) continue;
    std::lock_guard lock(mutex);
    if (!warned.insert(key).second) continue;
    std::string near = closest_name(key, kParamNames, 3);
    std::string hint = near.empty() ? "" : " (did you mean " + near + "?)";
    fprintf(stderr, "WARN %s: params.%s is not a request parameter; ignored%s\n", fn, key.c_str(),
            hint.c_str());
  }
}

void read_params(lua_State* L, int index, exec::HttpCall& call, const char* fn) {
  if (index == 0 || lua_isnoneornil(L, index)) return;
  if (!lua_istable(L, index)) luaL_error(L, "%s: params must be a table", fn);
  // Checked on each worker's first calls only: steady-state requests skip it.
  thread_local int calls_checked = 0;
  if (calls_checked < 64) {
    ++calls_checked;
    warn_unknown_params(L, index < 0 ? lua_gettop(L) + index + 1 : index, fn);
  }

  lua_getfield(L, index, "headers");
  if (lua_istable(L, -1)) {
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      if (lua_type(L, -2) != LUA_TSTRING || !lua_isstring(L, -1))
        luaL_error(L, "%s: headers must map names to strings", fn);
      check_header(L, to_view(L, -2), to_view(L, -1), fn);
      call.add_header(to_view(L, -2), to_view(L, -1));
      lua_pop(L, 1);
    }
  } else if (!lua_isnil(L, -1)) {
    luaL_error(L, "%s: params.headers must be a table", fn);
  }
  lua_pop(L, 1);

  lua_getfield(L, index, "tags");
  if (lua_istable(L, -1)) {
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      if (lua_type(L, -2) != LUA_TSTRING || !lua_isstring(L, -1))
        luaL_error(L, "%s: tags must map names to strings", fn);
      std::string_view key = to_view(L, -2);
      if (key == "name") {
        call.name_tag.assign(to_view(L, -1));
        call.name_from_script = true;
      } else
        call.add_tag(key, to_view(L, -1));
      lua_pop(L, 1);
    }
  } else if (!lua_isnil(L, -1)) {
    luaL_error(L, "%s: params.tags must be a table", fn);
  }
  lua_pop(L, 1);

  lua_getfield(L, index, "timeout");
  if (lua_type(L, -1) == LUA_TSTRING) {
    auto seconds = parse_duration(lua_tostring(L, -1));
    if (!seconds || *seconds <= 0)
      luaL_error(L, "%s: params.timeout '%s' is not a duration", fn, lua_tostring(L, -1));
    call.timeout_seconds = *seconds;
  } else if (lua_type(L, -1) == LUA_TNUMBER) {
    call.timeout_seconds = lua_tonumber(L, -1) / 1000.0;  // k6 takes numbers as milliseconds
  }
  lua_pop(L, 1);

  lua_getfield(L, index, "responseType");
  if (lua_type(L, -1) == LUA_TSTRING) {
    std::string_view type = to_view(L, -1);
    if (type == "none")
      call.discard_body = true;
    else if (type == "text" || type == "binary")
      call.discard_body = false;  // overrides discardResponseBodies
    else
      luaL_error(L, "%s: params.responseType must be \"text\", \"binary\" or \"none\"", fn);
  } else if (!lua_isnil(L, -1)) {
    luaL_error(L, "%s: params.responseType must be a string", fn);
  }
  lua_pop(L, 1);

  lua_getfield(L, index, "redirects");
  if (lua_type(L, -1) == LUA_TNUMBER) {
    double redirects = lua_tonumber(L, -1);
    if (!is_whole_number(redirects))
      luaL_error(L, "%s: params.redirects must be a whole number >= 0", fn);
    call.max_redirects = static_cast<int64_t>(redirects);
  } else if (!lua_isnil(L, -1)) {
    luaL_error(L, "%s: params.redirects must be a number", fn);
  }
  lua_pop(L, 1);

  lua_getfield(L, index, "maxResponseBodySize");
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_getfield(L, index, "max_response_body_size");
  }
  if (lua_type(L, -1) == LUA_TNUMBER) {
    double bytes = lua_tonumber(L, -1);
    if (!is_whole_number(bytes))
      luaL_error(L, "%s: params.maxResponseBodySize must be a whole number of bytes >= 0", fn);
    call.max_body_bytes = static_cast<uint64_t>(bytes);
  } else if (lua_type(L, -1) == LUA_TSTRING) {
    auto bytes = parse_byte_size(to_view(L, -1));
    if (!bytes)
      luaL_error(L, "%s: params.maxResponseBodySize '%s' is not a size (use e.g. \"64MiB\")", fn,
                 lua_tostring(L, -1));
    call.max_body_bytes = *bytes;
  } else if (!lua_isnil(L, -1)) {
    luaL_error(L, "%s: params.maxResponseBodySize must be a number of bytes or a size string", fn);
  }
  lua_pop(L, 1);

  lua_getfield(L, index, "jar");
  if (!lua_isnil(L, -1)) call.jar = read_jar_param(L, lua_gettop(L), fn);
  lua_pop(L, 1);

  lua_getfield(L, index, "auth");
  if (!lua_isnil(L, -1)) {
    std::string_view auth = lua_type(L, -1) == LUA_TSTRING ? to_view(L, -1) : std::string_view();
    // Basic credentials come from the URL (http://user:password@host/), as in k6.
    if (auth == "digest" || auth == "ntlm")
      luaL_error(L,
                 "%s: params.auth \"%s\" is not supported by lueng: only \"basic\", with the "
                 "credentials in the URL (http://user:password@host/)",
                 fn, auth.data());
    if (auth != "basic")
      luaL_error(L, "%s: params.auth must be \"basic\" (the credentials go in the URL)", fn);
  }
  lua_pop(L, 1);

  lua_getfield(L, index, "compression");
  if (lua_type(L, -1) == LUA_TSTRING) {
    call.rare().compression.assign(to_view(L, -1));
  } else if (!lua_isnil(L, -1)) {
    luaL_error(L, "%s: params.compression must be a string (\"gzip\", \"deflate\")", fn);
  }
  lua_pop(L, 1);

  lua_getfield(L, index, "throw");
  if (!lua_isnil(L, -1)) call.throw_on_error = lua_toboolean(L, -1) != 0;
  lua_pop(L, 1);

  lua_getfield(L, index, "responseCallback");
  if (!lua_isnil(L, -1)) read_response_callback_param(L, lua_gettop(L), call, fn);
  lua_pop(L, 1);

  lua_getfield(L, index, "cookies");
  if (lua_istable(L, -1)) {
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      if (lua_type(L, -2) != LUA_TSTRING)
        luaL_error(L, "%s: params.cookies must map names to values", fn);
      if (lua_istable(L, -1)) {  // k6's { value = "...", replace = true }
        lua_getfield(L, -1, "value");
        if (!lua_isstring(L, -1)) luaL_error(L, "%s: params.cookies entries need a value", fn);
        check_cookie(L, to_view(L, -3), to_view(L, -1), fn);
        lua_getfield(L, -2, "replace");
        call.add_cookie(to_view(L, -4), to_view(L, -2), lua_toboolean(L, -1));
        lua_pop(L, 2);
      } else if (lua_isstring(L, -1)) {
        check_cookie(L, to_view(L, -2), to_view(L, -1), fn);
        call.add_cookie(to_view(L, -2), to_view(L, -1), false);
      } else {
        luaL_error(L, "%s: params.cookies values must be strings or { value = ... }", fn);
      }
      lua_pop(L, 1);
    }
  } else if (!lua_isnil(L, -1)) {
    luaL_error(L, "%s: params.cookies must be a table", fn);
  }
  lua_pop(L, 1);
}

// Whether the value at `index` is an http.url() value: a table { url, name }
// with the metatable of kUrlType.
bool is_url_value(lua_State* L, int index) {
  if (!lua_istable(L, index) || !lua_getmetatable(L, index)) return false;
  luaL_getmetatable(L, kUrlType);
  bool same = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return same;
}

// An http.url() value at `index`: its URL text set into the call and its
// template as the name tag (params.tags.name, read later, still wins).
void set_template_url(lua_State* L, exec::HttpCall& call, int index, const char* fn) {
  if (!is_url_value(L, index))
    luaL_error(L, "%s: the URL must be a string or an http.url() value", fn);
  lua_getfield(L, index, "url");
  if (std::string error; !call.set_url(to_view(L, -1), &error))
    luaL_error(L, "%s: %s", fn, error.c_str());
  lua_getfield(L, index, "name");
  http::redact_url(to_view(L, -1), call.name_tag);
  call.name_from_script = true;
  lua_pop(L, 2);
}

// params.compression: the body compressed, and the Content-Encoding that says
// how, unless the script set one (which must then say the same, as k6 requires).
void compress_call_body(lua_State* L, exec::HttpCall& call, const char* fn) {
  std::string error;
  exec::HttpCall::Rare& rare = call.rare();
  if (!rare.compressor.compress(rare.compression, call.body, rare.content_encoding, &error))
    luaL_error(L, "%s: params.compression: %s", fn, error.c_str());
  for (const http::Header& header : call.headers()) {
    if (!http::ascii_iequals(header.name, "Content-Encoding")) continue;
    if (header.value != rare.content_encoding)
      luaL_error(L,
                 "%s: there's a mismatch between the desired compression \"%s\" and the "
                 "Content-Encoding header \"%s\" the script set",
                 fn, rare.content_encoding.c_str(), std::string(header.value).c_str());
    return;
  }
  call.add_header("Content-Encoding", rare.content_encoding);
}

// Copies one request's method, url, body and params from the Lua stack into `call`.
// `method` is the script's (checked here) unless `verb` says it is the function's own.
void fill_call(lua_State* L, exec::HttpCall& call, std::string_view method, int url_index,
               int body_index, int params_index, const char* fn, bool verb = false) {
  if (!verb) check_method(L, method, fn);
  call.method.assign(method);
  int url_type = lua_type(L, url_index);
  if (url_type == LUA_TSTRING) {
    if (std::string error; !call.set_url(to_view(L, url_index), &error))
      luaL_error(L, "%s: %s", fn, error.c_str());
  } else if (url_type == LUA_TTABLE) {
    set_template_url(L, call, url_index, fn);
  } else {
    luaL_error(L, "%s: the URL must be a string", fn);
  }
  if (body_index && !lua_isnoneornil(L, body_index)) {
    if (!lua_isstring(L, body_index))
      luaL_error(L, "%s: the body must be a string (encode tables with lueng.json)", fn);
    call.body.assign(to_view(L, body_index));
  }
  read_params(L, params_index, call, fn);
  if (call.name_tag.empty()) call.name_tag.assign(call.url_name());
  if (!call.compression().empty()) compress_call_body(L, call, fn);
}

void upper_case(std::string& text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
}

// request(method, url, body, params): the one path every verb takes. `verb`: the
// method is the function's own (http.get's "GET"), not the script's.
int send(lua_State* L, std::string_view method, int url_index, int body_index, int params_index,
         const char* fn, bool verb = true) {
  exec::Vu& vu = running_vu(L, fn);
  HttpVu& http = HttpVu::of(vu);
  exec::HttpCall& call = http.prepare_call(L);
  fill_call(L, call, method, url_index, body_index, params_index, fn, verb);
  // The VU's coroutine drops its arguments when it yields: the request holds its
  // own jar until the response is back.
  int hold = LUA_NOREF;
  if (call.jar) {
    lua_getfield(L, params_index, "jar");
    hold = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  return wait_for(L, vu, http.send(L, hold));
}

int http_get(lua_State* L) {
  return send(L, "GET", 1, 0, 2, "http.get");
}
int http_head(lua_State* L) {
  return send(L, "HEAD", 1, 0, 2, "http.head");
}
int http_options(lua_State* L) {
  return send(L, "OPTIONS", 1, 2, 3, "http.options");
}
int http_post(lua_State* L) {
  return send(L, "POST", 1, 2, 3, "http.post");
}
int http_put(lua_State* L) {
  return send(L, "PUT", 1, 2, 3, "http.put");
}
int http_patch(lua_State* L) {
  return send(L, "PATCH", 1, 2, 3, "http.patch");
}
int http_del(lua_State* L) {
  return send(L, "DELETE", 1, 2, 3, "http.del");
}

int http_request(lua_State* L) {
  std::string method(luaL_checkstring(L, 1));
  upper_case(method);
  return send(L, method, 2, 3, 4, "http.request", false);
}

// One entry of http.batch(), at stack index `entry`: a URL string; a table
// { method = , url = , body = , params = }; or k6's tuple { method, url, body, params }.
void fill_batch_entry(lua_State* L, exec::HttpCall& call, int entry, const char* fn) {
  int type = lua_type(L, entry);
  if (type == LUA_TSTRING || is_url_value(L, entry)) {
    fill_call(L, call, "GET", entry, 0, 0, fn, true);
    return;
  }
  if (type != LUA_TTABLE)
    luaL_error(L, "%s: each request must be a URL or a table { method, url, body, params }", fn);
  int top = lua_gettop(L);
  lua_getfield(L, entry, "url");
  bool named = !lua_isnil(L, -1);
  if (named) {
    lua_getfield(L, entry, "method");
    lua_getfield(L, entry, "body");
    lua_getfield(L, entry, "params");
  } else {
    lua_pop(L, 1);
    for (int i = 1; i <= 4; ++i) lua_rawgeti(L, entry, i);
    // { method, url, ... }, or { url } alone
    if (lua_isnil(L, top + 2) && lua_type(L, top + 1) == LUA_TSTRING) {
      lua_pushvalue(L, top + 1);
      lua_replace(L, top + 2);
      lua_pushnil(L);
      lua_replace(L, top + 1);
    }
    // the same slots as the named form: url, method, body, params
    lua_pushvalue(L, top + 1);
    lua_pushvalue(L, top + 2);
    lua_replace(L, top + 1);
    lua_replace(L, top + 2);
  }
  std::string method = "GET";
  if (!lua_isnil(L, top + 2)) {
    if (lua_type(L, top + 2) != LUA_TSTRING) luaL_error(L, "%s: a method must be a string", fn);
    method.assign(to_view(L, top + 2));
    upper_case(method);
  }
  fill_call(L, call, method, top + 1, top + 3, top + 4, fn);
  lua_settop(L, top);
}

// Whether the table at `index` is a sequence 1..n (and nothing else).
bool is_sequence(lua_State* L, int index, size_t& length) {
  length = lua_objlen(L, index);
  size_t keys = 0;
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    ++keys;
    lua_pop(L, 1);
  }
  return keys == length;
}

int http_batch(lua_State* L) {
  const char* fn = "http.batch";
  exec::Vu& vu = running_vu(L, fn);
  HttpVu& http = HttpVu::of(vu);
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  size_t length = 0;
  size_t count = 0;
  if (is_sequence(L, 1, length)) {
    for (size_t i = 1; i <= length; ++i) {
      lua_rawgeti(L, 1, static_cast<int>(i));
      fill_batch_entry(L, http.prepare_batch_entry(L, count++), 2, fn);
      lua_pop(L, 1);
    }
  } else {
    lua_pushnil(L);
    while (lua_next(L, 1) != 0) {
      fill_batch_entry(L, http.prepare_batch_entry(L, count++), 3, fn);
      lua_pop(L, 1);
    }
  }
  if (count == 0) {
    lua_newtable(L);
    return 1;
  }
  lua_pushvalue(L, 1);
  int input_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  return wait_for(L, vu, http.send_batch(L, count, input_ref));
}

// --- responses

// The response at `index`; luaL_checkudata's error for any other value.
LuaResponse* check_response(lua_State* L, int index) {
  // lua_touserdata gives no pointer for strings and tables, whose lua_objlen may
  // be any; a light userdata has none (its lua_objlen is 0), so only a full
  // userdata of a response's size is ever read.
  auto* self = static_cast<LuaResponse*>(lua_touserdata(L, index));
  if (!self || lua_objlen(L, index) != sizeof(LuaResponse) || self->mark != kResponseMark)
    luaL_typerror(L, index, kResponseType);
  return self;
}

// The cache of converted fields of the response at `index`, created on first use.
void push_cache(lua_State* L, int index, LuaResponse& self) {
  if (self.has_cache) {
    lua_getfenv(L, index);
    return;
  }
  lua_newtable(L);
  lua_pushvalue(L, -1);
  lua_setfenv(L, index);
  self.has_cache = true;
}

// Go's canonical header form, as k6 shows headers: "content-type" -> "Content-Type".
std::string canonical_header(std::string_view name) {
  std::string out(name);
  bool upper = true;
  for (char& c : out) {
    c = static_cast<char>(upper ? std::toupper(static_cast<unsigned char>(c))
                                : std::tolower(static_cast<unsigned char>(c)));
    upper = c == '-';
  }
  return out;
}

void push_headers(lua_State* L, const http::ResponseData& data) {
  lua_createtable(L, 0, static_cast<int>(data.header_count()));
  for (size_t i = 0; i < data.header_count(); ++i) {
    std::string name = canonical_header(data.header_name(i));
    std::string_view value = data.header_value(i);
    lua_getfield(L, -1, name.c_str());
    if (lua_isstring(L, -1)) {  // repeated header: join like Go's Header.Get does not, k6 does
      std::string joined = std::string(to_view(L, -1)) + ", " + std::string(value);
      lua_pop(L, 1);
      lua_pushlstring(L, joined.data(), joined.size());
    } else {
      lua_pop(L, 1);
      lua_pushlstring(L, value.data(), value.size());
    }
    lua_setfield(L, -2, name.c_str());
  }
}

void push_timings(lua_State* L, const http::Timings& t) {
  lua_createtable(L, 0, 7);
  const std::pair<const char*, double> fields[] = {
      {"blocked", t.blocked},  {"connecting", t.connecting}, {"tls_handshaking", t.tls_handshaking},
      {"sending", t.sending},  {"waiting", t.waiting},       {"receiving", t.receiving},
      {"duration", t.duration}};
  for (const auto& [name, value] : fields) {
    lua_pushnumber(L, value);
    lua_setfield(L, -2, name);
  }
}

// k6's res.cookies: name -> list of { name, value, domain, path, expires,
// max_age, secure, http_only } for each Set-Cookie of the final response.
void push_cookies(lua_State* L, const exec::PooledResponse& r) {
  lua_newtable(L);
  auto url = http::parse_url(r.url);
  if (!url) return;
  for (size_t i = 0; i < r.data.header_count(); ++i) {
    if (!http::ascii_iequals(r.data.header_name(i), "Set-Cookie")) continue;
    auto cookie = http::parse_set_cookie(r.data.header_value(i), *url);
    if (!cookie) continue;
    lua_getfield(L, -1, cookie->name.c_str());
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      lua_newtable(L);
      lua_pushvalue(L, -1);
      lua_setfield(L, -3, cookie->name.c_str());
    }
    lua_createtable(L, 0, 8);
    auto set_string = [&](const char* key, const std::string& value) {
      lua_pushlstring(L, value.data(), value.size());
      lua_setfield(L, -2, key);
    };
    set_string("name", cookie->name);
    set_string("value", cookie->value);
    set_string("domain", cookie->host_only ? std::string() : cookie->domain);
    set_string("path", cookie->path);
    set_string("expires", cookie->expires_text);
    lua_pushinteger(L, static_cast<lua_Integer>(cookie->max_age < 0 ? 0 : cookie->max_age));
    lua_setfield(L, -2, "max_age");
    lua_pushboolean(L, cookie->secure);
    lua_setfield(L, -2, "secure");
    lua_pushboolean(L, cookie->http_only);
    lua_setfield(L, -2, "http_only");
    lua_rawseti(L, -2, static_cast<int>(lua_objlen(L, -2) + 1));
    lua_pop(L, 1);
  }
}

// k6's res.request: { method, url, body, headers = { Name = { values } },
// cookies = { name = { { name, value, replace } } } } of the last hop sent.
void push_request(lua_State* L, const exec::PooledResponse& r) {
  lua_createtable(L, 0, 5);
  lua_pushlstring(L, r.method.data(), r.method.size());
  lua_setfield(L, -2, "method");
  lua_pushlstring(L, r.url.data(), r.url.size());
  lua_setfield(L, -2, "url");
  std::string_view body = r.request_body();
  lua_pushlstring(L, body.data(), body.size());
  lua_setfield(L, -2, "body");
  lua_newtable(L);  // headers
  lua_newtable(L);  // cookies
  bool has_user_agent = false;
  std::string_view flat = r.request_headers();
  while (!flat.empty()) {
    size_t name_end = flat.find('\0');
    size_t value_end = flat.find('\0', name_end + 1);
    std::string name = canonical_header(flat.substr(0, name_end));
    std::string_view value = flat.substr(name_end + 1, value_end - name_end - 1);
    flat.remove_prefix(value_end + 1);
    lua_getfield(L, -2, name.c_str());
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      lua_newtable(L);
      lua_pushvalue(L, -1);
      lua_setfield(L, -4, name.c_str());
    }
    lua_pushlstring(L, value.data(), value.size());
    lua_rawseti(L, -2, static_cast<int>(lua_objlen(L, -2) + 1));
    lua_pop(L, 1);
    if (name == "User-Agent") has_user_agent = true;
    if (name != "Cookie") continue;
    while (!value.empty()) {  // "a=1; b=2"
      size_t end = value.find(';');
      std::string_view pair = value.substr(0, end);
      value = end == std::string_view::npos ? std::string_view() : value.substr(end + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      size_t eq = pair.find('=');
      if (pair.empty() || eq == std::string_view::npos) continue;
      std::string cookie(pair.substr(0, eq));
      lua_getfield(L, -1, cookie.c_str());
      if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, cookie.c_str());
      }
      lua_createtable(L, 0, 3);
      lua_pushlstring(L, cookie.data(), cookie.size());
      lua_setfield(L, -2, "name");
      lua_pushlstring(L, pair.data() + eq + 1, pair.size() - eq - 1);
      lua_setfield(L, -2, "value");
      lua_pushboolean(L, 0);
      lua_setfield(L, -2, "replace");
      lua_rawseti(L, -2, static_cast<int>(lua_objlen(L, -2) + 1));
      lua_pop(L, 1);
    }
  }
  lua_setfield(L, -3, "cookies");
  // The User-Agent the connection adds (the run's userAgent) is not kept per
  // response: it is the same for every request the script did not give one.
  exec::Vu* vu = exec::Vu::running();
  if (!has_user_agent && vu && !vu->http_client().user_agent().empty()) {
    lua_createtable(L, 1, 0);
    const std::string& agent = vu->http_client().user_agent();
    lua_pushlstring(L, agent.data(), agent.size());
    lua_rawseti(L, -2, 1);
    lua_setfield(L, -2, "User-Agent");
  }
  lua_setfield(L, -2, "headers");
}

// The peer's address as text (no brackets for IPv6) and its port; false when
// the request reached no connection.
bool remote_address(const http::ResponseData& data, char (&text)[64], int& port) {
  const sockaddr* address = data.remote.get();
  if (address->sa_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
    uv_ip4_name(v4, text, sizeof text);
    port = ntohs(v4->sin_port);
    return true;
  }
  if (address->sa_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
    uv_ip6_name(v6, text, sizeof text);
    port = ntohs(v6->sin6_port);
    return true;
  }
  return false;
}

// res:json(selector): k6's GJSON path subset (engine/common/json_selector.hpp);
// nil when the body is no JSON or the path names nothing, as k6's undefined.
int response_json_select(lua_State* L, const std::string& body, std::string_view selector) {
  rapidjson::Document document, scratch;
  JsonParseError error;
  if (!parse_json_bounded(body, document, &error)) {
    lua_pushnil(L);
    return 1;
  }
  const rapidjson::Value* found = select_json(document, selector, scratch);
  if (!found)
    lua_pushnil(L);
  else
    push_json_value(L, *found);
  return 1;
}

int response_json(lua_State* L) {
  LuaResponse* self = check_response(L, 1);
  if (lua_type(L, 2) == LUA_TSTRING && lua_objlen(L, 2) > 0)
    return response_json_select(L, self->response->data.body, to_view(L, 2));
  push_cache(L, 1, *self);
  lua_getfield(L, -1, "json");
  if (!lua_isnil(L, -1)) return 1;
  lua_pop(L, 1);
  const std::string& body = self->response->data.body;
  std::string error;
  if (!push_json_text(L, body, &error))
    return luaL_error(L, "res:json(): the body is not JSON: %s", error.c_str());
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, "json");
  return 1;
}

int response_index(lua_State* L) {
  LuaResponse* self = check_response(L, 1);
  const exec::PooledResponse& r = *self->response;
  size_t key_length;
  const char* key_text = luaL_checklstring(L, 2, &key_length);
  std::string_view key(key_text, key_length);
  if (key == "status") {
    lua_pushinteger(L, r.data.status);
  } else if (key == "error_code") {
    lua_pushinteger(L, exec::k6_error_code(r.data));
  } else if (key == "status_text") {
    if (r.data.status == 0) {
      lua_pushliteral(L, "");
    } else {
      std::string text = std::to_string(r.data.status);
      std::string_view phrase = http::reason_phrase(r.data.status);
      if (!phrase.empty()) text.append(" ").append(phrase);
      lua_pushlstring(L, text.data(), text.size());
    }
  } else if (key == "remote_ip" || key == "remote_port") {
    char text[64];
    int port = 0;
    bool known = remote_address(r.data, text, port);
    if (key == "remote_port")
      lua_pushinteger(L, port);
    else
      lua_pushstring(L, known ? text : "");
  } else if (key == "error") {
    lua_pushlstring(L, r.data.error.data(), r.data.error.size());
  } else if (key == "url") {
    lua_pushlstring(L, r.url.data(), r.url.size());
  } else if (key == "method") {
    lua_pushlstring(L, r.method.data(), r.method.size());
  } else if (key == "proto") {
    lua_pushstring(L, r.data.status == 0 ? "" : r.data.http_minor == 0 ? "HTTP/1.0" : "HTTP/1.1");
  } else if (key == "tls_version") {
    lua_pushstring(L, r.data.tls_version);
  } else if (key == "tls_cipher_suite") {
    lua_pushstring(L, r.data.tls_cipher_suite);
  } else if (key == "json") {
    lua_pushvalue(L, kJsonUpvalue);
  } else if (key == "body" || key == "headers" || key == "timings" || key == "cookies" ||
             key == "request") {
    push_cache(L, 1, *self);
    lua_getfield(L, -1, key.data());
    if (!lua_isnil(L, -1)) return 1;
    lua_pop(L, 1);
    if (key == "body")
      lua_pushlstring(L, r.data.body.data(), r.data.body.size());
    else if (key == "headers")
      push_headers(L, r.data);
    else if (key == "cookies")
      push_cookies(L, r);
    else if (key == "request")
      push_request(L, r);
    else
      push_timings(L, r.data.timings);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, key.data());
  } else {
    lua_pushnil(L);
  }
  return 1;
}

int response_tostring(lua_State* L) {
  LuaResponse* self = check_response(L, 1);
  lua_pushfstring(L, "Response(%s %s -> %d)", self->response->method.c_str(),
                  self->response->url.c_str(), self->response->data.status);
  return 1;
}

// http.url("http://host/items/${}?page=${}", id, page): k6's http.url template
// tag. Each "${}" takes the next argument (strings and numbers); the result is
// a value every request function takes as its URL, whose name tag (and url tag)
// is the template, so that one series stands for every id.
// { url = "http://host/items/7?page=2", name = "http://host/items/${}?page=${}" }
int http_url(lua_State* L) {
  std::string_view pattern = luaL_checkstring(L, 1);
  int args = lua_gettop(L);
  int next = 2;
  std::string url;
  size_t pos = 0;
  while (true) {
    size_t hole = pattern.find("${}", pos);
    url.append(pattern.substr(pos, hole - pos));
    if (hole == std::string_view::npos) break;
    if (next > args)
      return luaL_error(L, "http.url: the template has more ${} than the %d values given",
                        args - 1);
    if (lua_type(L, next) != LUA_TSTRING && lua_type(L, next) != LUA_TNUMBER)
      return luaL_error(L, "http.url: value %d must be a string or a number", next - 1);
    url.append(to_view(L, next++));
    pos = hole + 3;
  }
  if (next <= args)
    return luaL_error(L, "http.url: %d values given for %d ${} in the template", args - 1,
                      next - 2);
  lua_createtable(L, 0, 2);
  lua_pushlstring(L, url.data(), url.size());
  lua_setfield(L, -2, "url");
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "name");
  luaL_getmetatable(L, kUrlType);
  lua_setmetatable(L, -2);
  return 1;
}

int url_tostring(lua_State* L) {
  lua_getfield(L, 1, "url");
  return 1;
}

void ensure_response_metatable(lua_State* L) {
  if (luaL_newmetatable(L, kUrlType)) {
    lua_pushcfunction(L, url_tostring);
    lua_setfield(L, -2, "__tostring");
  }
  lua_pop(L, 1);
  if (luaL_newmetatable(L, kResponseType)) {
    int metatable = lua_gettop(L);
    lua_pushcfunction(L, response_json);
    lua_pushcclosure(L, response_index, 1);
    lua_setfield(L, metatable, "__index");
    lua_pushcfunction(L, response_tostring);
    lua_setfield(L, metatable, "__tostring");
    // By reference number: push_response's look-up is an array read, not a hash.
    lua_pushvalue(L, metatable);
    int metatable_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushlightuserdata(L, const_cast<char*>(&kBindingKey));
    void* memory = lua_newuserdata(L, sizeof(ResponseBinding));
    new (memory) ResponseBinding{metatable_ref, HeldResponses(L)};
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, [](lua_State* state) {
      static_cast<ResponseBinding*>(lua_touserdata(state, 1))->~ResponseBinding();
      return 0;
    });
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
  }
  lua_pop(L, 1);
}

}  // namespace

void push_batch_responses(lua_State* L, int input_ref, exec::HttpBatch& batch,
                          exec::ResponsePool* pool, ResponseBinding& binding) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, input_ref);
  luaL_unref(L, LUA_REGISTRYINDEX, input_ref);
  int input = lua_gettop(L);
  size_t count = batch.size();
  size_t length = 0;
  if (is_sequence(L, input, length) && length == count) {
    lua_createtable(L, static_cast<int>(count), 0);
    for (size_t i = 0; i < count; ++i) {
      push_response(L, batch.take(i), pool, binding);
      lua_rawseti(L, -2, static_cast<int>(i + 1));
    }
  } else {
    // The same traversal as when the requests were read, so entry i has key i.
    lua_newtable(L);
    size_t i = 0;
    lua_pushnil(L);
    while (lua_next(L, input) != 0) {
      lua_pop(L, 1);
      lua_pushvalue(L, -1);
      if (i < count)
        push_response(L, batch.take(i++), pool, binding);
      else
        lua_pushnil(L);
      lua_rawset(L, -4);
    }
  }
  lua_remove(L, input);
}

ResponseBinding* response_binding(lua_State* L) {
  lua_pushlightuserdata(L, const_cast<char*>(&kBindingKey));
  lua_rawget(L, LUA_REGISTRYINDEX);
  auto* binding = static_cast<ResponseBinding*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  return binding;
}

void push_response(lua_State* L, exec::PooledResponse* response, exec::ResponsePool* pool,
                   ResponseBinding& binding) {
  auto* self = static_cast<LuaResponse*>(lua_newuserdata(L, sizeof(LuaResponse)));
  self->response = response;
  self->mark = kResponseMark;
  self->has_cache = false;
  lua_rawgeti(L, LUA_REGISTRYINDEX, binding.metatable_ref);
  lua_setmetatable(L, -2);
  // The userdata is a few bytes to the collector, its body maybe megabytes: let
  // the collector work as if Lua had allocated them, so responses the script
  // dropped are collected (and their buffers reused) before memory piles up.
  // Smaller bodies are left to the collector's own pace: they are what the pool
  // keeps anyway.
  binding.held.hold(L, response, pool);
  size_t held = HeldResponses::held_bytes(*response);
  if (held >= HeldResponses::kLargeBytes) lua_gc(L, LUA_GCSTEP, static_cast<int>(held >> 10));
}

int open_http(lua_State* L) {
  ensure_response_metatable(L);
  const luaL_Reg functions[] = {{"get", http_get},
                                {"head", http_head},
                                {"post", http_post},
                                {"put", http_put},
                                {"patch", http_patch},
                                {"del", http_del},
                                {"options", http_options},
                                {"request", http_request},
                                {"batch", http_batch},
                                {"url", http_url},
                                {"expectedStatuses", http_expected_statuses},
                                {"expected_statuses", http_expected_statuses},
                                {"setResponseCallback", http_set_response_callback},
                                {"set_response_callback", http_set_response_callback},
                                {nullptr, nullptr}};
  lua_newtable(L);
  luaL_register(L, nullptr, functions);
  add_cookie_jar_functions(L);
  return 1;
}

}  // namespace lueng::bindings
