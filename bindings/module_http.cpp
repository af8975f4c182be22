// require "lueng.http": requests that suspend the calling VU until the response
// arrives, and responses whose fields become Lua values only when read.
#include <cctype>
#include <cstring>
#include <string>

#include "bindings/lua_json.hpp"
#include "bindings/modules.hpp"
#include "engine/common/duration.hpp"
#include "engine/exec/response_pool.hpp"
#include "engine/exec/vu.hpp"

namespace lueng::bindings {

namespace {

constexpr const char* kResponseType = "lueng.Response";
const char kNoCacheKey = 0;  // address used as a registry key

struct LuaResponse {
  exec::PooledResponse* response;
  exec::ResponsePool* pool;
};

std::string_view to_view(lua_State* L, int index) {
  size_t length;
  const char* text = lua_tolstring(L, index, &length);
  return {text, length};
}

void read_params(lua_State* L, int index, exec::HttpCall& call, const char* fn) {
  if (lua_isnoneornil(L, index)) return;
  if (!lua_istable(L, index)) luaL_error(L, "%s: params must be a table", fn);

  lua_getfield(L, index, "headers");
  if (lua_istable(L, -1)) {
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      if (lua_type(L, -2) != LUA_TSTRING || !lua_isstring(L, -1))
        luaL_error(L, "%s: headers must map names to strings", fn);
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
      if (key == "name")
        call.name_tag.assign(to_view(L, -1));
      else
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
  if (lua_type(L, -1) == LUA_TSTRING && std::strcmp(lua_tostring(L, -1), "none") == 0)
    call.discard_body = true;
  lua_pop(L, 1);
}

// request(method, url, body, params): the one path every verb takes.
int send(lua_State* L, std::string_view method, int url_index, int body_index, int params_index,
         const char* fn) {
  exec::Vu& vu = running_vu(L, fn);
  exec::HttpCall& call = vu.http_call();
  call.reset();
  call.method.assign(method);
  if (lua_type(L, url_index) != LUA_TSTRING)
    return luaL_error(L, "%s: the URL must be a string", fn);
  if (std::string error; !call.set_url(to_view(L, url_index), &error))
    return luaL_error(L, "%s: %s", fn, error.c_str());
  if (body_index && !lua_isnoneornil(L, body_index)) {
    if (!lua_isstring(L, body_index))
      return luaL_error(L, "%s: the body must be a string (encode tables with lueng.json)", fn);
    call.body.assign(to_view(L, body_index));
  }
  read_params(L, params_index, call, fn);
  if (call.name_tag.empty()) {
    size_t end = call.url_text.find_first_of("?#");
    call.name_tag.assign(call.url_text, 0, end);
  }
  vu.send_http();
  return lua_yield(L, 0);
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
  for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return send(L, method, 2, 3, 4, "http.request");
}

// --- responses

LuaResponse* check_response(lua_State* L, int index) {
  return static_cast<LuaResponse*>(luaL_checkudata(L, index, kResponseType));
}

// The per-response cache of converted fields, created on first use.
void push_cache(lua_State* L, int index) {
  lua_getfenv(L, index);
  lua_pushlightuserdata(L, const_cast<char*>(&kNoCacheKey));
  lua_rawget(L, LUA_REGISTRYINDEX);
  if (lua_rawequal(L, -1, -2)) {
    lua_pop(L, 2);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfenv(L, index);
  } else {
    lua_pop(L, 1);
  }
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

int response_json(lua_State* L) {
  LuaResponse* self = check_response(L, 1);
  push_cache(L, 1);
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
  std::string_view key = luaL_checkstring(L, 2);
  if (key == "status") {
    lua_pushinteger(L, r.data.status);
  } else if (key == "error_code") {
    lua_pushinteger(L, static_cast<int>(r.data.error_code));
  } else if (key == "error") {
    lua_pushlstring(L, r.data.error.data(), r.data.error.size());
  } else if (key == "url") {
    lua_pushlstring(L, r.url.data(), r.url.size());
  } else if (key == "method") {
    lua_pushlstring(L, r.method.data(), r.method.size());
  } else if (key == "proto") {
    lua_pushstring(L, r.data.status == 0 ? "" : r.data.http_minor == 0 ? "HTTP/1.0" : "HTTP/1.1");
  } else if (key == "json") {
    lua_pushcfunction(L, response_json);
  } else if (key == "body" || key == "headers" || key == "timings") {
    push_cache(L, 1);
    lua_getfield(L, -1, key.data());
    if (!lua_isnil(L, -1)) return 1;
    lua_pop(L, 1);
    if (key == "body")
      lua_pushlstring(L, r.data.body.data(), r.data.body.size());
    else if (key == "headers")
      push_headers(L, r.data);
    else
      push_timings(L, r.data.timings);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, key.data());
  } else {
    lua_pushnil(L);
  }
  return 1;
}

int response_gc(lua_State* L) {
  auto* self = static_cast<LuaResponse*>(lua_touserdata(L, 1));
  if (self->response) self->pool->give_back(self->response);
  self->response = nullptr;
  return 0;
}

int response_tostring(lua_State* L) {
  LuaResponse* self = check_response(L, 1);
  lua_pushfstring(L, "Response(%s %s -> %d)", self->response->method.c_str(),
                  self->response->url.c_str(), self->response->data.status);
  return 1;
}

void ensure_response_metatable(lua_State* L) {
  if (luaL_newmetatable(L, kResponseType)) {
    lua_pushcfunction(L, response_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, response_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, response_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_newtable(L);  // the shared "no cache yet" environment of fresh responses
    lua_pushlightuserdata(L, const_cast<char*>(&kNoCacheKey));
    lua_insert(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
  }
  lua_pop(L, 1);
}

}  // namespace

void push_response(lua_State* L, exec::PooledResponse* response, exec::ResponsePool* pool) {
  auto* self = static_cast<LuaResponse*>(lua_newuserdata(L, sizeof(LuaResponse)));
  self->response = response;
  self->pool = pool;
  luaL_getmetatable(L, kResponseType);
  lua_setmetatable(L, -2);
  lua_pushlightuserdata(L, const_cast<char*>(&kNoCacheKey));
  lua_rawget(L, LUA_REGISTRYINDEX);
  lua_setfenv(L, -2);
}

int open_http(lua_State* L) {
  ensure_response_metatable(L);
  const luaL_Reg functions[] = {
      {"get", http_get},         {"head", http_head},       {"post", http_post},
      {"put", http_put},         {"patch", http_patch},     {"del", http_del},
      {"options", http_options}, {"request", http_request}, {nullptr, nullptr}};
  lua_newtable(L);
  luaL_register(L, nullptr, functions);
  return 1;
}

}  // namespace lueng::bindings
