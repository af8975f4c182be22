// http.cookieJar(): the calling VU's own cookie jar, the one its requests use,
// and http.CookieJar(): a new jar of the script's own for params.jar, both with
// k6's CookieJar methods (cookiesForURL, set, clear, delete).
#include <algorithm>
#include <ctime>
#include <string>
#include <string_view>

#include "bindings/http_vu.hpp"
#include "bindings/modules.hpp"
#include "engine/exec/vu.hpp"
#include "engine/http/ascii.hpp"
#include "engine/http/cookie_jar.hpp"
#include "engine/http/field_syntax.hpp"
#include "engine/http/url.hpp"

namespace lueng::bindings {

namespace {

constexpr const char* kCookieJarType = "lueng.CookieJar";

// A handle on a VU's jar, or a jar of its own that Lua's collector frees. VUs of a
// worker share one Lua state, so a script could hand a jar to another VU through
// a module-level variable: the handle knows whose it is and refuses to act for
// another VU.
struct LuaCookieJar {
  uint64_t vu_id;
  http::CookieJar* own;  // http.CookieJar(): owned here; null: the VU's own jar
};

LuaCookieJar& check_owner(lua_State* L, LuaCookieJar* self, exec::Vu& vu, const char* fn,
                          const char* what) {
  if (self->vu_id != vu.id())
    luaL_error(L, "%s: %s belongs to VU %d; make the jar in the VU that uses it", fn, what,
               static_cast<int>(self->vu_id));
  return *self;
}

std::string_view to_view(lua_State* L, int index) {
  size_t length;
  const char* text = lua_tolstring(L, index, &length);
  return {text, length};
}

// Both jar:set(...) and jar.set(...) work: k6 scripts call methods with a dot.
// Returns the VU's jar and the stack index of the first real argument.
http::CookieJar& jar_for_call(lua_State* L, const char* fn, int& first) {
  exec::Vu& vu = running_vu(L, fn);
  first = 1;
  if (auto* self = static_cast<LuaCookieJar*>(luaL_testudata(L, 1, kCookieJarType))) {
    check_owner(L, self, vu, fn, "this jar");
    first = 2;
    if (self->own) return *self->own;
  }
  return HttpVu::of(vu).cookies();
}

http::Url read_url(lua_State* L, int index, const char* fn) {
  if (lua_type(L, index) != LUA_TSTRING) luaL_error(L, "%s: url must be a string", fn);
  std::string error;
  auto url = http::parse_url(to_view(L, index), &error);
  // The error names the URL with its credentials masked.
  if (!url) luaL_error(L, "%s: %s", fn, error.c_str());
  return std::move(*url);
}

std::string_view read_name(lua_State* L, int index, const char* fn) {
  if (lua_type(L, index) != LUA_TSTRING) luaL_error(L, "%s: name must be a string", fn);
  std::string_view name = to_view(L, index);
  // RFC 6265's cookie-name is an HTTP token: nothing that would break the header.
  bool token = !name.empty();
  for (char c : name)
    if (static_cast<unsigned char>(c) <= ' ' || c == '=' || c == ';' || c == ',' || c == 0x7f)
      token = false;
  if (!token)
    luaL_error(L, "%s: name '%s' is not a cookie name (no spaces, '=', ';' or ',')", fn,
               lua_tostring(L, index));
  return name;
}

int64_t now() {
  return static_cast<int64_t>(std::time(nullptr));
}

// Reads set()'s options table into `cookie`; `url` is the URL the cookie is for.
void read_set_options(lua_State* L, int index, const http::Url& url, http::Cookie& cookie,
                      const char* fn) {
  if (lua_isnoneornil(L, index)) return;
  if (!lua_istable(L, index)) luaL_error(L, "%s: options must be a table", fn);
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    if (lua_type(L, -2) != LUA_TSTRING) luaL_error(L, "%s: options keys must be strings", fn);
    std::string key(to_view(L, -2));
    int type = lua_type(L, -1);
    if (key == "domain") {
      if (type != LUA_TSTRING) luaL_error(L, "%s: options.domain must be a string", fn);
      std::string_view text = to_view(L, -1);
      if (!text.empty() && text.front() == '.') text.remove_prefix(1);
      std::string domain(text);
      for (char& c : domain) c = http::ascii_lower(c);
      if (!domain.empty()) {
        // What a server could not set, a script cannot either (RFC 6265 5.3 step 6).
        if (!http::cookie_domain_matches(url.host, domain))
          luaL_error(L, "%s: options.domain '%s' does not contain the url's host '%s'", fn,
                     domain.c_str(), url.host.c_str());
        cookie.domain = std::move(domain);
        cookie.host_only = false;
      }
    } else if (key == "path") {
      if (type != LUA_TSTRING || to_view(L, -1).substr(0, 1) != "/")
        luaL_error(L, "%s: options.path must be a string starting with '/'", fn);
      cookie.path = to_view(L, -1);
    } else if (key == "expires") {
      if (type != LUA_TSTRING) luaL_error(L, "%s: options.expires must be a date string", fn);
      std::string_view text = to_view(L, -1);
      if (!text.empty()) {
        auto when = http::parse_http_date(text);
        if (!when)
          luaL_error(L, "%s: options.expires '%s' is not a date (use e.g. %s)", fn,
                     lua_tostring(L, -1), "\"Wed, 21 Oct 2026 07:28:00 GMT\"");
        cookie.expires = *when;
        cookie.expires_text = text;
      }
    } else if (key == "max_age" || key == "maxAge") {
      double seconds = lua_tonumber(L, -1);
      if (type != LUA_TNUMBER || seconds != seconds)
        luaL_error(L, "%s: options.max_age must be a number of seconds", fn);
      // Beyond int64_t (1e300, math.huge) is just as long or as short a lifetime.
      constexpr double kLimit = 9.2e18;
      cookie.max_age = static_cast<int64_t>(std::clamp(seconds, -kLimit, kLimit));
    } else if (key == "secure") {
      if (type != LUA_TBOOLEAN) luaL_error(L, "%s: options.secure must be true or false", fn);
      cookie.secure = lua_toboolean(L, -1);
    } else if (key == "http_only" || key == "httpOnly") {
      if (type != LUA_TBOOLEAN) luaL_error(L, "%s: options.http_only must be true or false", fn);
      cookie.http_only = lua_toboolean(L, -1);
    } else {
      luaL_error(L, "%s: options.%s is unknown (use domain, path, expires, max_age, %s)", fn,
                 key.c_str(), "secure, http_only");
    }
    lua_pop(L, 1);
  }
}

// jar.cookiesForURL(url) -> { name = { value, ... } }: what the next request to
// `url` would send, longest path first.
int jar_cookies_for_url(lua_State* L) {
  const char* fn = "CookieJar.cookiesForURL";
  int first;
  http::CookieJar& jar = jar_for_call(L, fn, first);
  http::Url url = read_url(L, first, fn);
  lua_newtable(L);
  jar.for_each_match(url, now(), [&](const http::Cookie& cookie) {
    lua_getfield(L, -1, cookie.name.c_str());
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      lua_newtable(L);
      lua_pushvalue(L, -1);
      lua_setfield(L, -3, cookie.name.c_str());
    }
    lua_pushlstring(L, cookie.value.data(), cookie.value.size());
    lua_rawseti(L, -2, static_cast<int>(lua_objlen(L, -2) + 1));
    lua_pop(L, 1);
  });
  return 1;
}

// jar.set(url, name, value [, { domain, path, expires, max_age, secure, http_only }])
int jar_set(lua_State* L) {
  const char* fn = "CookieJar.set";
  int first;
  http::CookieJar& jar = jar_for_call(L, fn, first);
  http::Url url = read_url(L, first, fn);
  http::Cookie cookie;
  cookie.name = read_name(L, first + 1, fn);
  int value_type = lua_type(L, first + 2);
  if (value_type != LUA_TSTRING && value_type != LUA_TNUMBER)
    luaL_error(L, "%s: value must be a string", fn);
  cookie.value = to_view(L, first + 2);
  if (size_t bad = http::find_invalid_cookie_value_byte(cookie.value); bad != std::string::npos)
    luaL_error(
        L, "%s: value must not contain ';', CR, LF, NUL or other control characters (it holds %s)",
        fn, http::describe_byte(cookie.value[bad]).c_str());
  cookie.domain = url.host;
  cookie.path = http::default_cookie_path(url);
  cookie.max_age = 0;  // "not given", as options.max_age = 0 also says
  read_set_options(L, first + 3, url, cookie, fn);
  int64_t at = now();
  // As Go's http.Cookie (and so k6): max_age > 0 is a lifetime that wins over
  // expires, < 0 deletes the cookie, 0 means none was given.
  if (cookie.max_age > 0)
    cookie.expires = http::cookie_expiry(at, cookie.max_age);
  else if (cookie.max_age < 0)
    cookie.expires = 0;
  else
    cookie.max_age = -1;
  jar.set(std::move(cookie), at);
  lua_pushboolean(L, 1);
  return 1;
}

// jar.clear(url): forgets every cookie cookiesForURL(url) would return.
int jar_clear(lua_State* L) {
  const char* fn = "CookieJar.clear";
  int first;
  http::CookieJar& jar = jar_for_call(L, fn, first);
  http::Url url = read_url(L, first, fn);
  jar.erase_matching(url, now());
  return 0;
}

// jar.delete(url, name): forgets the cookies of that name cookiesForURL(url) would return.
int jar_delete(lua_State* L) {
  const char* fn = "CookieJar.delete";
  int first;
  http::CookieJar& jar = jar_for_call(L, fn, first);
  http::Url url = read_url(L, first, fn);
  std::string_view name = read_name(L, first + 1, fn);
  jar.erase_matching(url, now(), name);
  return 0;
}

int jar_tostring(lua_State* L) {
  auto* self = static_cast<LuaCookieJar*>(luaL_checkudata(L, 1, kCookieJarType));
  lua_pushfstring(L, self->own ? "CookieJar(of VU %d)" : "CookieJar(VU %d)",
                  static_cast<int>(self->vu_id));
  return 1;
}

int jar_gc(lua_State* L) {
  auto* self = static_cast<LuaCookieJar*>(lua_touserdata(L, 1));
  delete self->own;
  self->own = nullptr;
  return 0;
}

LuaCookieJar& push_jar(lua_State* L, exec::Vu& vu) {
  auto* self = static_cast<LuaCookieJar*>(lua_newuserdata(L, sizeof(LuaCookieJar)));
  self->vu_id = vu.id();
  self->own = nullptr;
  luaL_getmetatable(L, kCookieJarType);
  lua_setmetatable(L, -2);
  return *self;
}

// http.cookieJar() -> the calling VU's jar.
int http_cookie_jar(lua_State* L) {
  push_jar(L, running_vu(L, "http.cookieJar"));
  return 1;
}

// http.CookieJar() -> a new, empty jar of the calling VU (k6's new http.CookieJar()).
// Requests use it through params.jar; it lives as long as the script holds it and is
// never emptied by the engine.
int http_new_cookie_jar(lua_State* L) {
  LuaCookieJar& self = push_jar(L, running_vu(L, "http.CookieJar"));
  self.own = new http::CookieJar;  // after the userdata exists, so __gc frees it
  return 1;
}

void ensure_cookie_jar_metatable(lua_State* L) {
  if (luaL_newmetatable(L, kCookieJarType)) {
    const luaL_Reg methods[] = {{"cookiesForURL", jar_cookies_for_url},
                                {"cookies_for_url", jar_cookies_for_url},
                                {"set", jar_set},
                                {"clear", jar_clear},
                                {"delete", jar_delete},
                                {nullptr, nullptr}};
    lua_newtable(L);
    luaL_register(L, nullptr, methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, jar_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, jar_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
}

}  // namespace

void add_cookie_jar_functions(lua_State* L) {
  ensure_cookie_jar_metatable(L);
  lua_pushcfunction(L, http_cookie_jar);
  lua_setfield(L, -2, "cookieJar");
  lua_pushcfunction(L, http_cookie_jar);
  lua_setfield(L, -2, "cookie_jar");
  lua_pushcfunction(L, http_new_cookie_jar);
  lua_setfield(L, -2, "CookieJar");
  lua_pushcfunction(L, http_new_cookie_jar);
  lua_setfield(L, -2, "cookie_jar_new");
}

http::CookieJar* read_jar_param(lua_State* L, int index, const char* fn) {
  auto* self = static_cast<LuaCookieJar*>(luaL_testudata(L, index, kCookieJarType));
  if (!self) luaL_error(L, "%s: params.jar must be a cookie jar (http.CookieJar())", fn);
  check_owner(L, self, running_vu(L, fn), fn, "params.jar");
  return self->own;
}

}  // namespace lueng::bindings
