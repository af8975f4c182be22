#pragma once

#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <lua.hpp>

namespace lueng::bindings {

struct JsonEncodeOptions {
  bool escape_non_ascii = false;  // write \uXXXX for every non-ASCII character
};

// Encodes the Lua value at `index` as JSON into `out`. Tables with keys 1..n are
// arrays, other tables objects (an empty table is an empty object). Returns false
// with *error set for values JSON cannot hold (functions, cycles, NaN...) and for
// tables nested deeper than kMaxJsonDepth (engine/common/json_parse.hpp).
bool lua_to_json(lua_State* L, int index, std::string& out, std::string* error,
                 const JsonEncodeOptions& options = {});

// Pushes a JSON value as Lua (objects and arrays become tables, null becomes nil
// inside scalars and lueng's json.null sentinel nowhere: k6 scripts compare with nil).
void push_json_value(lua_State* L, const rapidjson::Value& value);

// Parses text and pushes the value; false with *error ("<what> at line L, column C
// (offset N)") on bad JSON and on JSON nested deeper than kMaxJsonDepth.
bool push_json_text(lua_State* L, std::string_view text, std::string* error);

}  // namespace lueng::bindings
