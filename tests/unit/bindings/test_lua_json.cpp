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
  CHECK(s.encode("'caf\\195\\169'", {.escape_non_ascii = true}) == R"("caf\u00e9")");
  // Bytes that are not UTF-8 go out as they are, but cannot be escaped: an error,
  // where the escaped text used to end in an unterminated string.
  CHECK(s.encode("'a\\255b'") ==
        "\"a\xff"
        "b\"");
  CHECK(s.encode("'a\\255b'", {.escape_non_ascii = true}) ==
        "error: a string is not UTF-8, which escape_non_ascii needs");
  CHECK(s.encode("{ ['\\192'] = 1 }", {.escape_non_ascii = true}) ==
        "error: a string is not UTF-8, which escape_non_ascii needs");
  CHECK(lua_gettop(s.L) == 0);
  CHECK(s.encode("function() end").starts_with("error: cannot encode a value of type function"));
  CHECK(s.encode("(function() local t = {} t.self = t return t end)()").starts_with("error:"));
  CHECK(s.encode("0/0").starts_with("error:"));
  // Keys no array can reach are object keys.
  CHECK(s.encode("{[2^60] = 1}") == R"({"1.1529215046068e+18":1})");
  CHECK(s.encode("{[math.huge] = 1}") == R"({"inf":1})");
}

TEST_CASE("JSON text decodes to Lua, errors give the offset") {
  State s;
  std::string error;
  REQUIRE(push_json_text(s.L, R"({"a":[1,2,{"b":null}],"c":"d"})", &error));
  lua_setglobal(s.L, "doc");
  REQUIRE(luaL_dostring(s.L, "return doc.a[2] == 2 and doc.c == 'd' and doc.a[3].b == nil") == 0);
  CHECK(lua_toboolean(s.L, -1));
  CHECK_FALSE(push_json_text(s.L, R"({"a" 1})", &error));
  CHECK(error == "Missing a colon after a name of object member at line 1, column 6 (offset 5)");
  CHECK_FALSE(push_json_text(s.L, "{\n  \"a\": 1,\n  \"b\": tru\n}", &error));
  CHECK(error == "Invalid value at line 3, column 11 (offset 22)");
  CHECK_FALSE(push_json_text(s.L, "[1, 2", &error));
  CHECK(error.ends_with("at line 1, column 6 (offset 5)"));
  CHECK_FALSE(push_json_text(s.L, "", &error));
  CHECK(error == "The document is empty at line 1, column 1 (offset 0)");
}

TEST_CASE("JSON round trips keep strings byte for byte and escape non-ASCII on request") {
  State s;
  const char* payload =
      R"({"entry":[{"changes":[{"value":{"messages":[{"text":{"body":"Hola, ¿hay cabaña? 🏔"},)"
      R"("type":"text"}]}}]}],"object":"whatsapp_business_account"})";
  std::string error;
  REQUIRE(push_json_text(s.L, payload, &error));
  lua_setglobal(s.L, "doc");
  REQUIRE(luaL_dostring(s.L, "return doc") == 0);
  std::string plain, escaped;
  REQUIRE(lua_to_json(s.L, -1, plain, &error));
  REQUIRE(lua_to_json(s.L, -1, escaped, &error, {.escape_non_ascii = true}));
  lua_pop(s.L, 1);
  CHECK(plain.find("Hola, ¿hay cabaña? 🏔") != std::string::npos);
  CHECK(escaped.find(R"(Hola, \u00bfhay caba\u00f1a? \ud83c\udfd4)") != std::string::npos);
  for (unsigned char c : escaped) CHECK(c < 0x80);
  // Decoding the escaped text gives back the same Lua strings.
  REQUIRE(push_json_text(s.L, escaped, &error));
  lua_setglobal(s.L, "again");
  REQUIRE(luaL_dostring(s.L,
                        "return again.entry[1].changes[1].value.messages[1].text.body == "
                        "doc.entry[1].changes[1].value.messages[1].text.body") == 0);
  CHECK(lua_toboolean(s.L, -1));
  lua_pop(s.L, 1);
  // Control characters, quotes and embedded NULs survive a round trip.
  CHECK(s.encode("'a\\0\"\\\\\\n'") == R"("a\u0000\"\\\n")");
  REQUIRE(push_json_text(s.L, R"(["a\u0000b", 1e300, -0.5, 12345678901234])", &error));
  lua_setglobal(s.L, "values");
  REQUIRE(luaL_dostring(s.L,
                        "return #values[1] == 3 and values[2] == 1e300 and values[3] == -0.5 "
                        "and values[4] == 12345678901234") == 0);
  CHECK(lua_toboolean(s.L, -1));
  CHECK(s.encode("values") == R"(["a\u0000b",1e300,-0.5,12345678901234])");
}

TEST_CASE("unicode escapes use lowercase hex, the form Meta signs") {
  State s;
  // "¿Hola? ñ 😀": U+00BF, U+00F1, and U+1F600 as a surrogate pair.
  CHECK(s.encode("'\\194\\191Hola? \\195\\177 \\240\\159\\152\\128'", {.escape_non_ascii = true}) ==
        R"("\u00bfHola? \u00f1 \ud83d\ude00")");
  CHECK(s.encode("{k = '\\239\\187\\191'}", {.escape_non_ascii = true}) == R"({"k":"\ufeff"})");
  // Control characters take the same path, with or without the option; other
  // escapes and the letters around them are left alone.
  CHECK(s.encode("'\\27[0m\\31'") == R"("\u001b[0m\u001f")");
  CHECK(s.encode("'\\27\\\\uABCD\\\\\\31'", {.escape_non_ascii = true}) ==
        R"("\u001b\\uABCD\\\u001f")");
  CHECK(s.encode("{['\\195\\137'] = 'ABCDEF'}", {.escape_non_ascii = true}) ==
        R"({"\u00c9":"ABCDEF"})");
}

TEST_CASE("JSON nested deeper than 1000 levels is an error both ways, never a crash") {
  State s;
  std::string error;
  // 200 KB of '[' overflowed the stack of the recursive parser (SIGSEGV).
  CHECK_FALSE(push_json_text(s.L, std::string(200'000, '['), &error));
  CHECK(error == "JSON nested deeper than 1000 levels at line 1, column 1001 (offset 1000)");
  // (Innermost a value: an empty array comes back as an empty table, which encodes as {}.)
  std::string limit = std::string(1000, '[') + "1" + std::string(1000, ']');
  int top = lua_gettop(s.L);
  REQUIRE(push_json_text(s.L, limit, &error));
  std::string out;
  REQUIRE(lua_to_json(s.L, -1, out, &error));
  CHECK(out == limit);
  lua_pop(s.L, 1);
  CHECK(lua_gettop(s.L) == top);
  // Tables one level deeper than the decoder takes, and tables that hold themselves.
  CHECK(s.encode("(function() local t = {} for _ = 1, 1000 do t = { t } end return t end)()") ==
        "error: value nested deeper than 1000 levels (a cycle?)");
  CHECK(s.encode("(function() local t = {} for _ = 1, 999 do t = { k = t } end return t end)()")
            .starts_with(R"({"k":{"k":)"));
  CHECK(s.encode("(function() local t = {} t[1] = t return t end)()") ==
        "error: value nested deeper than 1000 levels (a cycle?)");
  CHECK(lua_gettop(s.L) == top);
}

TEST_CASE("a proxy table encodes what its __pairs gives, which LuaJIT's pairs() ignores") {
  State s;
  CHECK(s.encode("setmetatable({}, {__pairs = function() return next, {a = 'x'}, nil end})") ==
        R"({"a":"x"})");
  CHECK(s.encode("{inner = setmetatable({hidden = 1}, {__pairs = function() "
                 "return next, {1, 2}, nil end})}") == R"({"inner":[1,2]})");
  CHECK(s.encode("setmetatable({}, {__pairs = function() error('no entries') end})")
            .find("__pairs failed") != std::string::npos);
  // A table without __pairs keeps its own entries, whatever else its metatable has.
  CHECK(s.encode("setmetatable({b = 2}, {__index = function() return 1 end})") == R"({"b":2})");
}
