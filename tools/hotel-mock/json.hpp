#pragma once

#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "tools/hotel-mock/http_message.hpp"

namespace lueng::hotel_mock {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

inline void write_string(JsonWriter& w, std::string_view text) {
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}
inline void write_key(JsonWriter& w, std::string_view key) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}

// Builds a JSON response; `fill` writes one value (usually an object) to the writer.
template <typename Fill>
Response json_response(int status, Fill&& fill) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  fill(writer);
  Response response;
  response.status = status;
  response.body.assign(buffer.GetString(), buffer.GetSize());
  return response;
}

// {"error": message}: every failure the mock answers has this shape.
Response error_response(int status, std::string_view message);

// Parses a request body; on failure `error` says why, with the byte offset (also
// for bodies nested deeper than lueng::kMaxJsonDepth, which are refused).
bool parse_json(const std::string& body, rapidjson::Document& document, std::string& error);

}  // namespace lueng::hotel_mock
