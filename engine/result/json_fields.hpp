#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

namespace lueng::result {

using JsonWriter = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

// One "key": value member each, so the writers of the result file read as lists of fields.
inline void key_number(JsonWriter& w, const char* key, double value) {
  w.Key(key);
  w.Double(value);
}
inline void key_uint(JsonWriter& w, const char* key, uint64_t value) {
  w.Key(key);
  w.Uint64(value);
}
inline void key_int(JsonWriter& w, const char* key, int64_t value) {
  w.Key(key);
  w.Int64(value);
}
inline void key_bool(JsonWriter& w, const char* key, bool value) {
  w.Key(key);
  w.Bool(value);
}
inline void key_string(JsonWriter& w, const char* key, const char* value) {
  w.Key(key);
  w.String(value);
}
inline void key_string(JsonWriter& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}
inline void key_optional(JsonWriter& w, const char* key, const std::optional<double>& value) {
  w.Key(key);
  if (value)
    w.Double(*value);
  else
    w.Null();
}

}  // namespace lueng::result
