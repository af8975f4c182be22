#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace lueng {

// The deepest nesting of arrays and objects accepted in JSON from outside.
// Everything that walks a parsed value (Lua conversion, writers, readers) recurses
// once per level, so the bound keeps every one of them far from the end of the C
// stack; real documents stay within a few dozen levels.
inline constexpr int kMaxJsonDepth = 1000;

struct JsonParseError {
  std::string what;   // RapidJSON's description without its final period, or the depth limit
  size_t offset = 0;  // byte offset in the text where the parse stopped
};

// Parses JSON that comes from outside (response bodies, result files, request
// bodies) into `document`, numbers correctly rounded (by std::from_chars, not
// RapidJSON 1.1.0's conversion, which is wrong for some). The parse is iterative:
// RapidJSON's default parser recurses once per level, so 200 KB of '[' overflowed
// the stack and crashed the process. Nesting deeper than kMaxJsonDepth is an error
// ("JSON nested deeper than 1000 levels", the offset at the bracket that went over).
// On failure returns false with *error set and `document` null.
bool parse_json_bounded(std::string_view text, rapidjson::Document& document,
                        JsonParseError* error);

}  // namespace lueng
