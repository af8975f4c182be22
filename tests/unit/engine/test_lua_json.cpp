#include <catch2/catch.hpp>

#include <lua.hpp>

#include "bindings/lua_json.hpp"

using namespace lueng::bindings;

namespace {
struct State {
  lua_State* L = luaL_newstate();
  State() { luaL_openlibs(L); }
  ~State() { lua_close(L); }
  std::string encode(const char* expression, JsonEncodeOptions options = {}) {
    std::string code = std::string("return ") + expression;
    REQUIRE(luaL_dostring(L, code.c_str()) == 0);
    std::string out, error;
    bool ok = lua_to_json(L, -1, out, &error, options);
    lua_pop(L, 1);
    return ok ? out : "error: " + error;
  }
};
}  // namespace

TEST_CASE("Lua values encode as JSON") {
  State s;
  CHECK(s.encode("{1, 2, 3}") == "[1,2,3]");
  CHECK(s.encode("{}") == "{}");
  CHECK(s.encode("{a = 'x'}") == R"({"a":"x"})");
  CHECK(s.encode("1.5") == "1.5");
  CHECK(s.encode("true") == "true");
  CHECK(s.encode("{[1] = 'a', [3] = 'c'}").find("\"1\":\"a\"") != std::string::npos);
  CHECK(s.encode("'caf\\195\\169'") == "\"café\"");
  CHECK(s.encode("'caf\\195\\169'", {.escape_non_ascii = true}) == R"("caf\u00E9")");
  CHECK(s.encode("function() end").starts_with("error: cannot encode a value of type function"));
  CHECK(s.encode("(function() local t = {} t.self = t return t end)()").starts_with("error:"));
  CHECK(s.encode("0/0").starts_with("error:"));
}

TEST_CASE("JSON text decodes to Lua, errors give the offset") {
  State s;
  std::string error;
  REQUIRE(push_json_text(s.L, R"({"a":[1,2,{"b":null}],"c":"d"})", &error));
  lua_setglobal(s.L, "doc");
  REQUIRE(luaL_dostring(s.L, "return doc.a[2] == 2 and doc.c == 'd' and doc.a[3].b == nil") == 0);
  CHECK(lua_toboolean(s.L, -1));
  CHECK_FALSE(push_json_text(s.L, R"({"a" 1})", &error));
  CHECK(error == "Missing a colon after a name of object member. at offset 5");
}
