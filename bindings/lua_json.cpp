#include "bindings/lua_json.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "engine/common/json_parse.hpp"

namespace lueng::bindings {

namespace {

// Length n when the table's keys are exactly 1..n (n may be 0), otherwise -1.
long array_length(lua_State* L, int index) {
  long count = 0, max_key = 0;
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TNUMBER) {
      lua_pop(L, 1);
      return -1;
    }
    double key = lua_tonumber(L, -1);
    // Beyond 2^53 no table has that many entries, and the cast below must not overflow.
    if (key < 1 || key > 9007199254740992.0 || key != std::floor(key)) {
      lua_pop(L, 1);
      return -1;
    }
    max_key = std::max(max_key, static_cast<long>(key));
    ++count;
  }
  return max_key == count ? count : -1;
}

// Only escape_non_ascii's writer can fail on a string: it decodes UTF-8 to write
// \uXXXX, and ignoring the failure left a string unterminated in the output.
constexpr const char* kNotUtf8 = "a string is not UTF-8, which escape_non_ascii needs";

template <typename Writer>
bool write_value(lua_State* L, int index, Writer& writer, std::string* error, int depth);

// A table whose __pairs (on the stack top) gives its entries, as a proxy such as
// lueng.vu.tags: LuaJIT's pairs() ignores __pairs, so the encoder follows it
// itself, into a plain table that it then writes.
template <typename Writer>
bool write_pairs(lua_State* L, int index, Writer& writer, std::string* error, int depth) {
  auto failed = [&](int pop) {
    *error = std::string("__pairs failed: ") +
             (lua_isstring(L, -1) ? lua_tostring(L, -1) : "an error that is not a string");
    lua_pop(L, pop);
    return false;
  };
  if (!lua_checkstack(L, 8)) {
    lua_pop(L, 1);
    *error = "value nested too deeply for the Lua stack";
    return false;
  }
  lua_pushvalue(L, index);
  if (lua_pcall(L, 1, 3, 0) != 0) return failed(1);
  int iterator = lua_gettop(L) - 2, state = iterator + 1, control = iterator + 2;
  lua_newtable(L);
  int entries = lua_gettop(L);
  for (;;) {
    lua_pushvalue(L, iterator);
    lua_pushvalue(L, state);
    lua_pushvalue(L, control);
    if (lua_pcall(L, 2, 2, 0) != 0) return failed(5);
    if (lua_isnil(L, -2)) {
      lua_pop(L, 2);
      break;
    }
    lua_pushvalue(L, -2);
    lua_replace(L, control);
    lua_rawset(L, entries);
  }
  bool ok = write_value(L, entries, writer, error, depth + 1);
  lua_pop(L, 4);
  return ok;
}

template <typename Writer>
bool write_value(lua_State* L, int index, Writer& writer, std::string* error, int depth) {
  switch (lua_type(L, index)) {
    case LUA_TNIL:
      writer.Null();
      return true;
    case LUA_TBOOLEAN:
      writer.Bool(lua_toboolean(L, index));
      return true;
    case LUA_TNUMBER: {
      double number = lua_tonumber(L, index);
      if (!std::isfinite(number)) {
        *error = "cannot encode a non-finite number";
        return false;
      }
      if (number == std::floor(number) && std::fabs(number) < 9007199254740992.0)
        writer.Int64(static_cast<int64_t>(number));
      else
        writer.Double(number);
      return true;
    }
    case LUA_TSTRING: {
      size_t length;
      const char* text = lua_tolstring(L, index, &length);
      if (!writer.String(text, static_cast<rapidjson::SizeType>(length))) {
        *error = kNotUtf8;
        return false;
      }
      return true;
    }
    case LUA_TTABLE: {
      // `depth` tables enclose this one. The same bound as for decoding, so what
      // json.decode gives back encodes again; a table that holds itself reaches it too.
      if (depth >= kMaxJsonDepth) {
        *error = "value nested deeper than " + std::to_string(kMaxJsonDepth) + " levels (a cycle?)";
        return false;
      }
      // Each level holds a key and a value on the Lua stack while the next is written.
      if (!lua_checkstack(L, 3)) {
        *error = "value nested too deeply for the Lua stack";
        return false;
      }
      if (index < 0) index = lua_gettop(L) + index + 1;
      if (luaL_getmetafield(L, index, "__pairs"))
        return write_pairs(L, index, writer, error, depth);
      long length = array_length(L, index);
      if (length > 0) {
        writer.StartArray();
        for (long i = 1; i <= length; ++i) {
          lua_rawgeti(L, index, static_cast<int>(i));
          bool ok = write_value(L, lua_gettop(L), writer, error, depth + 1);
          lua_pop(L, 1);
          if (!ok) return false;
        }
        writer.EndArray();
        return true;
      }
      writer.StartObject();
      lua_pushnil(L);
      while (lua_next(L, index) != 0) {
        int key_type = lua_type(L, -2);
        if (key_type != LUA_TSTRING && key_type != LUA_TNUMBER) {
          lua_pop(L, 2);
          *error = "table keys must be strings or numbers";
          return false;
        }
        lua_pushvalue(L, -2);  // tolstring on a number key would confuse lua_next
        size_t key_length;
        const char* key = lua_tolstring(L, -1, &key_length);
        bool written = writer.Key(key, static_cast<rapidjson::SizeType>(key_length));
        lua_pop(L, 1);
        if (!written) {
          lua_pop(L, 2);
          *error = kNotUtf8;
          return false;
        }
        if (!write_value(L, lua_gettop(L), writer, error, depth + 1)) {
          lua_pop(L, 2);
          return false;
        }
        lua_pop(L, 1);
      }
      writer.EndObject();
      return true;
    }
    default:
      *error = std::string("cannot encode a value of type ") + luaL_typename(L, index);
      return false;
  }
}

// RapidJSON writes the hex of \uXXXX in uppercase; Meta signs WhatsApp payloads
// escaped with lowercase hex ("\u00e1"), and a signature is over the exact bytes.
// In the writer's output every backslash starts an escape, so walking escape by
// escape finds each \u and nothing else.
void lowercase_unicode_escapes(std::string& json) {
  for (size_t i = json.find('\\'); i != std::string::npos; i = json.find('\\', i + 2)) {
    if (json[i + 1] != 'u') continue;
    for (size_t j = i + 2; j < i + 6; ++j)
      if (json[j] >= 'A' && json[j] <= 'F') json[j] = static_cast<char>(json[j] - 'A' + 'a');
  }
}

// "Missing a colon after a name of object member at line 1, column 6 (offset 5)":
// line and column (1-based, in bytes) find the spot in a multi-line body.
std::string describe_parse_error(std::string_view text, const JsonParseError& error) {
  const std::string& what = error.what;
  size_t offset = std::min(error.offset, text.size());
  size_t line = 1, line_start = 0;
  for (size_t i = 0; i < offset; ++i)
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  return what + " at line " + std::to_string(line) + ", column " +
         std::to_string(offset - line_start + 1) + " (offset " + std::to_string(offset) + ")";
}

}  // namespace

bool lua_to_json(lua_State* L, int index, std::string& out, std::string* error,
                 const JsonEncodeOptions& options) {
  if (index < 0) index = lua_gettop(L) + index + 1;
  rapidjson::StringBuffer buffer;
  std::string scratch;
  bool ok;
  if (options.escape_non_ascii) {
    rapidjson::Writer<rapidjson::StringBuffer, rapidjson::UTF8<>, rapidjson::ASCII<>> writer(
        buffer);
    ok = write_value(L, index, writer, error ? error : &scratch, 0);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    ok = write_value(L, index, writer, error ? error : &scratch, 0);
  }
  if (ok) {
    out.assign(buffer.GetString(), buffer.GetSize());
    lowercase_unicode_escapes(out);
  }
  return ok;
}

void push_json_value(lua_State* L, const rapidjson::Value& value) {
  luaL_checkstack(L, 4, "JSON nested too deeply");
  switch (value.GetType()) {
    case rapidjson::kNullType:
      lua_pushnil(L);
      break;
    case rapidjson::kFalseType:
      lua_pushboolean(L, 0);
      break;
    case rapidjson::kTrueType:
      lua_pushboolean(L, 1);
      break;
    case rapidjson::kNumberType:
      lua_pushnumber(L, value.GetDouble());
      break;
    case rapidjson::kStringType:
      lua_pushlstring(L, value.GetString(), value.GetStringLength());
      break;
    case rapidjson::kArrayType: {
      lua_createtable(L, static_cast<int>(value.Size()), 0);
      int i = 1;
      for (const auto& item : value.GetArray()) {
        push_json_value(L, item);
        lua_rawseti(L, -2, i++);
      }
      break;
    }
    case rapidjson::kObjectType: {
      lua_createtable(L, 0, static_cast<int>(value.MemberCount()));
      for (const auto& member : value.GetObject()) {
        lua_pushlstring(L, member.name.GetString(), member.name.GetStringLength());
        push_json_value(L, member.value);
        lua_rawset(L, -3);
      }
      break;
    }
  }
}

bool push_json_text(lua_State* L, std::string_view text, std::string* error) {
  rapidjson::Document document;
  JsonParseError parse_error;
  if (!parse_json_bounded(text, document, &parse_error)) {
    if (error) *error = describe_parse_error(text, parse_error);
    return false;
  }
  push_json_value(L, document);
  return true;
}

}  // namespace lueng::bindings
